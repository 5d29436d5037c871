"""The crisis module's JSON API, mounted at /api/v1/crisis. Each operation calls the same selector or action
as the pages."""

import datetime as dt
import uuid

from django.db import IntegrityError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from perisai.core.api_auth import capability
from perisai.core.models import User
from perisai.core.permissions import PUBLIC
from perisai.core.roles import Cap

from . import actions, selectors
from .models import CheckInSource, CheckInStatus, Crisis
from .tokens import read_checkin_token

router = Router(tags=["crisis"])


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def public(func):  # type: ignore[no-untyped-def]
    func.perisai_capability = PUBLIC
    return func


class AreaOut(Schema):
    public_id: uuid.UUID
    name: str
    level: int
    geometry: dict[str, object]


class CrisisOut(Schema):
    public_id: uuid.UUID
    title: str
    type: str
    country: str
    status: str
    exercise: bool
    created_at: dt.datetime
    areas: list[AreaOut]


def _crisis_out(crisis: Crisis) -> CrisisOut:
    return CrisisOut(
        public_id=crisis.public_id,
        title=crisis.title,
        type=crisis.type,
        country=crisis.country_id,
        status=crisis.status,
        exercise=crisis.exercise,
        created_at=crisis.created_at,
        areas=[
            AreaOut(public_id=a.public_id, name=a.name, level=a.level, geometry=a.geometry)
            for a in crisis.areas.order_by("level", "name")
        ],
    )


@router.get(
    "/crises", response=list[CrisisOut], operation_id="crisis_list", summary="Crises the caller may see"
)
@capability(Cap.CRISIS_VIEW)
def crisis_list(request: HttpRequest) -> list[CrisisOut]:
    crises = selectors.list_crises_visible_to(user=_user(request)).order_by("-created_at")[:200]
    return [_crisis_out(c) for c in crises]


class StatusCountsOut(Schema):
    total: int
    accounted: int
    safe: int
    need_help: int
    not_there: int
    unknown: int
    share: float


class PopulationOut(Schema):
    total: int
    inside: int
    near: int
    households: int
    vulnerable: int
    by_vulnerability: dict[str, int]
    by_sector: dict[str, int]
    by_city: list[tuple[int, int]]


class CrisisDetailOut(CrisisOut):
    accounting: StatusCountsOut
    population: PopulationOut


@router.get(
    "/crises/{public_id}",
    response=CrisisDetailOut,
    operation_id="crisis_get",
    summary="A crisis with its accounted share and affected population (caller's scope)",
)
@capability(Cap.CRISIS_VIEW)
def crisis_get(request: HttpRequest, public_id: uuid.UUID) -> CrisisDetailOut:
    user = _user(request)
    crisis = selectors.access_crisis_by_id(user=user, public_id=public_id)
    board = selectors.crisis_dashboard(user=user, crisis=crisis)
    s = selectors.crisis_population(user=user, crisis=crisis).summary
    base = _crisis_out(crisis)
    return CrisisDetailOut(
        **base.dict(),
        accounting=StatusCountsOut(
            total=board.total,
            accounted=board.accounted,
            safe=board.safe,
            need_help=board.need_help,
            not_there=board.not_there,
            unknown=board.unknown,
            share=board.share,
        ),
        population=PopulationOut(
            total=s.total,
            inside=s.inside,
            near=s.near,
            households=s.households,
            vulnerable=s.vulnerable,
            by_vulnerability={str(k): v for k, v in s.by_vulnerability.items()},
            by_sector=s.by_sector,
            by_city=s.by_city[:50],
        ),
    )


class CheckinIn(Schema):
    token: str = Field(..., max_length=64)
    status: str = Field(..., pattern="^(safe|need_help|not_there)$")
    message: str = Field("", max_length=500)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)


class CheckinOut(Schema):
    id: uuid.UUID
    status: str


@router.post(
    "/checkins",
    response=CheckinOut,
    auth=None,
    operation_id="checkin_create",
    summary="Record a check-in with a person's personal link token (no sign-in)",
)
@public
def checkin_create(request: HttpRequest, payload: CheckinIn) -> CheckinOut:
    found = read_checkin_token(payload.token)
    crisis = Crisis.objects.filter(pk=found[0]).first() if found else None
    if found is None or crisis is None or not crisis.is_open:
        raise HttpError(404, "not_found")
    try:
        checkin = actions.do_record_checkin(
            crisis=crisis,
            person_id=found[1],
            status=CheckInStatus(payload.status),
            source=CheckInSource.LINK,
            message=payload.message,
            lat=payload.lat,
            lon=payload.lon,
        )
    except IntegrityError as exc:
        raise HttpError(404, "not_found") from exc
    return CheckinOut(id=checkin.public_id, status=checkin.status)
