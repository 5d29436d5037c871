"""Bulk import of people from CSV and XLSX: placement agencies' deployment lists, missions' old spreadsheets.

One code path for the command (`perisai registry import FILE`), the officers' page and the API:

1. `open_table` reads the file (XLSX with openpyxl in read-only mode; CSV in UTF-8, UTF-8 with BOM,
   UTF-16 with BOM, or an encoding the user names: cp1252, latin-1) and finds the header row, even below
   a title.
2. `guess_mapping` maps columns to fields from their headers, in Indonesian or English ("Nama Lengkap",
   "No. HP", "Agensi/P3MI", "Tgl Lahir" ...); a mapping file or the page's form overrides it.
3. `do_import_people` converts each row (dates, sex, sector, country names, village codes), validates it
   with `check_person_input` (the rules of the registration form), and creates or updates the person:
   upsert on the NIK blind index, else the passport blind index, so a re-import changes nothing. Empty
   cells never clear a value already registered. A dry run does everything but write.
4. Every row of the file is in the report with its line number: created, updated, unchanged or skipped,
   and why (field names and reasons, never the values).
"""

from __future__ import annotations

import contextlib
import copy
import csv
import dataclasses
import datetime as dt
import io
import json
import re
import shutil
import unicodedata
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise
from django_tasks import task

from perisai.core import context
from perisai.core.models import AuditEvent, User
from perisai.core.scopes import Scope, scope_for
from perisai.places import geo

from .actions import (
    CheckedPerson,
    PersonInput,
    RegistryInputError,
    _apply,
    check_person_input,
    do_update_person,
)
from .models import Person, PersonStatus, Sector
from .validation import FieldError, ReferenceLookups, check_phone, nik_regency

Outcome = Literal["created", "updated", "unchanged", "skipped"]
OUTCOMES: tuple[Outcome, ...] = ("created", "updated", "unchanged", "skipped")
CHUNK = 500
HEADER_SCAN = 20  # the header row is looked for among the first rows (title rows come above it)
MAX_CELL = 32 * 1024 * 1024
csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL))

