"""Preparedness and evacuation JSON API, mounted at /api/v1/evacuation.

Each operation declares its capability and calls the same selector or action as the pages (the boarding
phone and ``POST /legs/{id}/scans`` share ``do_record_scan``: idempotent by the client's UUID).
"""

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from perisai.core.api_auth import capability
from perisai.core.models import User
from perisai.core.roles import Cap

from . import actions, selectors
from .labels import scan_reason_label

router = Router(tags=["evacuation"])


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _invalid(exc: actions.EvacuationInputError) -> HttpError:
    return HttpError(422, "; ".join(p for ps in exc.errors.values() for p in ps))


class CheckOut(Schema):
    code: str
    status: str = Field(description="ok | missing | stale | warning")
    message: str


class PlanOut(Schema):
    public_id: uuid.UUID
    title: str
    mission: str = Field(description="Code of the mission")
    scenario: str
    version: int = Field(description="Latest published version; 0 when never published")
    unpublished_changes: bool


class PublishIn(Schema):
    note: str = Field("", max_length=500)


class VersionOut(Schema):
    number: int
    published_at: dt.datetime


@router.get(
    "/plans", response=list[PlanOut], operation_id="evacuation_plan_list", summary="Contingency plans"
)
@capability(Cap.CRISIS_VIEW)
def plan_list(request: HttpRequest) -> list[PlanOut]:
    return [
        PlanOut(
            public_id=p.public_id,
            title=p.title,
            mission=p.mission.code,
            scenario=p.scenario,
            version=p.current_version,
            unpublished_changes=p.has_unpublished_changes,
        )
        for p in selectors.list_plans_visible_to(user=_user(request)).order_by("pk")
    ]


@router.get(
    "/plans/{plan_id}/readiness",
    response=list[CheckOut],
    operation_id="evacuation_plan_readiness",
    summary="What a plan's draft is missing, or has let go stale",
)
@capability(Cap.CRISIS_VIEW)
def plan_readiness(request: HttpRequest, plan_id: uuid.UUID) -> list[CheckOut]:
    plan = selectors.access_plan_by_id(user=_user(request), public_id=plan_id)
    return [
        CheckOut(code=c.code, status=c.status, message=c.message) for c in selectors.plan_readiness(plan=plan)
    ]


@router.post(
    "/plans/{plan_id}/publish",
    response=VersionOut,
    operation_id="evacuation_plan_publish",
    summary="Publish the draft as a new version",
)
@capability(Cap.CRISIS_MANAGE)
def plan_publish(request: HttpRequest, plan_id: uuid.UUID, payload: PublishIn) -> VersionOut:
    plan = selectors.access_plan_by_id(user=_user(request), public_id=plan_id)
    try:
        version = actions.do_publish_plan(plan=plan, actor=_user(request), note=payload.note)
    except actions.EvacuationInputError as exc:
        raise _invalid(exc) from exc
    return VersionOut(number=version.number, published_at=version.published_at)


class OperationOut(Schema):
    public_id: uuid.UUID
    title: str
    crisis: uuid.UUID
    mission: str
    status: str
    exercise: bool


@router.get(
    "/operations",
    response=list[OperationOut],
    operation_id="evacuation_operation_list",
    summary="Evacuations",
)
@capability(Cap.CRISIS_VIEW)
def operation_list(request: HttpRequest) -> list[OperationOut]:
    return [
        OperationOut(
            public_id=o.public_id,
            title=o.title,
            crisis=o.crisis.public_id,
            mission=o.mission.code,
            status=o.status,
            exercise=o.exercise,
        )
        for o in selectors.list_operations_visible_to(user=_user(request)).order_by("pk")
    ]


class RunIn(Schema):
    time_limit_s: float = Field(10.0, ge=1, le=60)
    levels: list[int] = Field([1], description="Siaga levels of the areas whose people are moved")


class RunOut(Schema):
    public_id: uuid.UUID
    status: str
    requested_at: dt.datetime
    finished_at: dt.datetime | None = None
    counts: dict[str, Any] = {}
    result: dict[str, Any] | None = Field(
        None,
        description="assigned, unassigned_by_reason, total_distance_km, bound (km), solve_seconds and the "
        "optimizer's explanation (shortfalls per assembly point, what one more leg would move)",
    )
    error: str = ""


