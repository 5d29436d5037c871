"""Alert fan-out: who receives an approved alert, one personal message each in the outbox, the roster
updated, delivery batches planned. Re-asks of people who have not answered. Run by tasks, never in a request.

Only people who gave the ``crisis_contact`` consent (and have not revoked it) are messaged. Each message
carries the person's own check-in link (a signed token) and the reply keywords; its idempotency key is
``alert:<alert>:<person>:<round>``, so a fan-out that is run twice (a crashed worker, a retried task) queues
nothing twice. Measured for a million recipients in docs/benchmarks-crisis.md.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from perisai.core import audit
from perisai.core.models import OutboxMessage
from perisai.registry.models import Consent, PersonStatus

from .actions import AlertFilters, add_timeline, near_km, public_url
from .models import OPEN_STATUSES, Alert, AlertRecipient, CheckInStatus, Crisis, RosterEntry, TimelineEntry
from .outbox import BulkMessage, plan_batches, queue_messages
from .tokens import checkin_token_factory, fast_checkin_token

logger = logging.getLogger(__name__)

CHUNK = 10_000
SQLITE_CACHE_KIB = 256 * 1024
FANOUT_LEASE = dt.timedelta(minutes=15)
ROWS_PER_STATEMENT = 400


@dataclass(frozen=True)
class Selection:
    person_ids: list[int]
    area_ids: list[int | None]


def select_recipients(alert: Alert) -> Selection:
    """The people an alert targets (before consent and reachability are checked)."""
    from .exposure import expose_many
    from .population import snapshot

    crisis = alert.crisis
    filters = AlertFilters.from_json(alert.filters or {})
    if alert.target == Alert.Target.UNACCOUNTED:
        rows = list(
            RosterEntry.objects.filter(crisis=crisis, status=CheckInStatus.UNKNOWN)
            .order_by("person_id")
            .values_list("person_id", "area_id")
        )
        ids = [r[0] for r in rows]
        areas: list[int | None] = [r[1] for r in rows]
        if filters.vulnerable_only or filters.sector or filters.city:
            columns = snapshot(fresh=True)
            pos = np.searchsorted(columns.ids, np.array(ids, dtype=np.int64))
            pos = np.minimum(pos, max(columns.ids.size - 1, 0))
            keep = _filter_mask(columns, pos, filters) & (columns.ids[pos] == np.array(ids, dtype=np.int64))
            ids = [i for i, k in zip(ids, keep.tolist(), strict=True) if k]
            areas = [a for a, k in zip(areas, keep.tolist(), strict=True) if k]
        return Selection(ids, areas)
    columns = snapshot(fresh=True)
    if alert.target == Alert.Target.COUNTRY:
        code = columns.countries.index(crisis.country_id) if crisis.country_id in columns.countries else -1
        positions = np.flatnonzero(columns.country == code)
        keys: list[int | None] = [None] * int(positions.size)
    else:
        chosen = (
            [alert.target_area]
            if alert.target == Alert.Target.AREA and alert.target_area is not None
            else list(crisis.areas.order_by("level", "pk"))
        )
        positions, key_array, _near = expose_many(
            columns, [(a.pk, a.geometry) for a in chosen], near_km=near_km()
        )
        keys = [int(k) for k in key_array.tolist()]
    keep = _filter_mask(columns, positions, filters)
    ids = columns.ids[positions][keep].tolist()
    kept_keys = [k for k, ok in zip(keys, keep.tolist(), strict=True) if ok]
    return Selection(ids, kept_keys)


def _filter_mask(
    columns: Any, positions: np.ndarray[Any, Any], filters: AlertFilters
) -> np.ndarray[Any, Any]:
    keep = np.ones(positions.size, dtype=np.bool_)
    if filters.vulnerable_only:
        keep &= columns.vulnerabilities[positions] != 0
    if filters.sector:
        code = columns.sectors.index(filters.sector) if filters.sector in columns.sectors else -1
        keep &= columns.sector[positions] == code
    if filters.city:
        keep &= columns.city[positions] == filters.city
    return keep


# ---- message bodies --------------------------------------------------------------------------------


def body_parts(alert: Alert, language: str, *, reminder: bool = False) -> tuple[str, str]:
    """The text before and after the personal link, in the person's language."""
    body = alert.body_en if language == "en" else alert.body_id
    with override("en" if language == "en" else "id"):
        prefix = ""
        if alert.exercise:
            prefix += _("EXERCISE") + ": "
        if reminder:
            prefix += _("REMINDER") + ": "
    if "{link}" in body:
        before, after = body.split("{link}", 1)
        return prefix + before, after.replace("{link}", "")
    return prefix + body.rstrip() + " ", ""