ENCODINGS: dict[str, StrOrPromise] = {
    "": gettext_lazy("Detect (UTF-8)"),
    "utf-8": "UTF-8",
    "cp1252": gettext_lazy("Windows-1252 (older Excel)"),
    "latin-1": "Latin-1 (ISO-8859-1)",
    "utf-16": "UTF-16",
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message says what to do."""


# ---- fields and the headers that name them ---------------------------------------------------------------


@dataclass(frozen=True)
class ImportField:
    label: StrOrPromise
    headers: tuple[str, ...]  # folded header texts that mean this field


FIELDS: dict[str, ImportField] = {
    "public_id": ImportField(
        gettext_lazy("Perisai ID (from an export)"), ("public id", "perisai id", "id perisai", "person id")
    ),
    "full_name": ImportField(
        gettext_lazy("Full name"),
        ("nama", "nama lengkap", "nama pmi", "nama tki", "nama pekerja", "nama sesuai paspor", "name",
         "full name", "nama cpmi", "worker name"),
    ),
    "nik": ImportField(
        gettext_lazy("NIK"),
        ("nik", "no nik", "nomor nik", "nik ktp", "no ktp", "nomor ktp", "nomor induk kependudukan",
         "national id", "id number"),
    ),
    "passport_number": ImportField(
        gettext_lazy("Passport number"),
        ("no paspor", "nomor paspor", "paspor", "no passport", "passport", "passport no", "passport number",
         "no pasport"),
    ),
    "passport_expiry": ImportField(
        gettext_lazy("Passport expiry"),
        ("masa berlaku paspor", "tgl habis paspor", "tanggal habis paspor", "paspor berlaku s d",
         "paspor berlaku sampai", "berlaku paspor", "passport expiry", "passport expiry date", "expiry date",
         "tgl kadaluarsa paspor"),
    ),
    "birth_date": ImportField(
        gettext_lazy("Date of birth"),
        ("tgl lahir", "tanggal lahir", "tgl lhr", "date of birth", "dob", "birth date", "birthdate",
         "born"),
    ),
    "sex": ImportField(
        gettext_lazy("Sex"), ("jenis kelamin", "jk", "l p", "kelamin", "gender", "sex")
    ),
    "country": ImportField(
        gettext_lazy("Country of stay"),
        ("negara", "negara tujuan", "negara penempatan", "negara tempat tinggal", "country",
         "destination country", "destination", "country of stay"),
    ),
    "city_name": ImportField(
        gettext_lazy("City"),
        ("kota", "kota tujuan", "kota penempatan", "kota tempat tinggal", "city", "town"),
    ),
    "address": ImportField(
        gettext_lazy("Address abroad"),
        ("alamat", "alamat di luar negeri", "alamat luar negeri", "alamat majikan", "alamat kerja",
         "address", "address abroad"),
    ),
    "phone": ImportField(
        gettext_lazy("Phone"),
        ("hp", "no hp", "nomor hp", "no handphone", "handphone", "telepon", "no telp", "telp", "no telepon",
         "phone", "phone number", "mobile", "mobile number"),
    ),
    "whatsapp": ImportField(gettext_lazy("WhatsApp"), ("wa", "no wa", "whatsapp", "nomor wa")),
    "email": ImportField(gettext_lazy("E-mail"), ("email", "e mail", "surel", "alamat email")),
    "telegram": ImportField(gettext_lazy("Telegram"), ("telegram",)),
    "purpose": ImportField(gettext_lazy("Purpose of stay"), ("tujuan", "keperluan", "purpose")),
    "sector": ImportField(
        gettext_lazy("Sector"),
        ("sektor", "jabatan", "bidang pekerjaan", "jenis pekerjaan", "pekerjaan", "sector", "occupation",
         "job", "position"),
    ),
    "employer": ImportField(
        gettext_lazy("Employer"),
        ("majikan", "nama majikan", "pengguna", "pengguna jasa", "perusahaan", "nama perusahaan", "employer",
         "company"),
    ),
    "agency": ImportField(
        gettext_lazy("Placement agency"),
        ("agensi", "agensi p3mi", "p3mi", "p3mi agensi", "pptkis", "pjtki", "nama p3mi", "agency",
         "placement agency", "recruitment agency"),
    ),
    "home_village": ImportField(
        gettext_lazy("Home village"),
        ("desa", "kode desa", "desa kelurahan", "kode desa kelurahan", "kelurahan", "kode wilayah",
         "village", "village code"),
    ),
    "home_regency": ImportField(
        gettext_lazy("Home regency (to find the village by name)"),
        ("kabupaten", "kabupaten kota", "kab kota", "kab kota asal", "daerah asal", "kabupaten asal",
         "regency", "home regency"),
    ),
    "stay_since": ImportField(
        gettext_lazy("Staying since"),
        ("tgl berangkat", "tanggal berangkat", "tanggal keberangkatan", "tgl keberangkatan",
         "tgl penempatan", "tanggal penempatan", "departure date", "deployment date", "since"),
    ),
    "stay_until": ImportField(
        gettext_lazy("Staying until"),
        ("akhir kontrak", "tgl akhir kontrak", "tgl selesai kontrak", "kontrak berakhir", "contract end",
         "end of contract", "until"),
    ),
    "emergency_contact_name": ImportField(
        gettext_lazy("Emergency contact"),
        ("ahli waris", "nama ahli waris", "kontak darurat", "nama keluarga", "keluarga yang dapat dihubungi",
         "emergency contact", "next of kin"),
    ),
    "emergency_contact_phone": ImportField(
        gettext_lazy("Emergency contact phone"),
        ("hp ahli waris", "no hp ahli waris", "telp ahli waris", "no hp keluarga", "telp keluarga",
         "hp keluarga", "emergency phone", "emergency contact phone", "next of kin phone"),
    ),
    "immigration_status": ImportField(
        gettext_lazy("Immigration status"),
        ("status imigrasi", "izin tinggal", "status izin tinggal", "immigration status", "visa status"),
    ),
}  # fmt: skip
DATE_FIELDS = ("passport_expiry", "birth_date", "stay_since", "stay_until")
AUX_FIELDS = ("home_regency", "public_id")  # help the conversion, not stored as such

_FOLD_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(_FOLD_NON_ALNUM.sub(" ", ascii_text).split())


_HEADER_TO_FIELD: dict[str, str] = {h: name for name, f in FIELDS.items() for h in f.headers}


def field_for_header(header: str) -> str | None:
    return _HEADER_TO_FIELD.get(fold(header))


def guess_mapping(header: Sequence[str]) -> dict[int, str]:
    """Column index -> field, from the header texts; the first column naming a field wins."""
    mapping: dict[int, str] = {}
    for i, text in enumerate(header):
        name = field_for_header(text)
        if name and name not in mapping.values():
            mapping[i] = name
    return mapping


def apply_mapping_overrides(
    header: Sequence[str], mapping: dict[int, str], overrides: Mapping[str, Any]
) -> dict[int, str]:
    """A mapping file or form: {"header text" or "#column number": "field" or "" (ignore)}. Header texts are
    matched ignoring case, accents and punctuation."""
    by_header = {fold(h): i for i, h in reversed(list(enumerate(header)))}
    result = dict(mapping)
    for text, target in overrides.items():
        number = str(text)[1:] if str(text).startswith("#") else ""
        i = (
            int(number) - 1
            if number.isdigit() and 0 < int(number) <= len(header)
            else by_header.get(fold(str(text)))
        )
        if i is None:
            raise ImportFileError(
                _("The mapping names a column that is not in the file: %(column)s") % {"column": text}
            )
        target = str(target or "")
        if target and target not in FIELDS:
            raise ImportFileError(_("The mapping names an unknown field: %(field)s") % {"field": target})
        for j, name in list(result.items()):
            if target and name == target and j != i:
                del result[j]
        if target:
            result[i] = target
        else:
            result.pop(i, None)
    return result


def read_mapping_file(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise ImportFileError(_("The mapping file is not valid JSON: %(error)s") % {"error": exc}) from exc
    if isinstance(data, dict) and isinstance(data.get("columns"), dict):
        data = data["columns"]
    if not isinstance(data, dict):
        raise ImportFileError(_('The mapping file must be a JSON object: {"column header": "field"}.'))
    return {str(k): str(v or "") for k, v in data.items()}


# ---- reading files ---------------------------------------------------------------------------------------


@dataclass
class Table:
    header: list[str]
    header_line: int
    rows: Iterator[tuple[int, list[Any]]]  # (line number in the file, cells)
    kind: str  # "csv" or "xlsx"


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _find_header(first: list[tuple[int, list[Any]]]) -> int:
    """Index in `first` of the header row: the row naming most known fields (at least two), else the first
    non-empty row."""
    best, best_count = -1, 1
    for i, (_line, cells) in enumerate(first):
        count = len(guess_mapping([_cell_text(c) for c in cells]))
        if count > best_count:
            best, best_count = i, count
    if best >= 0:
        return best
    for i, (_line, cells) in enumerate(first):
        if any(_cell_text(c) for c in cells):
            return i
    raise ImportFileError(_("The file is empty."))


def _table_from_rows(rows: Iterator[tuple[int, list[Any]]], kind: str) -> Table:
    first = []
    for item in rows:
        first.append(item)
        if len(first) >= HEADER_SCAN:
            break
    if not first:
        raise ImportFileError(_("The file is empty."))
    h = _find_header(first)
    header_line, header_cells = first[h]
    header = [_cell_text(c) for c in header_cells]

    def rest() -> Iterator[tuple[int, list[Any]]]:
        yield from first[h + 1 :]
        yield from rows

    return Table(header=header, header_line=header_line, rows=rest(), kind=kind)


def decode_text(data: bytes, encoding: str = "") -> str:
    """Text of a CSV file. Without an encoding: UTF-16 or UTF-8 by their byte-order mark, else UTF-8."""
    if encoding:
        codec = encoding
        if codec.replace("_", "-").lower() in ("utf-8", "utf8"):
            codec = "utf-8-sig"
        try:
            return data.decode(codec)
        except LookupError as exc:
            raise ImportFileError(_("Unknown encoding: %(encoding)s") % {"encoding": encoding}) from exc
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("The file cannot be read as %(encoding)s (at byte %(position)d). Choose another encoding.")
                % {"encoding": encoding, "position": exc.start}
            ) from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFileError(
            _(
                "This file is not in UTF-8 (a character on line %(line)d cannot be read). Save it from Excel as"
                " “CSV UTF-8”, or choose its encoding: Windows-1252 (cp1252) for files from older"
                " Excel, or Latin-1."
            )
            % {"line": line}
        ) from exc


def _sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the first lines most consistently (a title line above the header has none)."""
    lines = [line for line in sample.splitlines()[:HEADER_SCAN] if line.strip()]
    if not lines:
        return ","
    best, best_score = ",", (0, 0)
    for candidate in (",", ";", "\t", "|"):
        counts = sorted(line.count(candidate) for line in lines)
        median = counts[len(counts) // 2]
        score = (median, sum(1 for c in counts if c == median))
        if score > best_score:
            best, best_score = candidate, score
    return best


def read_csv(data: bytes, *, encoding: str = "") -> Table:
    text = decode_text(data, encoding)
    delimiter = _sniff_delimiter(text[:65536])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, cells in enumerate(reader, start=1):
                yield number, list(cells)
        except csv.Error as exc:
            raise ImportFileError(
                _("The CSV file is malformed near line %(line)d: %(error)s")
                % {"line": reader.line_num, "error": exc}
            ) from exc

    return _table_from_rows(rows(), "csv")


def read_xlsx(path: Path, *, sheet: str = "") -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(_("This is not a readable XLSX workbook.")) from exc
    try:
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    except KeyError as exc:
        raise ImportFileError(_("The workbook has no sheet named %(sheet)s.") % {"sheet": sheet}) from exc

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, cells in enumerate(worksheet.iter_rows(values_only=True), start=1):
                yield number, list(cells)
        finally:
            workbook.close()

    return _table_from_rows(rows(), "xlsx")


def open_table(path: Path, *, encoding: str = "", sheet: str = "") -> Table:
    """The table in a CSV or XLSX file (recognised by content, not only by name)."""
    with path.open("rb") as handle:
        magic = handle.read(8)
    suffix = path.suffix.lower()
    if magic.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet=sheet)
    if magic.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".xls":
        raise ImportFileError(
            _("Old Excel files (.xls) cannot be read: save the sheet as .xlsx or CSV UTF-8.")
        )
    return read_csv(path.read_bytes(), encoding=encoding)


# ---- converting cells ------------------------------------------------------------------------------------

MONTHS = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "februari": 2, "february": 2, "peb": 2, "pebruari": 2,
    "mar": 3, "maret": 3, "march": 3, "apr": 4, "april": 4, "mei": 5, "may": 5, "jun": 6, "juni": 6,
    "june": 6, "jul": 7, "juli": 7, "july": 7, "agu": 8, "agt": 8, "agus": 8, "agustus": 8, "aug": 8,
    "august": 8, "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "oct": 10, "october": 10,
    "nov": 11, "nop": 11, "nopember": 11, "november": 11, "des": 12, "desember": 12, "dec": 12,
    "december": 12,
}  # fmt: skip
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/\-. ](\d{1,2})[/\-. ](\d{2}|\d{4})$")
_WORDY_DATE = re.compile(r"^(\d{1,2})[\s\-./]+([a-z]+)[\s\-./,]+(\d{2}|\d{4})$")


