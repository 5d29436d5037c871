"""Where is she? A country or a city from what she writes, a shared location, or her phone number's country.

Informal spellings matter ("saudi", "hongkong", "malaysi", "taiwan"): a short alias table of the main
destinations comes first, then every country's English, official and Indonesian names, then the offline
gazetteer's cities (which also give a point, so that jurisdictions inside a country are respected).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import phonenumbers

from perisai.places.gazetteer import City, fold, iter_cities, locate, search_cities
from perisai.places.models import Country, Mission
from perisai.places.selectors import mission_for_country, nearest_mission

# The main destinations of Indonesian migrant workers, as people write them.
ALIASES: dict[str, str] = {
    "malaysia": "MY",
    "malaysi": "MY",
    "malasia": "MY",
    "malaisia": "MY",
    "mlysia": "MY",
    "msia": "MY",
    "malay": "MY",
    "arab saudi": "SA",
    "saudi": "SA",
    "saudi arabia": "SA",
    "arab": "SA",
    "ksa": "SA",
    "hongkong": "HK",
    "hong kong": "HK",
    "hk": "HK",
    "taiwan": "TW",
    "formosa": "TW",
    "singapura": "SG",
    "singapore": "SG",
    "uea": "AE",
    "uae": "AE",
    "emirat": "AE",
    "uni emirat arab": "AE",
    "qatar": "QA",
    "katar": "QA",
    "kuwait": "KW",
    "oman": "OM",
    "bahrain": "BH",
    "yordania": "JO",
    "jordan": "JO",
    "brunei": "BN",
    "brunei darussalam": "BN",
    "korea": "KR",
    "korsel": "KR",
    "korea selatan": "KR",
    "south korea": "KR",
    "jepang": "JP",
    "japan": "JP",
    "turki": "TR",
    "mesir": "EG",
    "amerika": "US",
    "amerika serikat": "US",
    "usa": "US",
    "inggris": "GB",
    "belanda": "NL",
    "jerman": "DE",
    "australia": "AU",
    "selandia baru": "NZ",
    "thailand": "TH",
    "filipina": "PH",
    "kamboja": "KH",
    "myanmar": "MM",
    "tiongkok": "CN",
    "cina": "CN",
    "china": "CN",
    "makau": "MO",
    "macau": "MO",
    "polandia": "PL",
    "irak": "IQ",
    "suriah": "SY",
    "lebanon": "LB",
    "aljazair": "DZ",
    "maroko": "MA",
}
_FILLER = re.compile(
    r"^(?:saya|aku|sy|aq|gw|gue|kami|i|we|am|im|i m|are|sekarang|skrg|skg|now|lagi|masih|tinggal|kerja|"
    r"bekerja|di|dinegara|negara|kota|in|at|the|country|city|ada|berada|currently)\s+"
)


@dataclass(frozen=True)
class Place:
    country: str
    lat: float | None = None
    lon: float | None = None
    label: str = ""  # the gazetteer's spelling of the city, or "" for a country


_lock = threading.Lock()
_names: dict[str, str] | None = None


def _country_names() -> dict[str, str]:
    """Folded country names (English, official, Indonesian) -> ISO code, built once per process."""
    global _names
    with _lock:
        if _names is None:
            from perisai.places.selectors import _country_translation

            indonesian = _country_translation("id")
            names: dict[str, str] = {}
            for iso2, name, official in Country.objects.values_list("iso2", "name", "official_name"):
                for value in (name, official, indonesian.gettext(name)):
                    if value:
                        names.setdefault(fold(value), iso2)
            _names = names
        return _names


def _clean(text: str) -> str:
    folded = fold(text)
    folded = re.sub(r"[^\w\s]", " ", folded)
    folded = re.sub(r"\s+", " ", folded).strip()
    previous = None
    while previous != folded:
        previous = folded
        folded = _FILLER.sub("", folded)
    return folded


@lru_cache(maxsize=1)
def _cities_by_name() -> dict[str, City]:
    """Exact city names (own, Latin alternate, and the Indonesian spelling variants) -> the largest such
    city. Built once per process (about a second): a dictionary look-up instead of a fuzzy scan."""
    best: dict[str, City] = {}
    for city in iter_cities():
        for name in (city.name, *city.alternatenames):
            key = fold(name)
            if len(key) >= 3 and (key not in best or best[key].population < city.population):
                best[key] = city
    import perisai.places

    variants_path = Path(perisai.places.__file__).resolve().parent / "data" / "spelling_variants.json"
    variants = json.loads(variants_path.read_text(encoding="utf-8")).get("variants", {})
    for variant, target in variants.items():
        found = best.get(fold(target["name"]))
        if found is not None and found.country == target["country"].upper():
            best[fold(variant)] = found
    return best


def place_from_text(text: str, *, fuzzy: bool = True) -> Place | None:
    """A country or city named in a short message, or None. Exact names first (fast); a fuzzy search
    of the gazetteer only for a short answer that is no known name (a typo in a city's name)."""
    query = _clean(text)
    if not query or len(query) > 60 or query.isdigit():
        return None
    code = ALIASES.get(query) or _country_names().get(query)
    if code is None and " " in query:
        for word in (query.split()[-1], query.split()[0]):
            code = ALIASES.get(word) or _country_names().get(word)
            if code:
                break
    if code and Country.objects.filter(iso2=code).exists():
        return Place(country=code)
    city = _cities_by_name().get(query)
    if city is not None:
        return Place(country=city.country, lat=city.lat, lon=city.lon, label=city.name)
    if fuzzy and len(query) >= 4 and len(query.split()) <= 2:
        matches = search_cities(query, limit=1)
        if matches and matches[0].kind in ("exact", "variant", "similar"):
            found = matches[0]
            return Place(country=found.country, lat=found.lat, lon=found.lon, label=found.name)
    return None


def place_from_point(lat: float, lon: float) -> Place | None:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    where = locate(lat, lon)
    return Place(country=where.country, lat=lat, lon=lon, label=where.city)


def country_from_phone(address: str) -> str:
    """The country of an E.164 number (a hint only: many keep a SIM from elsewhere); "" if none or Indonesia."""
    if not address.startswith("+"):
        return ""
    try:
        number = phonenumbers.parse(address, None)
    except phonenumbers.NumberParseException:
        return ""
    region = phonenumbers.region_code_for_number(number) or ""
    return "" if region in ("ID", "ZZ") else region


def mission_for(place: Place) -> Mission | None:
    """The responsible mission: by jurisdiction for a point, else the one covering the whole country."""
    if place.lat is not None and place.lon is not None:
        mission = nearest_mission(place.lat, place.lon)
        if mission is not None:
            return mission
    return mission_for_country(place.country)


_warming = threading.Event()


def warm_up() -> None:
    """Build the exact-name index in the background, once per process, so that the first emergency of a
    worker does not wait for it (about 2 s of one core)."""
    if _warming.is_set():
        return
    _warming.set()

    def build() -> None:
        _cities_by_name()  # the gazetteer's fuzzy index is left for the rare typo that needs it

    threading.Thread(target=build, name="helpdesk-places-warm-up", daemon=True).start()
