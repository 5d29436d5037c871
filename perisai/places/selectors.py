"""Reads of places. Regions, missions and the gazetteer are public reference data (no personal data)."""

from __future__ import annotations

import gettext
import threading
import time
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from django.db.models import Q, QuerySet
from django.utils.translation import get_language

from .models import Mission, MissionJurisdiction, Region


@lru_cache(maxsize=8)
def _country_translation(language: str) -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return gettext.NullTranslations()


def country_display_name(iso2: str, english_name: str) -> str:
    """Country names in the user's language, from pycountry's ISO 3166 translations."""
    language = (get_language() or "id").split("-")[0]
    if language == "en":
        return english_name
    return _country_translation(language).gettext(english_name)


def search_regions(
    *, query: str = "", parent: str | None = None, level: int | None = None, limit: int = 20
) -> QuerySet[Region]:
    qs = Region.objects.filter(retired_at=None)
    if parent:
        qs = qs.filter(parent_id=parent)
    if level:
        qs = qs.filter(level=level)
    query = query.strip()
    if query:
        if query.replace(".", "").isdigit():
            qs = qs.filter(code__startswith=query)
        else:
            for word in query.split()[:4]:
                qs = qs.filter(name__icontains=word)
    return qs.select_related("parent__parent__parent").order_by("level", "name")[:limit]


def region_path(region: Region) -> str:
    names = []
    node: Region | None = region
    while node is not None:
        names.append(node.name)
        node = node.parent
    return ", ".join(names)


def list_missions(*, country: str | None = None, query: str = "") -> QuerySet[Mission]:
    qs = Mission.objects.filter(active=True).select_related("country")
    if country:
        qs = qs.filter(Q(country_id=country) | Q(jurisdictions__country_id=country)).distinct()
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(city__icontains=query))
    return qs.order_by("country__name", "name")


@dataclass(frozen=True)
class JurisdictionView:
    country: str
    subdivisions: list[str]
    except_subdivisions: list[str]
    cities: list[int]


@dataclass(frozen=True)
class MissionView:
    """What the pure jurisdiction logic needs of a mission."""

    pk: int
    code: str
    lat: float
    lon: float
    country: str
    jurisdiction: list[JurisdictionView]


_cache_lock = threading.Lock()
_cache: tuple[float, list[MissionView]] | None = None
CACHE_SECONDS = 60.0


def mission_views() -> list[MissionView]:
    global _cache
    with _cache_lock:
        if _cache is not None and time.monotonic() - _cache[0] < CACHE_SECONDS:
            return _cache[1]
        views = [
            MissionView(
                pk=m.pk,
                code=m.code,
                lat=m.lat,
                lon=m.lon,
                country=m.country_id,
                jurisdiction=[
                    JurisdictionView(
                        country=j.country_id,
                        subdivisions=list(j.subdivisions),
                        except_subdivisions=list(j.except_subdivisions),
                        cities=[int(c) for c in j.cities],
                    )
                    for j in m.jurisdictions.all()
                ],
            )
            for m in Mission.objects.filter(active=True).prefetch_related("jurisdictions")
        ]
        _cache = (time.monotonic(), views)
        return views


def clear_mission_cache() -> None:
    global _cache
    with _cache_lock:
        _cache = None


def nearest_mission(lat: float, lon: float) -> Mission | None:
    """The mission responsible for a point, respecting jurisdictions rather than plain distance."""
    from .jurisdiction import nearest_mission as choose

    views = mission_views()
    if not views:
        return None
    choice = choose(lat, lon, views)
    if choice is None:
        return None
    return Mission.objects.select_related("country").get(pk=choice.mission.pk)


def mission_for_country(country: str) -> Mission | None:
    """Without a location: the mission whose jurisdiction covers the whole country (an embassy first)."""
    candidates = [
        j.mission
        for j in MissionJurisdiction.objects.filter(mission__active=True, country_id=country).select_related(
            "mission"
        )
        if not j.subdivisions and not j.cities
    ] or list(Mission.objects.filter(active=True, country_id=country))
    candidates.sort(key=lambda m: (m.type != Mission.Type.EMBASSY, m.name))
    return candidates[0] if candidates else None