def _year(text: str, *, today: dt.date) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year <= today.year % 100 + 10 else 1900
    return year


def parse_date(value: Any, *, today: dt.date | None = None) -> dt.date | None:
    """A date from a cell: Excel dates and serial numbers, ISO, DD/MM/YYYY (the Indonesian order; MM/DD
    only when DD/MM is impossible), and "12 Januari 1990" / "12-Jan-90". Empty -> None; else ValueError."""
    today = today or dt.datetime.now(dt.UTC).date()
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 80_000:  # an Excel serial day number
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        raise ValueError(value)
    text = str(value).strip().lower()
    if not text:
        return None
    if match := _ISO_DATE.match(text):
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    if match := _NUMERIC_DATE.match(text):
        a, b, year = int(match[1]), int(match[2]), _year(match[3], today=today)
        try:
            return dt.date(year, b, a)
        except ValueError:
            return dt.date(year, a, b)
    if (match := _WORDY_DATE.match(text)) and match[2] in MONTHS:
        return dt.date(_year(match[3], today=today), MONTHS[match[2]], int(match[1]))
    if text.isdigit():
        return parse_date(int(text), today=today)
    raise ValueError(text)


SEX_VALUES = {
    "l": "M", "lk": "M", "laki": "M", "laki laki": "M", "pria": "M", "m": "M", "male": "M", "man": "M",
    "p": "F", "pr": "F", "perempuan": "F", "wanita": "F", "w": "F", "f": "F", "female": "F", "woman": "F",
}  # fmt: skip
PURPOSE_VALUES = {
    "bekerja": "work", "kerja": "work", "work": "work", "pekerja": "work", "pmi": "work", "tki": "work",
    "belajar": "study", "studi": "study", "kuliah": "study", "sekolah": "study", "pelajar": "study",
    "mahasiswa": "study", "study": "study", "student": "study", "keluarga": "family", "ikut keluarga": "family",
    "family": "family", "kunjungan": "visit", "wisata": "visit", "liburan": "visit", "visit": "visit",
    "umroh": "visit", "umrah": "visit", "lainnya": "other", "other": "other",
}  # fmt: skip
# Words in a job title -> sector; the longest match wins ("perawat lansia" is care, "perawat" professional).
SECTOR_WORDS: dict[str, str] = {
    "plrt": "domestic", "prt": "domestic", "art": "domestic", "asisten rumah tangga": "domestic",
    "penata laksana rumah tangga": "domestic", "pekerja rumah tangga": "domestic", "pembantu": "domestic",
    "domestic": "domestic", "housemaid": "domestic", "maid": "domestic", "helper": "domestic",
    "informal": "domestic", "caregiver": "care", "care": "care", "perawat lansia": "care",
    "perawat jompo": "care", "pengasuh": "care", "penjaga lansia": "care", "panti jompo": "care",
    "nanny": "care", "babysitter": "care", "perkebunan": "plantation", "kebun": "plantation",
    "sawit": "plantation", "ladang": "plantation", "pertanian": "plantation", "petani": "plantation",
    "plantation": "plantation", "farm": "plantation", "agriculture": "plantation", "pabrik": "manufacturing",
    "manufaktur": "manufacturing", "manufacturing": "manufacturing", "factory": "manufacturing",
    "operator produksi": "manufacturing", "produksi": "manufacturing", "operator": "manufacturing",
    "konstruksi": "construction", "bangunan": "construction", "construction": "construction",
    "tukang": "construction", "nelayan": "fishing", "abk": "fishing", "anak buah kapal": "fishing",
    "perikanan": "fishing", "fishing": "fishing", "fisherman": "fishing", "kapal": "fishing",
    "hotel": "hospitality", "restoran": "hospitality", "restaurant": "hospitality", "spa": "hospitality",
    "hospitality": "hospitality", "pelayan": "hospitality", "jasa": "services", "services": "services",
    "cleaning": "services", "cleaner": "services", "sopir": "services", "supir": "services",
    "driver": "services", "security": "services", "satpam": "services", "toko": "services",
    "retail": "services", "profesional": "professional", "professional": "professional",
    "engineer": "professional", "insinyur": "professional", "dokter": "professional",
    "perawat": "professional", "nurse": "professional", "guru": "professional", "teacher": "professional",
    "lainnya": "other", "other": "other",
}  # fmt: skip
_SECTOR_WORDS_LONGEST_FIRST = sorted(SECTOR_WORDS, key=len, reverse=True)


