"""Which Indonesian mission serves a point: by consular jurisdiction first, distance second.

A person in Johor Bahru is nearer KBRI Singapore than KJRI Johor Bahru, yet KJRI Johor Bahru serves them;
a person in Sandakan is served by KJRI Kota Kinabalu although KRI Tawau may be nearer. So
:func:`nearest_mission` locates the point (country, ISO 3166-2 subdivision, nearest gazetteer city), keeps
the missions whose jurisdiction covers it, and only then uses distance.

A mission is any object with ``code``, ``lat``, ``lon``, ``country`` and ``jurisdiction``: a sequence of
entries with ``country`` (ISO alpha-2), ``subdivisions`` (ISO 3166-2; empty = the whole country),
``except_subdivisions`` and, optionally, ``cities`` (GeoNames ids) — e.g.
:class:`perisai.places.reference.MissionRecord`, a Django model wrapped in a small adapter, or a test
dataclass. Semantics (the same as ``reference.responsible_mission``):

- an entry with ``cities`` covers exactly those cities: it matches when the point's nearest gazetteer city
  is one of them ("jurisdiction_city"); KRI Tawau serves Tawau, Semporna, Lahad Datu and Kunak;
- an entry with ``subdivisions`` covers them and everything below them (``PH-11`` covers ``PH-DAS``)
  ("jurisdiction_subdivision"); a more specific subdivision beats its parent;
- an entry with neither covers the whole country ("jurisdiction_country");
- ``except_subdivisions`` (and their descendants) are removed from subdivision and country entries;
- city beats subdivision beats country; among equals, the nearest mission wins;
- when no mission covers the country: the missions covering its sovereign if ``sovereign_of`` names one
  ("jurisdiction_sovereign"), else the nearest mission overall ("nearest_fallback").

Pure Python: imports nothing from Django.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, Literal, Protocol, TypeVar

import pycountry

from .gazetteer import Location, locate
from .geometry import haversine_km

__all__ = [
    "JurisdictionLike",
    "MissionChoice",
    "MissionLike",
    "Reason",
    "covering_level",
    "nearest_mission",
    "subdivision_chain",
]

Reason = Literal[
    "jurisdiction_city",
    "jurisdiction_subdivision",
    "jurisdiction_country",
    "jurisdiction_sovereign",
    "nearest_fallback",
]


class JurisdictionLike(Protocol):
    """One jurisdiction entry; ``cities`` (GeoNames ids) is read with ``getattr`` and may be absent."""

    @property
    def country(self) -> str: ...

    @property
    def subdivisions(self) -> Sequence[str]: ...

    @property
    def except_subdivisions(self) -> Sequence[str]: ...


class MissionLike(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def lat(self) -> float: ...

    @property
    def lon(self) -> float: ...

    @property
    def country(self) -> str: ...

    @property
    def jurisdiction(self) -> Sequence[JurisdictionLike]: ...


M = TypeVar("M", bound=MissionLike)


@dataclass(frozen=True, slots=True)
class MissionChoice(Generic[M]):
    mission: M
    reason: Reason
    distance_km: float  # from the point to the mission
    location: Location | None = None  # how the point was located


@lru_cache(maxsize=4096)
def subdivision_chain(code: str) -> tuple[str, ...]:
    """The subdivision and its ancestors in pycountry, most specific first: ``PH-DAS`` -> PH-DAS, PH-11."""
    chain: list[str] = []
    current: str | None = code
    while current and current not in chain:
        chain.append(current)
        sub = pycountry.subdivisions.get(code=current)  # type: ignore[no-untyped-call]
        current = None if sub is None else sub.parent_code
    return tuple(chain)


def covering_level(entry: JurisdictionLike, location: Location) -> tuple[int, int] | None:
    """How specifically ``entry`` covers the located point, None when it does not.

    ``(3, 0)`` city, ``(2, -depth)`` subdivision (0 = the point's own subdivision, -1 its parent...),
    ``(1, 0)`` whole country: larger is more specific.
    """
    if entry.country.upper() != location.country:
        return None
    cities = getattr(entry, "cities", None) or ()
    if cities:
        return (3, 0) if location.geonameid in {int(c) for c in cities} else None
    chain = subdivision_chain(location.subdivision) if location.subdivision else ()
    if set(chain) & {s.upper() for s in entry.except_subdivisions}:
        return None
    if entry.subdivisions:
        wanted = {s.upper() for s in entry.subdivisions}
        for depth, code in enumerate(chain):
            if code in wanted:
                return (2, -depth)
        return None
    return (1, 0)


_REASONS: dict[int, Reason] = {
    3: "jurisdiction_city",
    2: "jurisdiction_subdivision",
    1: "jurisdiction_country",
}


def nearest_mission(
    lat: float,
    lon: float,
    missions: Sequence[M],
    *,
    locate: Callable[[float, float], Location] = locate,
    sovereign_of: Mapping[str, str] | None = None,
) -> MissionChoice[M]:
    """The mission that serves the point (lat, lon): jurisdiction first, then distance.

    ``locate`` maps a point to a :class:`~perisai.places.gazetteer.Location` (the gazetteer's by default;
    tests pass their own). ``sovereign_of`` maps a dependent territory to its sovereign's ISO code
    (``reference.SOVEREIGN_OF``): a territory no mission covers goes to the post serving its sovereign.
    """
    if not missions:
        raise ValueError("no missions to choose from")
    where = locate(lat, lon)
    best_level: tuple[int, int] | None = None
    candidates: list[M] = []
    for mission in missions:
        levels = [lvl for e in mission.jurisdiction if (lvl := covering_level(e, where)) is not None]
        if not levels:
            continue
        level = max(levels)
        if best_level is None or level > best_level:
            best_level, candidates = level, [mission]
        elif level == best_level:
            candidates.append(mission)

    reason: Reason
    if best_level is not None:
        reason = _REASONS[best_level[0]]
    else:
        sovereign = (sovereign_of or {}).get(where.country)
        sovereign_where = Location(
            lat=where.lat,
            lon=where.lon,
            country=sovereign or "",
            admin1="",
            subdivision=None,
            geonameid=where.geonameid,
            city=where.city,
            distance_km=where.distance_km,
        )
        candidates = [
            m
            for m in missions
            if sovereign and any(covering_level(e, sovereign_where) for e in m.jurisdiction)
        ]
        reason = "jurisdiction_sovereign" if candidates else "nearest_fallback"
        candidates = candidates or list(missions)

    distances = [haversine_km(lat, lon, m.lat, m.lon) for m in candidates]
    i = min(range(len(candidates)), key=lambda k: (distances[k], candidates[k].code))
    return MissionChoice(mission=candidates[i], reason=reason, distance_km=distances[i], location=where)
