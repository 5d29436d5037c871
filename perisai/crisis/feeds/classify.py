"""Event kinds from hazard codes and free text (English and Indonesian keywords)."""

import re

from .events import Kind, Severity

#: GDACS event types (also used by ReliefWeb and GLIDE numbers)
HAZARD_CODES: dict[str, Kind] = {
    "EQ": Kind.EARTHQUAKE,
    "TS": Kind.TSUNAMI,
    "TC": Kind.CYCLONE,
    "EC": Kind.CYCLONE,  # extratropical cyclone
    "FL": Kind.FLOOD,
    "FF": Kind.FLOOD,  # flash flood
    "SS": Kind.FLOOD,  # storm surge
    "VO": Kind.VOLCANO,
    "DR": Kind.DROUGHT,
    "WF": Kind.WILDFIRE,
    "FA": Kind.WILDFIRE,  # GLIDE "fire"
    "EP": Kind.EPIDEMIC,
    "ST": Kind.STORM,  # severe local storm
    "CE": Kind.ARMED_CONFLICT,  # complex emergency
    "AC": Kind.OTHER,  # GLIDE technological disaster
    "CW": Kind.OTHER,
    "ET": Kind.OTHER,
    "SL": Kind.OTHER,
    "HT": Kind.OTHER,
    "LS": Kind.OTHER,
    "MS": Kind.OTHER,
    "AV": Kind.OTHER,
    "IN": Kind.OTHER,
    "OT": Kind.OTHER,
}

#: first match wins; a keyword matches at the start of a word ("flood" in "flooding")
_KEYWORDS: tuple[tuple[Kind, tuple[str, ...]], ...] = (
    (Kind.TSUNAMI, ("tsunami",)),
    (Kind.EARTHQUAKE, ("earthquake", "quake", "seismic", "gempa")),
    (Kind.VOLCANO, ("volcan", "eruption", "ashfall", "lahar", "erupsi", "gunung api", "gunungapi")),
    (Kind.CYCLONE, ("cyclone", "typhoon", "hurricane", "tropical storm", "tropical depression", "siklon")),
    (Kind.FLOOD, ("flood", "flash flood", "storm surge", "inundation", "banjir")),
    (Kind.OTHER, ("structure fire", "structure_fire", "building fire", "house fire", "vehicle fire")),
    (
        Kind.WILDFIRE,
        (
            "wildfire",
            "bushfire",
            "bush fire",
            "forest fire",
            "grass fire",
            "grassfire",
            "kebakaran hutan",
            "karhutla",
        ),
    ),
    (Kind.DROUGHT, ("drought", "kekeringan")),
    (
        Kind.EPIDEMIC,
        (
            "epidemic",
            "pandemic",
            "outbreak",
            "cholera",
            "ebola",
            "dengue",
            "measles",
            "mpox",
            "covid",
            "wabah",
        ),
    ),
    (
        Kind.CHEMICAL,
        ("chemical", "hazmat", "hazardous material", "toxic", "radiolog", "nuclear", "gas leak", "cbrn"),
    ),
    (
        Kind.ARMED_CONFLICT,
        (
            "armed conflict",
            "terroris",
            "missile",
            "air raid",
            "airstrike",
            "air strike",
            "shelling",
            "rocket",
            "active shooter",
            "shooting",
            "gunfire",
            "bombing",
            "hostilities",
            "konflik bersenjata",
        ),
    ),
    (
        Kind.CIVIL_UNREST,
        (
            "civil unrest",
            "unrest",
            "riot",
            "protest",
            "demonstration",
            "curfew",
            "kerusuhan",
            "demonstrasi",
            "unjuk rasa",
        ),
    ),
    (
        Kind.STORM,
        (
            "thunderstorm",
            "storm",
            "tornado",
            "wind",
            "hail",
            "squall",
            "gale",
            "blizzard",
            "puting beliung",
            "hujan lebat",
            "petir",
            "badai",
            "cuaca ekstrem",
        ),
    ),
)

_PATTERNS = tuple(
    (kind, re.compile(r"\b(?:" + "|".join(re.escape(k) for k in keywords) + ")", re.IGNORECASE))
    for kind, keywords in _KEYWORDS
)

#: CAP <category> when no keyword matched
CAP_CATEGORY_KINDS: dict[str, Kind] = {
    "fire": Kind.WILDFIRE,
    "health": Kind.EPIDEMIC,
    "cbrne": Kind.CHEMICAL,
}


#: "Tidak berpotensi tsunami", "no tsunami threat": the negated hazard word is not a match
_NEGATED = re.compile(
    r"\b(?:tidak\s+berpotensi|tidak\s+ada|tidak|tanpa|no|not|without|non)[\s-]+"
    r"(?:potensi\s+|potential\s+|threat\s+of\s+|risk\s+of\s+|a\s+)?\w+",
    re.IGNORECASE,
)


def kind_from_text(*texts: str | None) -> Kind | None:
    """The first kind whose keyword appears in the texts (checked in order of the rules);
    negated words ("Tidak berpotensi tsunami", "no tsunami threat") do not count."""
    joined = _NEGATED.sub(" ", " | ".join(t for t in texts if t))
    if not joined.strip(" |"):
        return None
    for kind, pattern in _PATTERNS:
        if pattern.search(joined):
            return kind
    return None


def kind_from_code(code: str | None) -> Kind | None:
    if not code:
        return None
    return HAZARD_CODES.get(code.strip().upper())


#: GDACS alert levels (documented in README.md)
GDACS_LEVELS: dict[str, Severity] = {
    "red": Severity.EXTREME,
    "orange": Severity.SEVERE,
    "green": Severity.MINOR,
}
#: USGS PAGER alert levels
PAGER_LEVELS: dict[str, Severity] = {
    "red": Severity.EXTREME,
    "orange": Severity.SEVERE,
    "yellow": Severity.MODERATE,
    "green": Severity.MINOR,
}


def severity_from_magnitude(magnitude: float | None) -> Severity:
    """Used only when USGS gives no PAGER alert."""
    if magnitude is None:
        return Severity.UNKNOWN
    if magnitude >= 7.5:
        return Severity.EXTREME
    if magnitude >= 6.5:
        return Severity.SEVERE
    if magnitude >= 5.5:
        return Severity.MODERATE
    return Severity.MINOR