def parse_sector(text: str) -> str | None:
    folded = fold(text)
    if not folded:
        return ""
    if folded in Sector.values:
        return folded
    padded = f" {folded} "
    for word in _SECTOR_WORDS_LONGEST_FIRST:
        if f" {word} " in padded:
            return SECTOR_WORDS[word]
    return None


COUNTRY_ALIASES = {
    "hongkong": "HK", "hk": "HK", "ksa": "SA", "saudi": "SA", "saudi arabia": "SA", "korsel": "KR",
    "korea": "KR", "south korea": "KR", "uea": "AE", "uae": "AE", "emirat arab": "AE", "brunei": "BN",
    "brunei darussalam": "BN", "usa": "US", "amerika": "US", "uk": "GB", "inggris": "GB", "taiwan roc": "TW",
    "republic of china": "TW", "roc": "TW", "malaysia barat": "MY", "malaysia timur": "MY", "sabah": "MY",
    "sarawak": "MY",
}  # fmt: skip


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    from babel import Locale

    from perisai.places.models import Country

    names: dict[str, str] = {}
    codes = set()
    for iso2, iso3, name, official in Country.objects.values_list("iso2", "iso3", "name", "official_name"):
        codes.add(iso2)
        for text in (iso2, iso3, name, official):
            if text:
                names.setdefault(fold(text), iso2)
    for language in ("id", "en"):
        for code, name in Locale(language).territories.items():
            if code in codes:
                names.setdefault(fold(name), code)
    for alias, code in COUNTRY_ALIASES.items():
        if code in codes:
            names.setdefault(alias, code)
    return names


def resolve_country(text: str) -> str | None:
    folded = fold(text)
    if not folded:
        return ""
    names = _country_names()
    if folded in names:
        return names[folded]
    if len(folded) >= 5:
        from rapidfuzz import fuzz, process

        best = process.extractOne(folded, list(names), scorer=fuzz.ratio, score_cutoff=88)
        if best:
            return names[best[0]]
    return None


_VILLAGE_DIGITS = re.compile(r"^\d{10}$")


@dataclass
class _Lookups:
    """Memoised reference lookups for one import."""

    villages_by_name: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    missions: dict[tuple[float, float], Any] = field(default_factory=dict)
    country_missions: dict[str, Any] = field(default_factory=dict)
    cities: dict[tuple[str, str], Any] = field(default_factory=dict)

    def city(self, name: str, country: str) -> Any:
        """The gazetteer's city for a name in a country, as the registration form resolves it (same kinds of
        match), looked up once per import."""
        from perisai.places.gazetteer import search_cities

        key = (fold(name), country)
        if key not in self.cities:
            found = search_cities(name, country=country, limit=1) if key[0] and country else []
            ok = found and found[0].kind in ("exact", "variant", "similar", "prefix")
            self.cities[key] = found[0] if ok else None
        return self.cities[key]

    def village_by_name(self, name: str, regency: str) -> list[str]:
        from perisai.places.models import Region

        key = (fold(name), fold(regency))
        if key not in self.villages_by_name:
            words = [w for w in fold(name).split() if w not in ("desa", "kelurahan", "ds", "kel")]
            candidates = Region.objects.filter(level=4, retired_at=None, name__iexact=" ".join(words))
            codes = list(candidates.values_list("code", "parent__parent__name"))
            if regency:
                wanted = {
                    w
                    for w in fold(regency).split()
                    if w not in ("kabupaten", "kab", "kota", "kabupaten kota")
                }
                codes = [(c, r) for c, r in codes if wanted and wanted <= set(fold(r or "").split())]
            self.villages_by_name[key] = [c for c, _r in codes]
        return self.villages_by_name[key]

    def mission_at(self, lat: float, lon: float) -> Any:
        from perisai.places.selectors import nearest_mission

        key = (round(lat, 5), round(lon, 5))
        if key not in self.missions:
            self.missions[key] = nearest_mission(lat, lon)
        return self.missions[key]

    def mission_for_country(self, country: str) -> Any:
        from perisai.places.selectors import mission_for_country

        if country not in self.country_missions:
            self.country_missions[country] = mission_for_country(country)
        return self.country_missions[country]


