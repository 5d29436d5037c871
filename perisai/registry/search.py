"""Finding people in the registry: exact by NIK, passport or phone; fuzzy by name.

- NIK (16 digits) and passport number: equality on the keyed blind index (`crypto.blind_index`), so the
  encrypted values are never decrypted to search.
- Phone: E.164 equality (`validation.check_phone`; a number without +country code is read as a number of
  the viewer's mission countries, then of Indonesia).
- Name: an in-process index (`NameIndex`) maps each spelling-normalised name part (`names.token_keys`) to
  the people who carry it. A query's parts are matched against the vocabulary of parts with rapidfuzz
  (typos) and by prefix (names typed half-way); people are scored by how well they cover the query's parts,
  the viewer's scope is applied in the index (missions, provinces), the best few hundred are fetched from
  the database through the scoped queryset and ranked by rapidfuzz over `name_key`.

The index is built lazily from the database on the first name search of a process and refreshed before
each search from `updated_at` (and new primary keys), so registrations, edits, merges and erasures show up
at once. Every result is re-read through `list_people_visible_to`: a stale index can only miss a person,
never show one the viewer may not see.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .names import name_key, token_keys

if TYPE_CHECKING:
    from perisai.core.models import User
    from perisai.core.scopes import Scope

    from .models import Person

QueryKind = Literal["empty", "nik", "passport", "phone", "name"]

_SEPARATORS = re.compile(r"[\s\-./]")
_PASSPORT = re.compile(r"^[A-Z]{1,2}[0-9]{6,8}$")
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()\-.]{7,20}$")

# Name search tuning (see docs/benchmarks-registry.md for the figures these give on 1,000,000 people).
TOKEN_CUTOFF = 75.0  # rapidfuzz ratio for a vocabulary part to count as a spelling of a query part
TOKEN_LIMIT = 40  # at most this many vocabulary parts per query part
PREFIX_SCORE = 88.0  # a vocabulary part that starts with a query part of 3 letters or more
PREFIX_LIMIT = 200
CANDIDATES = 400  # people fetched from the database for the final ranking
PER_NAME = 40  # ... at most this many of them with the very same name
MIN_SCORE = 60  # below this a hit is not shown
REFRESH_OVERLAP = dt.timedelta(seconds=5)  # re-read rows changed this long before the watermark
COMPACT_AFTER = 50_000  # rebuild the base arrays when this many people sit in the overlay


@dataclass(frozen=True)
class ParsedQuery:
    kind: QueryKind
    text: str  # the normalised value: digits of a NIK, upper-case passport, raw phone, or the name


def classify_query(text: str) -> ParsedQuery:
    """What the officer typed: a NIK, a passport number, a phone number or a name."""
    text = " ".join((text or "").split())[:100]
    if not text:
        return ParsedQuery("empty", "")
    compact = _SEPARATORS.sub("", text).upper()
    if compact.isdigit() and len(compact) == 16:
        return ParsedQuery("nik", compact)
    if _PASSPORT.match(compact):
        return ParsedQuery("passport", compact)
    if _PHONE_CHARS.match(text) and sum(c.isdigit() for c in text) >= 7:
        return ParsedQuery("phone", text)
    return ParsedQuery("name", text)


# ---- the name index (pure: numpy and rapidfuzz, nothing from Django) ---------------------------------------


@dataclass(frozen=True)
class IndexRow:
    """What the index keeps of one person: the primary key, the name key and two scope columns."""

    pk: int
    name_key: str
    mission_id: int  # 0 when none
    province: int  # home province code as a number (e.g. 33), 0 when unknown


@dataclass(frozen=True)
class ScopeFilter:
    """A superset of the viewer's scope that the index can apply; None means "no restriction"."""

    mission_ids: frozenset[int] | None = None
    provinces: frozenset[int] | None = None

    @property
    def unrestricted(self) -> bool:
        return self.mission_ids is None and self.provinces is None


@dataclass
class _Overlay:
    rows: dict[int, IndexRow] = field(default_factory=dict)  # pk -> row (changed since the base was built)
    postings: dict[int, set[int]] = field(default_factory=dict)  # token id -> pks


