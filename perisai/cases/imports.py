"""Arrival lists of deportees at the entry points (Tanjung Pinang, Nunukan, Entikong, Soekarno-Hatta).

One code path for the page, the API and `perisai cases import-arrivals`:

1. The file is read by the registry's importer (`perisai.registry.imports.open_table`: CSV in the usual
   encodings or XLSX, the header found even below a title) and its identity columns are mapped and converted
   by the registry's rules (`guess_mapping`, `convert_row`: names, NIK, passport, dates, sex, village codes,
   country names). Columns only arrival lists have are mapped here: age, condition ("sakit", "hamil",
   "TPPO" ...) and the kind of case.
2. Each row is checked with `check_person_input` (the registration form's rules, identity not required: many
   deportees carry no papers). A person already registered (same NIK or passport, by blind index) is reused
   and marked as returned; otherwise a person is registered.
3. Each row opens a case (`intake.open_case`, source "arrival_list") linked to the arrival, so importing the
   same list again opens nothing twice: the row is reported "already imported" with its case code.
4. The report lists every row with its line number: case opened, already imported or skipped, and why (field
   names and reasons, never values). It is kept with the batch; it names cases by code only.

Rows are saved in chunks, each atomic: a list interrupted half-way can simply be imported again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perisai.core import audit, crypto
from perisai.core.models import User
from perisai.registry import imports as registry_imports
from perisai.registry.actions import RegistryInputError, check_person_input, do_set_status
from perisai.registry.models import Person, PersonStatus

from .actions import do_open_case
from .models import ArrivalBatch, Case, CaseType, EntryPoint, Source, Urgency, Vulnerability

CHUNK = 250
ImportFileError = registry_imports.ImportFileError

# Columns of arrival lists that the registry does not know: folded header text -> our field.
ARRIVAL_HEADERS: dict[str, tuple[str, ...]] = {
    "age": ("umur", "usia", "age", "umur thn", "umur tahun"),
    "condition": (
        "keterangan", "kondisi", "kondisi kesehatan", "catatan", "ket", "remarks", "condition", "notes",
        "kesehatan", "keadaan",
    ),
    "case_kind": ("kasus", "jenis kasus", "permasalahan", "masalah", "case", "case type", "problem"),
}  # fmt: skip
_ARRIVAL_BY_HEADER = {h: name for name, headers in ARRIVAL_HEADERS.items() for h in headers}

# Words in the condition column -> vulnerability.
CONDITION_WORDS: dict[str, Vulnerability] = {
    "sakit": Vulnerability.SICK, "sick": Vulnerability.SICK, "ill": Vulnerability.SICK,
    "stroke": Vulnerability.SICK, "tbc": Vulnerability.SICK, "odgj": Vulnerability.SICK,
    "gangguan jiwa": Vulnerability.SICK, "dirawat": Vulnerability.SICK,
    "luka": Vulnerability.INJURED, "cedera": Vulnerability.INJURED, "injured": Vulnerability.INJURED,
    "patah": Vulnerability.INJURED,
    "hamil": Vulnerability.PREGNANT, "pregnant": Vulnerability.PREGNANT,
    "disabilitas": Vulnerability.DISABILITY, "difabel": Vulnerability.DISABILITY,
    "cacat": Vulnerability.DISABILITY, "disability": Vulnerability.DISABILITY,
    "lansia": Vulnerability.ELDERLY, "elderly": Vulnerability.ELDERLY,
    "anak": Vulnerability.CHILD, "child": Vulnerability.CHILD, "bayi": Vulnerability.CHILD,
    "tanpa pendamping": Vulnerability.UNACCOMPANIED_CHILD, "unaccompanied": Vulnerability.UNACCOMPANIED_CHILD,
    "tppo": Vulnerability.TRAFFICKING_INDICATORS, "trafficking": Vulnerability.TRAFFICKING_INDICATORS,
    "perdagangan orang": Vulnerability.TRAFFICKING_INDICATORS,
}  # fmt: skip
CASE_KIND_WORDS: dict[str, str] = {
    "tppo": CaseType.TRAFFICKING, "trafficking": CaseType.TRAFFICKING, "perdagangan orang": CaseType.TRAFFICKING,
    "kerja paksa": CaseType.TRAFFICKING, "kekerasan": CaseType.VIOLENCE, "penganiayaan": CaseType.VIOLENCE,
    "pelecehan": CaseType.VIOLENCE, "violence": CaseType.VIOLENCE, "abuse": CaseType.VIOLENCE,
    "gaji": CaseType.WAGES, "upah": CaseType.WAGES, "wages": CaseType.WAGES, "penipuan": CaseType.RECRUITMENT_FRAUD,
    "calo": CaseType.RECRUITMENT_FRAUD, "fraud": CaseType.RECRUITMENT_FRAUD, "overstay": CaseType.DETENTION,
    "deportasi": CaseType.DETENTION, "ditahan": CaseType.DETENTION, "tahanan": CaseType.DETENTION,
    "detention": CaseType.DETENTION, "meninggal": CaseType.DEATH_ABROAD, "jenazah": CaseType.DEATH_ABROAD,
}  # fmt: skip
URGENT_FLAGS = (
    Vulnerability.SICK
    | Vulnerability.INJURED
    | Vulnerability.PREGNANT
    | Vulnerability.UNACCOMPANIED_CHILD
    | Vulnerability.TRAFFICKING_INDICATORS
)


def _words_in(text: str, words: Iterable[str]) -> list[str]:
    padded = f" {registry_imports.fold(text)} "
    return [w for w in words if f" {w} " in padded]


def condition_flags(text: str) -> int:
    mask = 0
    for word in _words_in(text, CONDITION_WORDS):
        mask |= int(CONDITION_WORDS[word])
    return mask


def case_kind(text: str) -> str | None:
    found = _words_in(text, sorted(CASE_KIND_WORDS, key=len, reverse=True))
    return CASE_KIND_WORDS[found[0]] if found else None


@dataclass
class ArrivalRow:
    line: int
    outcome: str  # "created", "existing" or "skipped"
    case: str = ""  # case code
    messages: list[str] = field(default_factory=list)


@dataclass
class ArrivalReport:
    rows: list[ArrivalRow] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    batch: ArrivalBatch | None = None

    @property
    def counts(self) -> dict[str, int]:
        out = {"created": 0, "existing": 0, "skipped": 0}
        for row in self.rows:
            out[row.outcome] += 1
        return out

    def summary(self) -> str:
        c = self.counts
        return _(
            "%(rows)d rows: %(created)d cases opened, %(existing)d already imported, %(skipped)d skipped."
        ) % {
            "rows": len(self.rows),
            **c,
        }


def arrival_mapping(header: list[str]) -> tuple[dict[int, str], dict[int, str]]:
    """(person columns by the registry's names, arrival columns by ours)."""
    person = registry_imports.guess_mapping(header)
    extra: dict[int, str] = {}
    for i, text in enumerate(header):
        if i in person:
            continue
        name = _ARRIVAL_BY_HEADER.get(registry_imports.fold(text))
        if name and name not in extra.values():
            extra[i] = name
    return person, extra


def _text(cells: list[Any], i: int | None) -> str:
    if i is None or i >= len(cells) or cells[i] is None:
        return ""
    value = cells[i]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _identity_key(nik_index: str, passport_index: str, name_key: str, birth: str) -> str:
    if nik_index:
        return f"nik:{nik_index}"
    if passport_index:
        return f"passport:{passport_index}"
    digest = hashlib.sha256(f"{name_key}|{birth}".encode()).hexdigest()[:24]
    return f"name:{digest}"


@dataclass
class _Prepared:
    result: ArrivalRow
    person: Person
    cells: list[Any]
    link_id: str
    age_text: str


def apply_checked(person: Person, checked: Any) -> None:
    """The registry's own way of setting checked values on a person (encryption, blind indexes, location)."""
    from perisai.registry.actions import _apply

    _apply(person, checked)


def audit_people(actor: User | None, action: str, people: list[Person], details: dict[str, Any]) -> None:
    """One audit event per person, written in one insert (as the registry's importer does)."""
    from perisai.core import context
    from perisai.core.models import AuditEvent

    ctx = context.current()
    is_user = actor is not None and actor.is_authenticated
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor if is_user else None,
                actor_label=actor.get_username() if is_user and actor is not None else "system",
                actor_role=actor.role if is_user and actor is not None else "",
                action=action,
                object_type=Person._meta.label_lower,
                object_id=str(p.pk),
                ip_address=ctx.ip_address,
                user_agent=ctx.user_agent[:200],
                request_id=ctx.request_id,
                details=details,
            )
            for p in people
        ],
        batch_size=1000,
    )