@dataclass
class ConvertedRow:
    data: PersonInput
    provided: set[str]  # fields with a value in this row
    errors: dict[str, list[str]]
    notes: list[str]
    public_id: str = ""  # from an earlier export: the strongest key for updating


def convert_row(
    cells: Sequence[Any],
    mapping: Mapping[int, str],
    *,
    default_country: str = "",
    lookups: _Lookups | None = None,
) -> ConvertedRow:
    """One row of cells -> a PersonInput, with conversion errors per field and notes."""
    lookups = lookups or _Lookups()
    raw: dict[str, tuple[Any, str]] = {}  # field -> (cell, its text)
    for i, name in mapping.items():
        if i < len(cells) and cells[i] is not None and (text := _cell_text(cells[i])) != "":
            raw[name] = (cells[i], text)
    errors: dict[str, list[str]] = {}
    notes: list[str] = []
    values: dict[str, Any] = {}
    public_id = ""
    for name, (value, text) in raw.items():
        if name in DATE_FIELDS:
            try:
                values[name] = parse_date(value)
            except (ValueError, OverflowError):
                errors.setdefault(name, []).append(_("This date is not understood: write it as DD/MM/YYYY."))
        elif name == "sex":
            sex = SEX_VALUES.get(fold(text))
            if sex is None:
                errors.setdefault(name, []).append(_("Write L or P (laki-laki / perempuan)."))
            else:
                values[name] = sex
        elif name == "sector":
            sector = parse_sector(text)
            if sector is None:
                values[name] = "other"
                notes.append(_("Sector not recognised: recorded as “other”."))
            else:
                values[name] = sector
        elif name == "purpose":
            values[name] = PURPOSE_VALUES.get(fold(text), "other")
        elif name == "country":
            code = resolve_country(text)
            if code is None:
                errors.setdefault(name, []).append(_("This country is not recognised."))
            else:
                values[name] = code
        elif name == "home_village":
            compact = re.sub(r"[\s.]", "", text)
            if _VILLAGE_DIGITS.match(compact):
                values[name] = f"{compact[:2]}.{compact[2:4]}.{compact[4:6]}.{compact[6:]}"
            elif re.match(r"^[\d.\s]+$", text):
                values[name] = text.replace(" ", "")  # a malformed code: the form's check reports it
            else:
                codes = lookups.village_by_name(text, raw["home_regency"][1] if "home_regency" in raw else "")
                if len(codes) == 1:
                    values[name] = codes[0]
                else:
                    notes.append(
                        _("Village name not found or not unique: give the village code (Kode Desa).")
                        if not codes
                        else _("Village name matches %(n)d villages: give the village code (Kode Desa).")
                        % {"n": len(codes)}
                    )
        elif name == "public_id":
            try:
                public_id = str(uuid.UUID(text))
            except ValueError:
                errors.setdefault(name, []).append(_("This is not a Perisai ID."))
        elif name in AUX_FIELDS:
            continue
        else:
            if name == "nik" and isinstance(value, float | int) and not isinstance(value, bool):
                notes.append(
                    _("The NIK is stored as a number: format the column as text so no digit is lost.")
                )
            values[name] = text
    if "sector" in values and "purpose" not in values:
        values["purpose"] = "work"
    provided = {k for k, v in values.items() if v not in ("", None)}
    if "country" not in values and "country" not in errors:
        values["country"] = default_country  # for new people only: it never moves someone registered
    data = PersonInput(full_name=values.pop("full_name", ""), country=values.pop("country", ""), **values)
    if data.city_name and data.country:
        city = lookups.city(data.city_name, data.country)
        if city is not None:
            data.city_geonameid, data.lat, data.lon, data.city_name = (
                city.geonameid,
                city.lat,
                city.lon,
                city.name,
            )
    # The form's normal forms, so that a row repeating what is registered compares equal to it.
    data.full_name = " ".join(data.full_name.split())
    data.email = data.email.strip().lower()
    for name in ("phone", "whatsapp", "emergency_contact_phone"):
        if getattr(data, name):
            region = None if name == "emergency_contact_phone" else (data.country or None)
            with contextlib.suppress(FieldError):  # else check_person_input reports it, as the form does
                setattr(data, name, check_phone(getattr(data, name), field=name, country=region))
    return ConvertedRow(data=data, provided=provided, errors=errors, notes=notes, public_id=public_id)


def overlay(existing: PersonInput, row: ConvertedRow) -> PersonInput:
    """The registered values, with the row's non-empty values on top (empty cells never clear anything)."""
    merged = copy.deepcopy(existing)
    for name in row.provided:
        setattr(merged, name, getattr(row.data, name))
    if "country" in row.provided and row.data.country != existing.country and "city_name" not in row.provided:
        merged.city_name = ""
    moved_city = "city_name" in row.provided and fold(row.data.city_name) != fold(existing.city_name)
    if moved_city or ("country" in row.provided and row.data.country != existing.country):
        merged.city_geonameid = row.data.city_geonameid  # resolved from the row's city, or None
        merged.lat, merged.lon = row.data.lat, row.data.lon
    return merged


# ---- the report ------------------------------------------------------------------------------------------