class NameIndex:
    """Name part -> people, with scope columns, in compact numpy arrays plus a small overlay of changes."""

    def __init__(self, rows: Iterable[IndexRow] = ()) -> None:
        self._vocab: dict[str, int] = {}
        self._names: dict[
            str, int
        ] = {}  # whole name key -> id, to keep one common name from crowding out others
        self._tokens: list[str] = []
        self._sorted_tokens: list[str] = []
        self._build(rows)

    # -- building --
    def _token_id(self, token: str) -> int:
        tid = self._vocab.get(token)
        if tid is None:
            tid = len(self._tokens)
            self._vocab[token] = tid
            self._tokens.append(token)
            bisect.insort(self._sorted_tokens, token)
        return tid

    def _build(self, rows: Iterable[IndexRow]) -> None:
        pks: list[int] = []
        missions: list[int] = []
        provinces: list[int] = []
        token_ids: list[int] = []
        row_of_token: list[int] = []
        name_ids: list[int] = []
        vocab = self._vocab
        names = self._names
        for row in rows:
            position = len(pks)
            pks.append(row.pk)
            missions.append(row.mission_id)
            provinces.append(row.province)
            name_ids.append(names.setdefault(row.name_key, len(names)))
            for token in set(row.name_key.split()):
                tid = vocab.get(token)
                if tid is None:
                    tid = len(self._tokens)
                    vocab[token] = tid
                    self._tokens.append(token)
                token_ids.append(tid)
                row_of_token.append(position)
        self._sorted_tokens = sorted(self._tokens)
        order = np.argsort(np.asarray(pks, dtype=np.int64), kind="stable")
        self._pk = np.asarray(pks, dtype=np.int64)[order]
        self._mission = np.asarray(missions, dtype=np.int64)[order]
        self._province = np.asarray(provinces, dtype=np.int64)[order]
        self._name_id = np.asarray(name_ids, dtype=np.int64)[order]
        # rows were numbered in input order; renumber them in pk order
        renumber = np.empty(len(order), dtype=np.int64)
        renumber[order] = np.arange(len(order), dtype=np.int64)
        tids = np.asarray(token_ids, dtype=np.int64)
        posting_rows = renumber[np.asarray(row_of_token, dtype=np.int64)] if row_of_token else tids
        by_token = np.argsort(tids, kind="stable")
        self._post_rows = posting_rows[by_token].astype(np.int32)
        counts = np.bincount(tids, minlength=len(self._tokens)) if len(tids) else np.zeros(0, np.int64)
        self._post_offsets = np.zeros(len(self._tokens) + 1, dtype=np.int64)
        np.cumsum(counts, out=self._post_offsets[1:])
        self._base_tokens = len(self._tokens)
        self._alive = np.ones(len(self._pk), dtype=bool)
        self._overlay = _Overlay()

    def __len__(self) -> int:
        return int(self._alive.sum()) + len(self._overlay.rows)

    @property
    def overlay_size(self) -> int:
        return len(self._overlay.rows)

    def _base_position(self, pk: int) -> int | None:
        i = int(np.searchsorted(self._pk, pk))
        if i < len(self._pk) and int(self._pk[i]) == pk:
            return i
        return None

    def remove(self, pk: int) -> None:
        i = self._base_position(pk)
        if i is not None:
            self._alive[i] = False
        old = self._overlay.rows.pop(pk, None)
        if old is not None:
            for token in set(old.name_key.split()):
                tid = self._vocab.get(token)
                if tid is not None:
                    self._overlay.postings.get(tid, set()).discard(pk)

    def upsert(self, row: IndexRow) -> None:
        """A new or changed person: the base entry is retired and the person lives in the overlay."""
        self.remove(row.pk)
        self._overlay.rows[row.pk] = row
        for token in set(row.name_key.split()):
            self._overlay.postings.setdefault(self._token_id(token), set()).add(row.pk)

    # -- searching --
    def candidate_tokens(self, query_token: str) -> list[tuple[int, float]]:
        """Vocabulary parts that may be a spelling of one query part, with a similarity 0-100."""
        found: dict[int, float] = {}
        exact = self._vocab.get(query_token)
        if exact is not None:
            found[exact] = 100.0
        if len(query_token) >= 3:
            start = bisect.bisect_left(self._sorted_tokens, query_token)
            for token in self._sorted_tokens[start : start + PREFIX_LIMIT]:
                if not token.startswith(query_token):
                    break
                tid = self._vocab[token]
                found[tid] = max(found.get(tid, 0.0), PREFIX_SCORE if token != query_token else 100.0)
        if len(query_token) >= 3:
            cutoff = TOKEN_CUTOFF if len(query_token) >= 4 else 70.0
            # Indel ratio for letters added or dropped; OSA for swapped neighbours ("Dwei" for "Dewi").
            for scorer, scale in ((fuzz.ratio, 1.0), (OSA.normalized_similarity, 100.0)):
                for _token, score, tid in process.extract(
                    query_token,
                    self._tokens,
                    scorer=scorer,
                    processor=None,
                    limit=TOKEN_LIMIT,
                    score_cutoff=cutoff / scale,
                ):
                    found[tid] = max(found.get(tid, 0.0), float(score) * scale)
        return sorted(found.items(), key=lambda item: -item[1])

    def _scope_mask(
        self, scope: ScopeFilter, missions: npt.NDArray[np.int64], provinces: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.bool_] | None:
        if scope.unrestricted:
            return None
        mask = np.zeros(len(missions), dtype=bool)
        if scope.mission_ids:
            mask |= np.isin(missions, np.fromiter(scope.mission_ids, dtype=np.int64))
        if scope.provinces:
            mask |= np.isin(provinces, np.fromiter(scope.provinces, dtype=np.int64))
        return mask

    def search(
        self,
        query: str,
        *,
        scope: ScopeFilter = ScopeFilter(),
        limit: int = CANDIDATES,
    ) -> list[tuple[int, float]]:
        """People whose name parts best cover the query's parts: (pk, coverage 0-100), best first."""
        parts = list(dict.fromkeys(token_keys(query)))[:6]
        if not parts or limit < 1:
            return []
        n = len(self._pk)
        total = np.zeros(n, dtype=np.float32)
        extra_total: dict[int, float] = {}
        for part in parts:
            best = np.zeros(n, dtype=np.float32)
            extra_best: dict[int, float] = {}
            for tid, similarity in self.candidate_tokens(part):
                if tid < self._base_tokens:
                    rows = self._post_rows[self._post_offsets[tid] : self._post_offsets[tid + 1]]
                    if len(rows):
                        np.maximum.at(best, rows, np.float32(similarity))
                for pk in self._overlay.postings.get(tid, ()):
                    if extra_best.get(pk, 0.0) < similarity:
                        extra_best[pk] = similarity
            total += best
            for pk, similarity in extra_best.items():
                extra_total[pk] = extra_total.get(pk, 0.0) + similarity
        total /= len(parts)
        total[~self._alive] = 0
        mask = self._scope_mask(scope, self._mission, self._province)
        if mask is not None:
            total[~mask] = 0
        hits = np.flatnonzero(total > 0)
        if len(hits) > limit:
            # The best `limit` people, at most PER_NAME of them with one same name: thousands of "Dwi" must not
            # hide the one "Dewi" that a typo made look a little less like the query.
            pool = min(len(hits), limit * 50)
            hits = hits[np.argpartition(-total[hits], pool - 1)[:pool]]
            hits = hits[np.lexsort((self._pk[hits], -total[hits]))]
            _unique, counts = np.unique(self._name_id[hits], return_counts=True)
            rank_in_name = np.empty(len(hits), dtype=np.int64)
            order = np.argsort(self._name_id[hits], kind="stable")
            starts = np.repeat(np.cumsum(counts) - counts, counts)
            rank_in_name[order] = np.arange(len(hits)) - starts
            hits = hits[rank_in_name < PER_NAME][:limit]
        result = [(int(self._pk[i]), float(total[i])) for i in hits]
        if extra_total:
            extra_rows = [self._overlay.rows[pk] for pk in extra_total]
            keep = self._scope_mask(
                scope,
                np.asarray([r.mission_id for r in extra_rows], dtype=np.int64),
                np.asarray([r.province for r in extra_rows], dtype=np.int64),
            )
            for i, row in enumerate(extra_rows):
                if keep is None or keep[i]:
                    result.append((row.pk, extra_total[row.pk] / len(parts)))
        result.sort(key=lambda item: (-item[1], item[0]))
        return result[:limit]