class _ArrivalImporter:
    def __init__(
        self,
        *,
        actor: User | None,
        entry_point: str,
        arrival_date: dt.date,
        default_country: str,
        case_type: str,
        person_mapping: dict[int, str],
        extra_mapping: dict[int, str],
        batch: ArrivalBatch,
    ) -> None:
        self.actor = actor
        self.entry_point = entry_point
        self.arrival_date = arrival_date
        self.default_country = default_country.upper()
        self.case_type = case_type
        self.person_mapping = person_mapping
        self.extra = {name: i for i, name in extra_mapping.items()}
        self.batch = batch
        self.report = ArrivalReport()
        lookups_class = getattr(registry_imports, "_Lookups", None)
        self.lookups = lookups_class() if lookups_class is not None else None
        self.actor_regions = (
            list(actor.regions.values_list("code", flat=True)) if actor is not None and actor.pk else []
        )
        self.entry_label = str(EntryPoint(entry_point).label)
        self.links: dict[str, ArrivalRow] = {}  # link id -> the row (line 0: imported before)
        self.duplicates: list[tuple[ArrivalRow, ArrivalRow]] = []

    def _prepare(
        self, line: int, cells: list[Any], links: dict[str, ArrivalRow], people: dict[str, Person]
    ) -> _Prepared | None:
        """Convert and check one row. Returns what to save, or None when the row is reported as it is."""
        from perisai.registry.names import name_key

        result = ArrivalRow(line, "skipped")
        self.report.rows.append(result)
        kwargs: dict[str, Any] = {"default_country": self.default_country}
        if self.lookups is not None:
            kwargs["lookups"] = self.lookups
        row = registry_imports.convert_row(cells, self.person_mapping, **kwargs)
        result.messages.extend(row.notes)
        data = row.data
        if not data.full_name.strip():
            result.messages.insert(0, _("No name on this row."))
            return None
        if row.errors:
            result.messages = [f"{k}: {' '.join(v)}" for k, v in row.errors.items()] + result.messages
            return None
        if not data.country:
            result.messages.insert(0, _("Say which country the person was deported from."))
            return None
        nik_index = crypto.blind_index("nik", data.nik) if data.nik.strip() else ""
        passport_index = (
            crypto.blind_index("passport", data.passport_number) if data.passport_number.strip() else ""
        )
        age_text = _text(cells, self.extra.get("age"))
        birth_text = data.birth_date.isoformat() if data.birth_date else age_text
        key = _identity_key(nik_index, passport_index, name_key(" ".join(data.full_name.split())), birth_text)
        link_id = f"{self.entry_point}:{self.arrival_date.isoformat()}:{key}"
        if link_id in links:  # imported before, or on an earlier line of this file
            earlier = links[link_id]
            result.outcome, result.case = "existing", earlier.case
            result.messages.append(
                _("Already imported.")
                if earlier.line == 0
                else _("Same person as line %(line)d.") % {"line": earlier.line}
            )
            self.duplicates.append((result, earlier))
            return None
        person = people.get(nik_index) if nik_index else None
        person = person or (people.get(passport_index) if passport_index else None)
        if person is None:
            if data.passport_number.strip() and (
                data.passport_expiry is None or data.passport_expiry < timezone.localdate()
            ):
                # Deportees' passports are often expired or held by the employer: the number still finds
                # them again (blind index above), but the registry keeps only valid passports.
                data.passport_number, data.passport_expiry = "", None
                result.messages.append(_("Passport not registered: no valid expiry date on the list."))
            try:
                checked = check_person_input(data, require_identity=False)
            except RegistryInputError as exc:
                result.messages = [f"{k}: {' '.join(v)}" for k, v in exc.errors.items()] + result.messages
                return None
            person = Person(source=Person.Source.IMPORT, status=PersonStatus.RETURNED)
            apply_checked(person, checked)
            if person.mission_id is None and self.lookups is not None:
                person.mission = self.lookups.mission_for_country(person.country_id)
            for index in (person.nik_index, person.passport_index):
                if index:
                    people[index] = person
        links[link_id] = result
        return _Prepared(result=result, person=person, cells=cells, link_id=link_id, age_text=age_text)

    def _save(self, prepared: list[_Prepared]) -> None:
        """New people in one insert (audited as the registry does), returned people marked, then the cases."""
        new = [p.person for p in prepared if p.person.pk is None]
        unique_new = list({id(p): p for p in new}.values())
        if unique_new:
            Person.objects.bulk_create(unique_new, batch_size=500)
            audit_people(
                self.actor,
                "person.create",
                unique_new,
                {"source": Person.Source.IMPORT, "status": "returned"},
            )
        for item in prepared:
            if item.person.status == PersonStatus.ACTIVE:
                do_set_status(person=item.person, status=PersonStatus.RETURNED, actor=self.actor)
            case = self._open(item.person, item.cells, item.link_id, item.age_text)
            item.result.outcome, item.result.case = "created", case.code
        for result, earlier in self.duplicates:
            result.case = result.case or earlier.case
        self.duplicates = []

    def _open(self, person: Person, cells: list[Any], link_id: str, age_text: str) -> Case:
        condition = _text(cells, self.extra.get("condition"))
        flags = condition_flags(condition)
        age = None
        if person.birth_date is not None:
            age = (self.arrival_date - person.birth_date).days // 365
        elif age_text.isdigit():
            age = int(age_text)
        if age is not None:
            if age < 18:
                flags |= int(Vulnerability.CHILD)
            elif age >= 60:
                flags |= int(Vulnerability.ELDERLY)
        kind = case_kind(_text(cells, self.extra.get("case_kind"))) or case_kind(condition) or self.case_type
        urgency = Urgency.HIGH if flags & int(URGENT_FLAGS) else Urgency.NORMAL
        region = person.home_village_id or person.home_regency
        if not region:
            nik = crypto.decrypt(person.nik_encrypted) if person.nik_encrypted else ""
            region = f"{nik[:2]}.{nik[2:4]}" if len(nik) == 16 else ""
        # The importer's organisation keeps the case when the home region is its own or unknown; otherwise the
        # case waits, unowned, for the team of the home region (case workers see unowned cases of their regions).
        organisation = None
        if self.actor is not None and (
            not region or any(region == code or region.startswith(code + ".") for code in self.actor_regions)
        ):
            organisation = self.actor.organisation
        summary = _("Arrived at %(entry)s on %(date)s (deported from %(country)s).") % {
            "entry": self.entry_label,
            "date": self.arrival_date.isoformat(),
            "country": person.country_id,
        }
        if condition:
            summary += " " + condition[:1000]
        birth_year = None
        if person.birth_date is None and age is not None:
            birth_year = self.arrival_date.year - age
        return do_open_case(
            source=Source.ARRIVAL_LIST,
            case_type=kind,
            urgency=urgency,
            summary=summary,
            person=person,
            region_code=region,
            details={
                "entry_point": self.entry_point,
                "arrival_date": self.arrival_date.isoformat(),
                "batch": str(self.batch.public_id),
            },
            link_type="arrival",
            link_id=link_id,
            link_checked=True,
            actor=self.actor,
            organisation=organisation,
            owner_from_actor=False,
            vulnerabilities=flags,
            birth_year=birth_year,
        )

    def chunk(self, rows: list[tuple[int, list[Any]]]) -> None:
        """Look up the people and the cases of the chunk at once, then save the chunk in one transaction."""
        niks: set[str] = set()
        passports: set[str] = set()
        for _line, cells in rows:
            for name, target in (("nik", niks), ("passport_number", passports)):
                i = next((i for i, f in self.person_mapping.items() if f == name), None)
                text = _text(cells, i)
                if text:
                    target.add(crypto.blind_index("nik" if name == "nik" else "passport", text))
        people: dict[str, Person] = {}
        if niks or passports:
            from django.db.models import Q

            for person in Person.objects.exclude(
                status__in=[PersonStatus.MERGED, PersonStatus.ERASED]
            ).filter(Q(nik_index__in=niks) | Q(passport_index__in=passports)):
                for index in (person.nik_index, person.passport_index):
                    if index:
                        people.setdefault(index, person)
        prefix = f"{self.entry_point}:{self.arrival_date.isoformat()}:"
        for case in Case.objects.filter(link_type="arrival", link_id__startswith=prefix, is_open=True).only(
            "code", "link_id"
        ):
            self.links.setdefault(case.link_id, ArrivalRow(0, "existing", case=case.code))
        prepared = [
            p for line, cells in rows if (p := self._prepare(line, cells, self.links, people)) is not None
        ]
        with transaction.atomic():
            self._save(prepared)