@dataclass
class RowResult:
    line: int
    outcome: Outcome
    person: str = ""  # public id
    fields: list[str] = field(default_factory=list)  # names of the fields set or changed
    messages: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    dry_run: bool
    header_line: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # header -> field ("" when ignored)
    rows: list[RowResult] = field(default_factory=list)
    import_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {o: self.count(o) for o in OUTCOMES}

    def summary(self) -> str:
        return summary_text(self.as_dict(rows=0))

    def write_csv(self, path: Path) -> None:
        with path.open("w", newline="", encoding="utf-8-sig") as handle:
            self.write_to(handle)

    def write_to(self, handle: Any) -> None:
        writer = csv.writer(handle)
        writer.writerow(["line", "outcome", "person", "fields", "messages"])
        for r in self.rows:
            writer.writerow([r.line, r.outcome, r.person, " ".join(r.fields), " | ".join(r.messages)])

    def as_dict(self, *, rows: int | None = None) -> dict[str, Any]:
        return {
            "import_id": self.import_id,
            "dry_run": self.dry_run,
            "header_line": self.header_line,
            "columns": self.columns,
            "counts": self.counts,
            "total": len(self.rows),
            "summary": summary_text(
                {"counts": self.counts, "total": len(self.rows), "dry_run": self.dry_run}
            ),
            "rows": [dataclasses.asdict(r) for r in self.rows[:rows]],
        }


def summary_text(result: Mapping[str, Any]) -> str:
    """The one-line outcome of an import, in the reader's language (a stored result keeps counts, not text)."""
    given: Mapping[str, int] = result.get("counts") or {}
    values: dict[str, int] = {o: int(given.get(o, 0)) for o in OUTCOMES}
    values["rows"] = int(result.get("total", sum(values.values())))
    text = (
        _(
            "%(rows)d rows: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(skipped)d skipped."
        )
        % values
    )
    if result.get("dry_run"):
        text = _("Dry run, nothing was saved.") + " " + text
    return text


# ---- importing -------------------------------------------------------------------------------------------


def _label(name: str, columns_by_field: Mapping[str, str]) -> str:
    if name in columns_by_field:
        return columns_by_field[name]
    if name in FIELDS:
        return str(FIELDS[name].label)
    try:
        return str(getattr(Person._meta.get_field(name), "verbose_name", name))
    except Exception:  # a key such as "location" is not a model field
        return name


def _messages(errors: Mapping[str, list[str]], columns_by_field: Mapping[str, str]) -> list[str]:
    return [f"{_label(name, columns_by_field)}: {' '.join(msgs)}" for name, msgs in errors.items()]


def _in_scope(scope: Scope, person: Person) -> bool:
    from .selectors import person_scope_q

    if scope.everything:
        return True
    if scope.mission_ids and person.mission_id in scope.mission_ids:
        return True
    if person.pk and not scope.mission_ids:
        return Person.objects.filter(person_scope_q(scope), pk=person.pk).exists()
    return False


def _audit_rows(actor: User | None, action: str, people: Sequence[Person], details: dict[str, Any]) -> None:
    ctx = context.current()
    is_user = actor is not None and actor.is_authenticated
    insert_rows(
        AuditEvent,
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
    )


def insert_rows(model: Any, objects: Sequence[Any]) -> None:
    """Insert new rows with one prepared statement (`executemany`).

    Django's `bulk_create` splits rows into statements of at most 999 parameters on SQLite (18 people of
    55 columns each) and compiles every one; this is the same insert, prepared once. Values go through each
    field's `get_db_prep_save`, exactly as the ORM would send them.
    """
    from django.db import DEFAULT_DB_ALIAS, connections

    if not objects:
        return
    connection = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the proxy: asked once per value
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from _meta, values as parameters)
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def insert_people(people: Sequence[Person]) -> None:
    """Insert new people (see insert_rows), then read back their primary keys."""
    insert_rows(Person, people)
    keys = dict(
        Person.objects.filter(public_id__in=[p.public_id for p in people]).values_list("public_id", "pk")
    )
    for person in people:
        person.pk = keys[person.public_id]
        person._state.adding = False