def rank_names(query: str, names: Sequence[tuple[int, str, float]]) -> list[tuple[int, int]]:
    """Final ranking of candidates (pk, name_key, coverage): (pk, score 0-100), best first, weak ones dropped.

    The score blends how well the query's parts are covered with rapidfuzz's comparison of the whole name
    keys, so "siti aminah" ranks "Siti Aminah" above "Siti Aminah binti Ali" above "Siti Rahmah".
    """
    key = name_key(query)
    scored = []
    for pk, candidate, coverage in names:
        whole = 0.5 * fuzz.token_sort_ratio(key, candidate) + 0.5 * fuzz.token_set_ratio(key, candidate)
        score = round(0.5 * coverage + 0.5 * whole)
        if score >= MIN_SCORE:
            scored.append((pk, score))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored


# ---- the Django side: loading and refreshing the index, scoped searches ------------------------------------


def _province_number(code: str | None) -> int:
    return int(code) if code and code.isdigit() else 0


class _IndexHolder:
    """One index per process and database, refreshed incrementally; thread-safe."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index: NameIndex | None = None
        self.database: str = ""
        self.watermark: dt.datetime | None = None
        self.max_pk = 0

    def reset(self) -> None:
        with self.lock:
            self.index = None
            self.watermark = None
            self.max_pk = 0

    def get(self) -> NameIndex:
        from django.db import connection
        from django.utils import timezone

        with self.lock:
            database = f"{connection.vendor}:{connection.settings_dict.get('NAME')}"
            if self.index is None or database != self.database or self.index.overlay_size > COMPACT_AFTER:
                started = timezone.now()
                rows = list(_read_rows())
                self.index = NameIndex(rows)
                self.database = database
                self.watermark = started
                self.max_pk = max((r.pk for r in rows), default=0)
            else:
                self._refresh(self.index)
            return self.index

    def _refresh(self, index: NameIndex) -> None:
        from django.utils import timezone

        from .models import Person, PersonStatus

        if self.watermark is None:
            return
        started = timezone.now()
        fields = ("pk", "name_key", "mission_id", "home_province", "status", "updated_at")
        # Rows stamped in the future (clock skew, synthetic data) were read when the index was built; the
        # upper bound keeps them from being re-read on every search until their time comes.
        changed = list(
            Person.objects.filter(
                updated_at__gte=self.watermark - REFRESH_OVERLAP, updated_at__lte=started + REFRESH_OVERLAP
            ).values_list(*fields)
        )
        changed += list(Person.objects.filter(pk__gt=self.max_pk).values_list(*fields))
        for pk, key, mission_id, province, status, _updated in changed:
            if status in (PersonStatus.ERASED, PersonStatus.MERGED):
                index.remove(pk)
            else:
                index.upsert(IndexRow(pk, key, mission_id or 0, _province_number(province)))
            self.max_pk = max(self.max_pk, pk)
        self.watermark = max(self.watermark, started - REFRESH_OVERLAP)


def _read_rows() -> Iterable[IndexRow]:
    """Everyone who can be found, straight from the table (a cursor: about a second per million people)."""
    from django.db import connection

    from .models import Person, PersonStatus

    def column(name: str) -> str:
        return connection.ops.quote_name(str(getattr(Person._meta.get_field(name), "column", name)))

    table = connection.ops.quote_name(Person._meta.db_table)
    columns = ", ".join(column(name) for name in ("id", "name_key", "mission", "home_province"))
    status = column("status")
    sql = f"SELECT {columns} FROM {table} WHERE {status} NOT IN (%s, %s)"  # noqa: S608 (names from _meta)
    with connection.cursor() as cursor:
        cursor.execute(sql, [PersonStatus.ERASED.value, PersonStatus.MERGED.value])
        while True:
            chunk = cursor.fetchmany(20_000)
            if not chunk:
                break
            for pk, key, mission_id, province in chunk:
                yield IndexRow(int(pk), key or "", int(mission_id or 0), _province_number(province))


_holder = _IndexHolder()


def name_index() -> NameIndex:
    return _holder.get()


def reset_name_index() -> None:
    """Forget the in-process index (tests; after restoring a database)."""
    _holder.reset()


# ---- scoped searches ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    person: Person
    score: int  # 100 for an exact identifier match


@dataclass(frozen=True)
class SearchResult:
    kind: QueryKind
    hits: list[SearchHit]


def scope_filter_for(scope: Scope) -> ScopeFilter:
    """The part of a scope the name index can apply itself (a superset; the database applies the rest)."""
    if scope.everything or scope.self_user_id or scope.organisation_id:
        return ScopeFilter()
    provinces = frozenset(_province_number(code.split(".")[0]) for code in scope.region_codes)
    return ScopeFilter(mission_ids=frozenset(scope.mission_ids), provinces=provinces - {0})


def phone_candidates(text: str, countries: Iterable[str]) -> list[str]:
    """E.164 forms of what was typed: as written with +, else read as a number of each country given."""
    from .validation import FieldError, check_phone

    found: list[str] = []
    regions: list[str | None] = [None] if text.strip().startswith("+") else [*countries, "ID"]
    for region in regions:
        try:
            number = check_phone(text, country=region)
        except FieldError:
            continue
        if number and number not in found:
            found.append(number)
    return found


def search_people(*, user: User, text: str, limit: int = 50) -> SearchResult:
    """People in the viewer's scope matching a NIK, passport number, phone number or (misspelt) name.

    Merged and erased records are never returned. Each search is written to the audit log with its kind
    and the number of results, never the text searched (it may be a name or a NIK).
    """
    from perisai.core import audit, crypto
    from perisai.core.scopes import scope_for

    from .models import Person, PersonStatus
    from .selectors import list_people_visible_to

    query = classify_query(text)
    scope = scope_for(user)
    if query.kind == "empty" or not scope.individuals:
        return SearchResult(query.kind, [])
    people = (
        list_people_visible_to(user=user)
        .exclude(status=PersonStatus.MERGED)
        .select_related("country", "mission")
    )
    hits: list[SearchHit]
    if query.kind in ("nik", "passport", "phone"):
        # Two steps, so that the database uses the identifier's index rather than scanning the scope.
        if query.kind == "phone":
            numbers = phone_candidates(query.text, sorted(scope.country_codes))
            exact = Person.objects.filter(phone__in=numbers) if numbers else Person.objects.none()
        else:
            field_name = "nik_index" if query.kind == "nik" else "passport_index"
            exact = Person.objects.filter(**{field_name: crypto.blind_index(query.kind, query.text)})
        ids = list(exact.values_list("pk", flat=True)[:1000])
        matches = people.filter(pk__in=ids).order_by("full_name")[:limit]
        hits = [SearchHit(p, 100) for p in matches]
    else:
        candidates = name_index().search(query.text, scope=scope_filter_for(scope), limit=CANDIDATES)
        coverage = dict(candidates)
        found = {p.pk: p for p in people.filter(pk__in=list(coverage))}
        ranked = rank_names(query.text, [(pk, p.name_key, coverage[pk]) for pk, p in found.items()])
        hits = [SearchHit(found[pk], score) for pk, score in ranked[:limit]]
    audit.record(
        actor=user,
        action="person.search",
        object_type="registry.person",
        details={"kind": query.kind, "results": len(hits)},
    )
    return SearchResult(query.kind, hits)
