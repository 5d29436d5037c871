"""Reference data: public (no personal data), so the registration form can use it before sign-in."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from perisai.core.permissions import PUBLIC

from . import selectors
from .models import Mission

router = Router(tags=["places"])


def public(func):  # type: ignore[no-untyped-def]
    func.perisai_capability = PUBLIC
    return func


class RegionOut(Schema):
    code: str
    name: str
    level: int
    kind: str
    parent_code: str | None
    path: str
    postal_code: str


class RegionQuery(Schema):
    q: str = Field("", max_length=100)
    parent: str | None = Field(None, max_length=13)
    level: int | None = Field(None, ge=1, le=4)
    limit: int = Field(20, ge=1, le=100)


@router.get(
    "/regions",
    response=list[RegionOut],
    auth=None,
    operation_id="region_list",
    summary="Search Indonesian regions (Kemendagri codes)",
)
@public
def region_list(request: HttpRequest, filters: Query[RegionQuery]) -> list[RegionOut]:
    regions = selectors.search_regions(
        query=filters.q, parent=filters.parent, level=filters.level, limit=filters.limit
    )
    return [
        RegionOut(
            code=r.code,
            name=r.name,
            level=r.level,
            kind=r.kind,
            parent_code=r.parent_id,
            path=selectors.region_path(r),
            postal_code=r.postal_code,
        )
        for r in regions
    ]


class JurisdictionOut(Schema):
    country: str
    subdivisions: list[str]
    except_subdivisions: list[str]


class MissionOut(Schema):
    code: str
    type: str
    name: str
    name_en: str
    city: str
    country: str
    lat: float
    lon: float
    hotline: str
    phone: str
    email: str
    address: str
    website: str
    verified: bool
    jurisdiction: list[JurisdictionOut]


def _mission_out(m: Mission) -> MissionOut:
    return MissionOut(
        code=m.code,
        type=m.type,
        name=m.name,
        name_en=m.name_en,
        city=m.city,
        country=m.country_id,
        lat=m.lat,
        lon=m.lon,
        hotline=m.hotline,
        phone=m.phone,
        email=m.email,
        address=m.address,
        website=m.website,
        verified=m.verified,
        jurisdiction=[
            JurisdictionOut(
                country=j.country_id, subdivisions=j.subdivisions, except_subdivisions=j.except_subdivisions
            )
            for j in m.jurisdictions.all()
        ],
    )


class MissionQuery(Schema):
    country: str | None = Field(None, min_length=2, max_length=2)
    q: str = Field("", max_length=100)


@router.get(
    "/missions",
    response=list[MissionOut],
    auth=None,
    operation_id="mission_list",
    summary="Indonesia's missions abroad",
)
@public
def mission_list(request: HttpRequest, filters: Query[MissionQuery]) -> list[MissionOut]:
    missions = selectors.list_missions(country=(filters.country or "").upper() or None, query=filters.q)
    return [_mission_out(m) for m in missions.prefetch_related("jurisdictions")]


@router.get(
    "/missions/{code}", response=MissionOut, auth=None, operation_id="mission_get", summary="One mission"
)
@public
def mission_get(request: HttpRequest, code: str) -> MissionOut:
    return _mission_out(get_object_or_404(Mission.objects.select_related("country"), code=code, active=True))


class PointQuery(Schema):
    lat: float = Field(..., ge=-90, le=90)
    lon: float = Field(..., ge=-180, le=180)


class NearestOut(Schema):
    mission: MissionOut | None


@router.get(
    "/nearest-mission",
    response=NearestOut,
    auth=None,
    operation_id="mission_nearest",
    summary="The mission responsible for a point (respects jurisdictions)",
)
@public
def mission_nearest(request: HttpRequest, point: Query[PointQuery]) -> NearestOut:
    mission = selectors.nearest_mission(point.lat, point.lon)
    return NearestOut(mission=_mission_out(mission) if mission else None)


class CityOut(Schema):
    geonameid: int
    name: str
    country: str
    subdivision: str | None
    lat: float
    lon: float
    population: int


class CityQuery(Schema):
    q: str = Field(..., min_length=1, max_length=100)
    country: str | None = Field(None, min_length=2, max_length=2)
    limit: int = Field(10, ge=1, le=50)


@router.get(
    "/cities",
    response=list[CityOut],
    auth=None,
    operation_id="city_search",
    summary="Offline gazetteer of cities abroad (fuzzy, knows Indonesian spellings)",
)
@public
def city_search(request: HttpRequest, query: Query[CityQuery]) -> list[CityOut]:
    from .gazetteer import search_cities

    matches = search_cities(query.q, country=(query.country or "").upper() or None, limit=query.limit)
    return [
        CityOut(
            geonameid=m.geonameid,
            name=m.name,
            country=m.country,
            subdivision=m.subdivision,
            lat=m.lat,
            lon=m.lon,
            population=m.population,
        )
        for m in matches
    ]