class _Importer:
    def __init__(
        self,
        *,
        table: Table,
        mapping: Mapping[int, str],
        actor: User | None,
        default_country: str,
        dry_run: bool,
        progress: Callable[[int], None] | None,
    ) -> None:
        self.table = table
        self.mapping = dict(mapping)
        self.actor = actor
        self.scope = scope_for(actor) if actor is not None else Scope(everything=True)
        self.default_country = (default_country or "").upper()
        self.dry_run = dry_run
        self.progress = progress
        self.lookups = _Lookups()
        self.reference = ReferenceLookups()  # the form's reference lookups, asked once per import
        self.columns_by_field = {
            name: table.header[i] or name for i, name in self.mapping.items() if i < len(table.header)
        }
        self.report = ImportReport(
            dry_run=dry_run,
            header_line=table.header_line,
            columns={h or f"#{i + 1}": self.mapping.get(i, "") for i, h in enumerate(table.header)},
        )
        self.seen: dict[str, tuple[int, Person | None]] = {}  # blind index -> (line, person once saved)
        self.pending: list[tuple[RowResult, Person, list[str]]] = []

    def run(self) -> ImportReport:
        if not any(v == "full_name" for v in self.mapping.values()):
            raise ImportFileError(
                _("No column is mapped to the name: choose which column holds the full name.")
            )
        chunk: list[tuple[int, list[Any]]] = []
        empty: list[int] = []
        for line, cells in self.table.rows:
            if not any(_cell_text(c) for c in cells):
                empty.append(
                    line
                )  # reported only if a non-empty row follows (trailing blank rows are not rows)
                continue
            for blank in empty:
                self.report.rows.append(RowResult(blank, "skipped", messages=[_("Empty row.")]))
            empty = []
            chunk.append((line, cells))
            if len(chunk) >= CHUNK:
                self._chunk(chunk)
                chunk = []
        if chunk:
            self._chunk(chunk)
        self.report.rows.sort(key=lambda r: r.line)
        return self.report

    def _chunk(self, chunk: list[tuple[int, list[Any]]]) -> None:
        if self.dry_run:
            self._process(chunk)
        else:
            with transaction.atomic():
                self._process(chunk)
                self._flush()
        if self.progress:
            self.progress(len(self.report.rows))

    def _process(self, chunk: list[tuple[int, list[Any]]]) -> None:
        from perisai.core import crypto

        converted = []
        niks, passports, public_ids = set(), set(), set()
        for line, cells in chunk:
            row = convert_row(cells, self.mapping, default_country=self.default_country, lookups=self.lookups)
            nik = crypto.blind_index("nik", row.data.nik) if row.data.nik else ""
            passport = (
                crypto.blind_index("passport", row.data.passport_number) if row.data.passport_number else ""
            )
            keys = [k for k in (f"id:{row.public_id}" if row.public_id else "", nik, passport) if k]
            converted.append((line, row, keys))
            niks.add(nik)
            passports.add(passport)
            public_ids.add(row.public_id)
        self._load_reference([row for _line, row, _keys in converted])
        existing_by: dict[str, Person] = {}
        found = (
            Person.objects.exclude(status__in=[PersonStatus.MERGED, PersonStatus.ERASED])
            .filter(
                Q(nik_index__in=niks - {""})
                | Q(passport_index__in=passports - {""})
                | Q(public_id__in=public_ids - {""})
            )
            .select_related("home_village", "mission")
            .order_by("pk")
        )
        for person in found:
            for key in (f"id:{person.public_id}", person.nik_index, person.passport_index):
                if key:
                    existing_by.setdefault(key, person)
        for line, row, keys in converted:
            self._row(line, row, keys, existing_by)

    def _load_reference(self, rows: list[ConvertedRow]) -> None:
        """The regencies of the chunk's NIKs and its villages, in two queries (the checks then find them
        in self.reference; a value of a registered person that the row does not give is looked up alone)."""
        regencies, villages = set(), set()
        for row in rows:
            regencies.add(nik_regency(row.data.nik))
            if row.data.home_village:
                villages.add(row.data.home_village.strip())
        self.reference.load(regencies=regencies, villages=villages)

    def _row(self, line: int, row: ConvertedRow, keys: list[str], existing_by: dict[str, Person]) -> None:
        result = RowResult(line, "skipped", messages=list(row.notes))
        earlier = next((self.seen[k] for k in keys if k in self.seen), None)
        if earlier is not None and earlier[1] is None:
            self._flush()  # the same person is on an earlier line of this chunk: save it first
            earlier = next((self.seen[k] for k in keys if k in self.seen), None)
        existing = next((existing_by[k] for k in keys if k in existing_by), None)
        if earlier is not None and earlier[1] is not None:
            existing = earlier[1]
        if earlier is not None:
            result.messages.append(_("Same person as line %(line)d.") % {"line": earlier[0]})
        if existing is not None and not _in_scope(self.scope, existing):
            result.messages.append(
                _("Already registered under a mission that is not yours: ask that mission.")
            )
            self.report.rows.append(result)
            return
        try:
            if existing is not None:
                from .selectors import person_as_input

                registered = person_as_input(existing)
                data = overlay(registered, row)
                if data == registered and not row.errors:  # the row repeats the record: nothing to check
                    self._unchanged(result, existing)
                    return
                checked = check_person_input(data, reference=self.reference)
            else:
                data = row.data
                checked = check_person_input(data, reference=self.reference)
        except RegistryInputError as exc:
            errors = {**exc.errors}
            for name, msgs in row.errors.items():
                errors.setdefault(name, []).extend(msgs)
            result.messages = _messages(errors, self.columns_by_field) + result.messages
            self.report.rows.append(result)
            return
        if row.errors:
            result.messages = _messages(row.errors, self.columns_by_field) + result.messages
            self.report.rows.append(result)
            return
        if existing is not None:
            self._update(result, existing, data, checked)
        else:
            result.fields = sorted(row.provided - {"country"} | ({"country"} if row.data.country else set()))
            self._create(result, checked, keys)

    def _unchanged(self, result: RowResult, person: Person) -> None:
        result.outcome = "unchanged"
        result.person = str(person.public_id) if person.pk else ""
        self._remember(result, person)
        self.report.rows.append(result)

    def _remember(self, result: RowResult, person: Person) -> None:
        for key in (f"id:{person.public_id}" if person.pk else "", person.nik_index, person.passport_index):
            if key:
                self.seen.setdefault(key, (result.line, person))

    def _update(self, result: RowResult, person: Person, data: PersonInput, checked: CheckedPerson) -> None:
        preview = copy.copy(person)
        changed = _apply(preview, checked)
        result.person = str(person.public_id) if person.pk else ""
        if not changed:
            result.outcome = "unchanged"
        else:
            result.outcome = "updated"
            if not self.dry_run:
                changed = do_update_person(
                    person=person, data=data, actor=self.actor, reference=self.reference
                )
            result.fields = sorted(set(changed))
        self._remember(result, person)
        self.report.rows.append(result)

    def _create(self, result: RowResult, checked: CheckedPerson, keys: list[str]) -> None:
        values = checked.values
        lat, lon = values.get("lat"), values.get("lon")
        person = Person(source=Person.Source.IMPORT)
        _apply(person, dataclasses.replace(checked, values={**values, "lat": None, "lon": None}))
        if lat is not None and lon is not None:
            person.lat, person.lon = lat, lon
            person.h3_r4 = geo.cell_int(lat, lon, 4)
            person.h3_r6 = geo.cell_int(lat, lon, 6)
            person.mission = self.lookups.mission_at(lat, lon)
        if person.mission_id is None:
            person.mission = self.lookups.mission_for_country(person.country_id)
        if not self.scope.everything and person.mission_id not in self.scope.mission_ids:
            result.messages.append(
                _("This person would belong to %(mission)s, which is not one of your missions.")
                % {"mission": person.mission.name if person.mission else "—"}
            )
            self.report.rows.append(result)
            return
        result.outcome = "created"
        if self.dry_run:  # later lines about the same person are compared with this unsaved record
            for key in keys:
                self.seen.setdefault(key, (result.line, person))
            self.report.rows.append(result)
            return
        for key in keys:
            self.seen.setdefault(key, (result.line, None))
        self.pending.append((result, person, keys))

    def _flush(self) -> None:
        if not self.pending:
            return
        people = [p for _r, p, _k in self.pending]
        insert_people(people)
        _audit_rows(
            self.actor,
            "person.create",
            people,
            {"source": Person.Source.IMPORT, "import": self.report.import_id},
        )
        for result, person, keys in self.pending:
            result.person = str(person.public_id)
            self.report.rows.append(result)
            for key in keys:
                self.seen[key] = (result.line, person)
        self.pending = []