def choose_channel(
    preferred: str, phone: str, whatsapp: str, telegram: str, email: str, user_id: int | None
) -> tuple[str, str] | None:
    """(channel, address) for a person: their preferred channel when they gave its contact, else SMS, then
    WhatsApp, e-mail, Telegram, the platform."""
    options = {
        "whatsapp": whatsapp or phone,
        "sms": phone or whatsapp,
        "telegram": telegram,
        "email": email,
        "platform": f"user:{user_id}" if user_id else "",
    }
    if options.get(preferred):
        return preferred, options[preferred]
    for channel in ("sms", "whatsapp", "email", "telegram", "platform"):
        if options[channel]:
            return channel, options[channel]
    return None


_CONTACTS = """
SELECT p.id, p.preferred_channel, p.phone, p.whatsapp, p.telegram, p.email, p.user_id, p.preferred_language,
       p.vulnerabilities
FROM registry_person p JOIN registry_consent c ON c.person_id = p.id
WHERE c.purpose = %s AND c.granted = %s AND p.status = %s AND p.id IN ({ids})
"""


def _contacts(ids: Sequence[int]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 5000):
            part = list(ids[start : start + 5000])
            sql = _CONTACTS.format(ids=", ".join(["%s"] * len(part)))
            cursor.execute(sql, [Consent.Purpose.CRISIS_CONTACT, True, PersonStatus.ACTIVE, *part])
            rows.extend(cursor.fetchall())
    return rows


def _insert(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], tail: str) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    # Identifiers come from the models and are quoted; every value is a bound parameter.
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "  # noqa: S608
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            part = rows[start : start + ROWS_PER_STATEMENT]
            params: list[Any] = [v for row in part for v in row]
            cursor.execute(head + ", ".join([one] * len(part)) + " " + tail, params)


ROSTER_COLUMNS = (
    "crisis_id",
    "person_id",
    "area_id",
    "near",
    "vulnerabilities",
    "status",
    "status_first_hand",
    "conflicting",
    "asked_count",
    "last_asked_at",
    "case_code",
    "case_public_id",
    "added_at",
)


@dataclass
class RoundResult:
    selected: int = 0
    queued: int = 0
    unreachable: int = 0


def queue_round(
    alert: Alert, people: Sequence[tuple[int, int, int | None]], *, reminder: bool = False
) -> RoundResult:
    """Queue one message to each ``(person id, round, area id)`` who consented and can be reached; add them
    to the roster (or count the ask on their entry); plan delivery batches. Chunked transactions: a crash
    leaves whole chunks, and running again completes the rest without duplicates."""
    with _large_cache():
        return _queue_round(alert, people, reminder=reminder)