def do_import_arrivals(
    *,
    path: Path,
    actor: User | None,
    entry_point: str,
    arrival_date: dt.date,
    default_country: str = "",
    case_type: str = CaseType.REINTEGRATION,
    encoding: str = "",
    filename: str = "",
) -> ArrivalReport:
    """Import an arrival list (see the module docstring). Raises ImportFileError when the file cannot be read."""
    if entry_point not in EntryPoint.values:
        raise ImportFileError(_("Choose the entry point."))
    if case_type not in CaseType.values:
        raise ImportFileError(_("Choose the type of case."))
    table = registry_imports.open_table(path, encoding=encoding)
    person_mapping, extra_mapping = arrival_mapping(table.header)
    if "full_name" not in person_mapping.values():
        raise ImportFileError(_("No column holds the names (a column headed “Nama” is expected)."))
    batch = ArrivalBatch.objects.create(
        entry_point=entry_point,
        arrival_date=arrival_date,
        filename=(filename or path.name)[:200],
        imported_by=actor if actor is not None and actor.pk else None,
    )
    importer = _ArrivalImporter(
        actor=actor,
        entry_point=entry_point,
        arrival_date=arrival_date,
        default_country=default_country,
        case_type=case_type,
        person_mapping=person_mapping,
        extra_mapping=extra_mapping,
        batch=batch,
    )
    importer.report.columns = {
        (h or f"#{i + 1}"): person_mapping.get(i) or extra_mapping.get(i) or ""
        for i, h in enumerate(table.header)
    }
    chunk: list[tuple[int, list[Any]]] = []
    for line, cells in table.rows:
        if not any(c not in (None, "") and str(c).strip() for c in cells):
            continue
        chunk.append((line, list(cells)))
        if len(chunk) >= CHUNK:
            importer.chunk(chunk)
            chunk = []
    if chunk:
        importer.chunk(chunk)
    report = importer.report
    report.rows.sort(key=lambda r: r.line)
    batch.counts = report.counts
    batch.report = [
        {"line": r.line, "outcome": r.outcome, "case": r.case, "messages": r.messages} for r in report.rows
    ]
    batch.save(update_fields=["counts", "report"])
    audit.record(
        actor=actor,
        action="case.arrivals_import",
        target=batch,
        details={"entry_point": entry_point, "arrival_date": arrival_date.isoformat(), **report.counts},
    )
    report.batch = batch
    return report


def import_upload(*, chunks: Iterable[bytes], filename: str, **kwargs: Any) -> ArrivalReport:
    """Import an uploaded file (written to a private temporary file, deleted afterwards)."""
    suffix = Path(filename).suffix.lower()
    suffix = suffix if re.fullmatch(r"\.(csv|txt|tsv|xlsx|xlsm|xls)", suffix) else ".csv"
    with tempfile.TemporaryDirectory(prefix="perisai-arrivals-") as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as handle:
            for piece in chunks:
                handle.write(piece)
        return do_import_arrivals(path=path, filename=filename, **kwargs)