def do_import_people(
    *,
    table: Table,
    actor: User | None,
    mapping: Mapping[int, str] | None = None,
    default_country: str = "",
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import the table's rows (see the module docstring). Saved in chunks of CHUNK rows, each atomic: an
    interrupted import can simply be run again. The import itself is audited ("person.import", counts only);
    each person created or updated is audited as by the form."""
    from perisai.core import audit

    importer = _Importer(
        table=table,
        mapping=guess_mapping(table.header) if mapping is None else mapping,
        actor=actor,
        default_country=default_country,
        dry_run=dry_run,
        progress=progress,
    )
    report = importer.run()
    audit.record(
        actor=actor,
        action="person.import",
        object_type=Person._meta.label_lower,
        details={"import": report.import_id, "dry_run": dry_run, "kind": table.kind, **report.counts},
    )
    return report


# ---- import jobs for the page (upload -> mapping -> preview -> import), and the task ---------------------------


JOB_LIFETIME = dt.timedelta(hours=24)
INLINE_ROWS = 2000  # larger imports from the page go to the task queue


def jobs_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "registry-imports"


@dataclass
class ImportJob:
    """An upload being imported from the page. Kept as files (the upload, a JSON state, the report) under
    MEDIA_ROOT/registry-imports/<id>/; the upload is deleted as soon as it is imported, and abandoned jobs
    after JOB_LIFETIME."""

    id: str
    owner_id: int
    filename: str
    suffix: str
    encoding: str = ""
    country: str = ""
    sheet: str = ""
    overrides: dict[str, str] = field(default_factory=dict)
    state: str = "uploaded"  # uploaded, previewed, queued, running, done, failed
    created_at: str = ""
    task_id: str = ""
    result: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    language: str = ""  # the officer's: the row report's messages are written in it

    @property
    def folder(self) -> Path:
        return jobs_dir() / self.id

    @property
    def source(self) -> Path:
        return self.folder / f"upload{self.suffix}"

    @property
    def report_path(self) -> Path:
        return self.folder / "report.csv"

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / "job.json.tmp"
        tmp.write_text(json.dumps(dataclasses.asdict(self)))
        tmp.replace(self.folder / "job.json")

    @classmethod
    def load(cls, job_id: str, *, owner: User | None = None) -> ImportJob | None:
        try:
            uuid.UUID(job_id)
            data = json.loads((jobs_dir() / job_id / "job.json").read_text())
        except (ValueError, OSError):
            return None
        job = cls(**data)
        if owner is not None and job.owner_id != owner.pk:
            return None
        return job

    @classmethod
    def create(
        cls, *, owner: User, filename: str, chunks: Iterator[bytes], encoding: str = "", country: str = ""
    ) -> ImportJob:
        purge_old_jobs()
        suffix = Path(filename).suffix.lower()
        suffix = suffix if suffix in (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls") else ".csv"
        job = cls(
            id=str(uuid.uuid4()),
            owner_id=owner.pk,
            filename=Path(filename).name[:200],
            suffix=suffix,
            encoding=encoding,
            country=country,
            created_at=timezone.now().isoformat(),
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        job.folder.mkdir(parents=True, exist_ok=True)
        with job.source.open("wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        job.save()
        return job

    def table(self) -> Table:
        if not self.source.exists():
            raise ImportFileError(_("The uploaded file is no longer here: upload it again."))
        return open_table(self.source, encoding=self.encoding, sheet=self.sheet)

    def mapping(self, table: Table) -> dict[int, str]:
        return apply_mapping_overrides(table.header, guess_mapping(table.header), self.overrides)

    def actor(self) -> User | None:
        return User.objects.filter(pk=self.owner_id, is_active=True).first()

    def run(self, *, dry_run: bool) -> ImportReport:
        with translation.override(self.language or settings.LANGUAGE_CODE):
            table = self.table()
            report = do_import_people(
                table=table,
                actor=self.actor(),
                mapping=self.mapping(table),
                default_country=self.country,
                dry_run=dry_run,
            )
            report.write_csv(self.folder / ("preview.csv" if dry_run else "report.csv"))
        return report

    def finish(self, report: ImportReport) -> None:
        self.source.unlink(missing_ok=True)
        self.state = "done"
        self.result = report.as_dict(rows=0)
        self.save()


def purge_old_jobs(*, now: dt.datetime | None = None) -> int:
    """Delete abandoned uploads and old reports (they hold personal data)."""
    now = now or timezone.now()
    removed = 0
    root = jobs_dir()
    if not root.exists():
        return 0
    for folder in root.iterdir():
        meta = folder / "job.json"
        try:
            created = dt.datetime.fromisoformat(json.loads(meta.read_text())["created_at"])
        except (OSError, ValueError, KeyError):
            created = dt.datetime.fromtimestamp(folder.stat().st_mtime, tz=dt.UTC)
        if now - created > JOB_LIFETIME:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


@task(queue_name="imports")
def import_people_task(job_id: str) -> dict[str, Any]:
    """Run a page's import in the background (idempotent: a re-run updates nothing already imported)."""
    job = ImportJob.load(job_id)
    if job is None:
        return {"error": "job not found"}
    job.state = "running"
    job.save()
    try:
        report = job.run(dry_run=False)
    except ImportFileError as exc:
        job.state, job.error = "failed", str(exc)
        job.save()
        return {"error": str(exc)}
    job.finish(report)
    return job.result