@contextmanager
def _large_cache() -> Iterator[None]:
    """On SQLite, a larger page cache for this connection while a fan-out writes (the outbox's indexes
    then stay in memory); restored after."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")


def _queue_round(
    alert: Alert, people: Sequence[tuple[int, int, int | None]], *, reminder: bool
) -> RoundResult:
    result = RoundResult(selected=len(people))
    crisis = alert.crisis
    alert_pk, crisis_pk = alert.pk, crisis.pk
    prefix, keyed = checkin_token_factory(crisis_pk)
    base = public_url("/crisis/k/")
    parts = {lang: body_parts(alert, lang, reminder=reminder) for lang in ("id", "en")}
    round_of = {pid: (rnd, area) for pid, rnd, area in people}
    ops = connection.ops
    unknown = str(CheckInStatus.UNKNOWN)
    for start in range(0, len(people), CHUNK):
        chunk_ids = [p[0] for p in people[start : start + CHUNK]]
        contacts = _contacts(chunk_ids)
        result.unreachable += len(chunk_ids) - len(contacts)
        now = timezone.now()
        now_db = ops.adapt_datetimefield_value(now)
        messages: list[BulkMessage] = []
        recipients: list[tuple[Any, ...]] = []
        roster: list[tuple[Any, ...]] = []
        for pid, preferred, phone, whatsapp, telegram, email, user_id, language, vuln in contacts:
            choice = choose_channel(preferred, phone, whatsapp, telegram, email, user_id)
            if choice is None:
                result.unreachable += 1
                continue
            channel, address = choice
            rnd, area_id = round_of[pid]
            before, after = parts["en" if language == "en" else "id"]
            link = base + fast_checkin_token(prefix, keyed, crisis_pk, pid) + "/"
            messages.append(
                BulkMessage(channel, address, before + link + after, f"alert:{alert_pk}:{pid}:{rnd}")
            )
            recipients.append((alert_pk, pid, rnd, channel, address, now_db))
            roster.append(
                (crisis_pk, pid, area_id, False, vuln, unknown, False, False, 1, now_db, "", "", now_db)
            )
        with transaction.atomic():
            inserted = queue_messages(
                messages,
                purpose=OutboxMessage.Purpose.ALERT,
                object_type="crisis.alert",
                object_id=str(alert.pk),
            )
            fresh = {inserted_key for _id, _channel, inserted_key in inserted}
            _insert(
                AlertRecipient._meta.db_table,
                ("alert_id", "person_id", "round", "channel", "address", "created_at"),
                [r for r, m in zip(recipients, messages, strict=True) if m.idempotency_key in fresh],
                'ON CONFLICT ("alert_id", "person_id", "round") DO NOTHING',
            )
            table = connection.ops.quote_name(RosterEntry._meta.db_table)
            _insert(
                RosterEntry._meta.db_table,
                ROSTER_COLUMNS,
                [r for r, m in zip(roster, messages, strict=True) if m.idempotency_key in fresh],
                'ON CONFLICT ("crisis_id", "person_id") DO UPDATE SET '
                f'"asked_count" = {table}."asked_count" + 1, "last_asked_at" = excluded."last_asked_at"',
            )
            plan_batches(inserted, alert_id=alert.pk)
            result.queued += len(inserted)
    return result


def fan_out(alert_id: int) -> RoundResult | None:
    """Round 0 of an approved alert. Leased: a second worker (or a retry while the first still runs) skips;
    an expired lease (the worker died) lets the sweeper start it again, and it completes without
    duplicates."""
    now = timezone.now()
    claimed = (
        Alert.objects.filter(pk=alert_id, status=Alert.Status.SENDING, fanout_done_at=None)
        .filter(Q(fanout_leased_until=None) | Q(fanout_leased_until__lt=now))
        .update(fanout_leased_until=now + FANOUT_LEASE)
    )
    if not claimed:
        return None
    alert = Alert.objects.select_related("crisis", "target_area").get(pk=alert_id)
    selection = select_recipients(alert)
    people = [(pid, 0, area) for pid, area in zip(selection.person_ids, selection.area_ids, strict=True)]
    result = RoundResult(selected=len(people))
    for start in range(0, len(people), CHUNK * 10):
        part = queue_round(alert, people[start : start + CHUNK * 10])
        result.queued += part.queued
        result.unreachable += part.unreachable
        Alert.objects.filter(pk=alert_id).update(fanout_leased_until=timezone.now() + FANOUT_LEASE)
    total = AlertRecipient.objects.filter(alert_id=alert_id, round=0).count()
    with transaction.atomic():
        Alert.objects.filter(pk=alert_id).update(
            fanout_done_at=timezone.now(), fanout_leased_until=None, recipients_count=total
        )
        add_timeline(
            alert.crisis,
            actor=None,
            kind=TimelineEntry.Kind.ALERT_SENT,
            details={
                "alert": str(alert.public_id),
                "selected": result.selected,
                "queued": total,
                "unreachable": result.unreachable,
                "exercise": alert.exercise,
            },
        )
        audit.record(
            actor=None,
            action="alert.fan_out",
            target=alert,
            details={"selected": result.selected, "queued": total, "unreachable": result.unreachable},
        )
    finish_if_delivered(alert_id)
    return result


def finish_if_delivered(alert_id: int) -> bool:
    """Mark a fanned-out alert as sent once every batch is through."""
    from .models import DeliveryBatch

    alert = (
        Alert.objects.filter(pk=alert_id, status=Alert.Status.SENDING).exclude(fanout_done_at=None).first()
    )
    if alert is None or DeliveryBatch.objects.filter(alert_id=alert_id, done_at=None).exists():
        return False
    Alert.objects.filter(pk=alert_id, status=Alert.Status.SENDING).update(status=Alert.Status.SENT)
    return True


# ---- re-asking non-responders ----------------------------------------------------------------------


def _latest_rounds(crisis: Crisis, person_ids: Sequence[int]) -> Iterator[tuple[int, int, int]]:
    """(alert id, person id, highest round) of the latest alert each person received in the crisis."""
    for start in range(0, len(person_ids), 5000):
        part = person_ids[start : start + 5000]
        rows = (
            AlertRecipient.objects.filter(alert__crisis=crisis, person_id__in=part)
            .values("person_id", "alert_id")
            .annotate(top=Max("round"))
            .order_by("person_id", "-alert_id")
        )
        seen: set[int] = set()
        for row in rows:
            if row["person_id"] in seen:
                continue
            seen.add(row["person_id"])
            yield row["alert_id"], row["person_id"], row["top"]


def reask_non_responders(*, now: dt.datetime | None = None) -> int:
    """Ask again everyone who was sent an alert and has not answered within the crisis's set time."""
    now = now or timezone.now()
    total = 0
    for crisis in Crisis.objects.filter(status__in=OPEN_STATUSES, reask_after_minutes__gt=0, reask_max__gt=0):
        cutoff = now - dt.timedelta(minutes=crisis.reask_after_minutes)
        waiting = list(
            RosterEntry.objects.filter(
                crisis=crisis,
                status=CheckInStatus.UNKNOWN,
                asked_count__gte=1,
                asked_count__lte=crisis.reask_max,
                last_asked_at__lt=cutoff,
            ).values_list("person_id", "area_id")
        )
        if not waiting:
            continue
        areas = dict(waiting)
        by_alert: dict[int, list[tuple[int, int, int | None]]] = defaultdict(list)
        for alert_id, person_id, top in _latest_rounds(crisis, [w[0] for w in waiting]):
            by_alert[alert_id].append((person_id, top + 1, areas.get(person_id)))
        asked = 0
        for alert in Alert.objects.filter(
            pk__in=by_alert, status__in=[Alert.Status.SENDING, Alert.Status.SENT]
        ):
            alert.crisis = crisis
            result = queue_round(alert, by_alert[alert.pk], reminder=True)
            asked += result.queued
        if asked:
            add_timeline(crisis, actor=None, kind=TimelineEntry.Kind.REASK, details={"asked": asked})
            audit.record(actor=None, action="crisis.reask", target=crisis, details={"asked": asked})
        total += asked
    return total