def _run_out(run: Any) -> RunOut:
    return RunOut(
        public_id=run.public_id,
        status=run.status,
        requested_at=run.requested_at,
        finished_at=run.finished_at,
        counts=run.counts or {},
        result=run.result,
        error=run.error,
    )


@router.post(
    "/operations/{op_id}/plan-runs",
    response={202: RunOut},
    operation_id="evacuation_plan_run_create",
    summary="Run the optimizer on the task queue (keeps confirmed places)",
)
@capability(Cap.CRISIS_MANAGE)
def plan_run_create(request: HttpRequest, op_id: uuid.UUID, payload: RunIn) -> Status:
    operation = selectors.access_operation_by_id(user=_user(request), public_id=op_id)
    try:
        run = actions.do_request_plan_run(
            operation=operation,
            actor=_user(request),
            time_limit_s=payload.time_limit_s,
            levels=payload.levels,
        )
    except actions.EvacuationInputError as exc:
        raise _invalid(exc) from exc
    return Status(202, _run_out(run))


@router.get(
    "/operations/{op_id}/plan",
    response=RunOut,
    operation_id="evacuation_plan_latest",
    summary="The latest planning run and its explanation",
)
@capability(Cap.CRISIS_VIEW)
def plan_latest(request: HttpRequest, op_id: uuid.UUID) -> RunOut:
    operation = selectors.access_operation_by_id(user=_user(request), public_id=op_id)
    run = selectors.latest_run(operation=operation)
    if run is None:
        raise HttpError(404, "not_found")
    return _run_out(run)


class ScanIn(Schema):
    client_uuid: uuid.UUID
    step: str = Field("board", pattern="^(board|assembly)$")
    token: str = Field("", max_length=64, description="The QR code's text")
    document: str = Field("", max_length=30, description="Or a typed passport or SPLP number")
    scanned_at: dt.datetime | None = None
    consent: bool = False


class ScansIn(Schema):
    scans: list[ScanIn] = Field(..., max_length=500)


class ScanOut(Schema):
    client_uuid: str
    outcome: str = Field(description="boarded | already | conflict | unknown")
    reason: str
    message: str
    evacuee: uuid.UUID | None


@router.post(
    "/legs/{leg_id}/scans",
    response=list[ScanOut],
    operation_id="evacuation_scan_create",
    summary="Boarding scans (idempotent by client_uuid: sending a queue twice boards nobody twice)",
)
@capability(Cap.CRISIS_MANAGE)
def scan_create(request: HttpRequest, leg_id: uuid.UUID, payload: ScansIn) -> list[ScanOut]:
    leg = selectors.access_leg_by_id(user=_user(request), public_id=leg_id)
    out = []
    for item in payload.scans:
        result = actions.do_record_scan(
            leg=leg,
            actor=_user(request),
            client_uuid=str(item.client_uuid),
            step=item.step,
            token=item.token,
            document=item.document,
            scanned_at=item.scanned_at,
            consent_confirmed=item.consent,
        )
        out.append(
            ScanOut(
                client_uuid=result.client_uuid,
                outcome=result.outcome,
                reason=result.reason,
                message=scan_reason_label(result.reason) if result.reason else "",
                evacuee=result.evacuee.public_id if result.evacuee is not None else None,
            )
        )
    return out


class CountryCountOut(Schema):
    country: str
    people: int
    boarded: int


@router.get(
    "/operations/{op_id}/foreign-nationals",
    response=list[CountryCountOut],
    operation_id="evacuation_foreign_nationals",
    summary="Foreign nationals assisted, counted per country (names on the page, for each embassy)",
)
@capability(Cap.CRISIS_VIEW)
def foreign_nationals(request: HttpRequest, op_id: uuid.UUID) -> list[CountryCountOut]:
    operation = selectors.access_operation_by_id(user=_user(request), public_id=op_id)
    return [
        CountryCountOut(
            country=country.iso2,
            people=len(people),
            boarded=sum(1 for p in people if p.boarded_at is not None),
        )
        for country, people in selectors.foreign_nationals_by_country(operation=operation)
    ]
