"""The cases module's JSON API, mounted at /api/v1/cases.

Each operation declares its capability and calls the same action or selector as the pages, so the two cannot
disagree; opens are audited the same way. Names are never returned for violence and trafficking cases
(`name_hidden`); sensitive sections are never returned by the API.
"""

import datetime as dt
import uuid
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError

from perisai.core.api_auth import capability
from perisai.core.models import User
from perisai.core.roles import Cap

from . import actions, fieldsync, imports, reports
from .models import (
    ILO_LABELS,
    NAME_HIDDEN_TYPES,
    VULNERABILITY_LABELS,
    Approval,
    Case,
    CaseType,
    ConsentPurpose,
    EntryPoint,
    Referral,
    ServiceProvider,
    Transfer,
    Urgency,
    services_from_mask,
)
from .selectors import (
    access_case_by_id,
    access_referral_for_provider,
    access_transfer_for_receiver,
    list_queue,
    queue_page,
    suggest_providers,
)

router = Router(tags=["cases"])


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _invalid(error: actions.CaseInputError) -> HttpError:
    return HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in error.errors.items()))


class CaseSummaryOut(Schema):
    public_id: uuid.UUID
    code: str
    case_type: str
    source: str
    urgency: str
    status: str
    name: str | None = Field(description="None when hidden by default (violence and trafficking cases)")
    opened_at: dt.datetime
    contact_due_at: dt.datetime
    first_contact_at: dt.datetime | None
    assigned_to: str | None


def _summary(case: Case) -> CaseSummaryOut:
    return CaseSummaryOut(
        public_id=case.public_id,
        code=case.code,
        case_type=case.case_type,
        source=case.source,
        urgency=case.urgency,
        status=case.status,
        name=None if case.case_type in NAME_HIDDEN_TYPES else case.display_name,
        opened_at=case.opened_at,
        contact_due_at=case.contact_due_at,
        first_contact_at=case.first_contact_at,
        assigned_to=case.assigned_to.username if case.assigned_to_id and case.assigned_to else None,
    )


class QueueQuery(Schema):
    mine: bool = False
    status: Literal["open", "closed"] = "open"
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


@router.get("/cases", response=list[CaseSummaryOut], operation_id="case_queue", summary="The worker's queue")
@capability(Cap.CASE_VIEW)
def case_queue(request: HttpRequest, filters: Query[QueueQuery]) -> list[CaseSummaryOut]:
    user = _user(request)
    if filters.status == "open":
        page = queue_page(user=user, mine=filters.mine, offset=filters.offset, limit=filters.limit)[
            : filters.limit
        ]
    else:
        page = list(
            list_queue(user=user, mine=filters.mine, status="closed")[
                filters.offset : filters.offset + filters.limit
            ]
        )
    return [_summary(c) for c in page]


class IntakeIn(Schema):
    source: Literal["walk_in", "call", "helpdesk", "crisis_checkin", "arrival_list"] = "call"
    case_type: str = Field(description=" | ".join(CaseType.values))
    urgency: str = Field(Urgency.NORMAL.value, description=" | ".join(Urgency.values))
    summary: str = Field(max_length=4000)
    subject_name: str = Field("", max_length=200)
    contact: str = Field("", max_length=200)
    region_code: str = Field("", max_length=13, description="Kemendagri code of the home region")
    mission: str = Field("", max_length=64, description="Mission code")
    link_type: str = Field("", max_length=32)
    link_id: str = Field("", max_length=100)


class CaseOut(CaseSummaryOut):
    summary: str
    contact: str
    sex: str
    birth_year: int | None
    region_code: str
    mission: str | None
    organisation: str | None
    risk_level: str
    vulnerabilities: list[str]
    ilo_indicators: list[str]
    needs: list[str]
    plan_status: str
    closure_outcome: str
    closed_at: dt.datetime | None
    consents: dict[str, bool]


def _full(case: Case) -> CaseOut:
    consents = {c.purpose: c.granted for c in case.consents.all()}
    return CaseOut(
        **_summary(case).dict(),
        summary=case.summary,
        contact=case.contact,
        sex=case.sex,
        birth_year=case.birth_year,
        region_code=case.region_code,
        mission=case.mission.code if case.mission_id and case.mission else None,
        organisation=case.organisation.name if case.organisation_id and case.organisation else None,
        risk_level=case.risk_level,
        vulnerabilities=[f.name.lower() for f in VULNERABILITY_LABELS if case.vulnerabilities & f and f.name],
        ilo_indicators=[f.name.lower() for f in ILO_LABELS if case.ilo_indicators & f and f.name],
        needs=services_from_mask(case.needs),
        plan_status=case.plan_status,
        closure_outcome=case.closure_outcome,
        closed_at=case.closed_at,
        consents={p: consents.get(p, False) for p in ConsentPurpose.values},
    )


@router.post("/cases", response={201: CaseOut}, operation_id="case_open", summary="Open a case (intake)")
@capability(Cap.CASE_EDIT)
def case_open(request: HttpRequest, payload: IntakeIn) -> Status[CaseOut]:
    from perisai.places.models import Mission

    mission = None
    if payload.mission:
        mission = Mission.objects.filter(code=payload.mission, active=True).first()
        if mission is None:
            raise HttpError(422, "mission: unknown mission code")
    try:
        case = actions.do_open_case(
            source=payload.source,
            case_type=payload.case_type,
            urgency=payload.urgency,
            summary=payload.summary,
            subject_name=payload.subject_name,
            contact=payload.contact,
            region_code=payload.region_code,
            mission=mission,
            link_type=payload.link_type,
            link_id=payload.link_id,
            actor=_user(request),
        )
    except actions.CaseInputError as error:
        raise _invalid(error) from error
    return Status(201, _full(case))


@router.get("/cases/{public_id}", response=CaseOut, operation_id="case_get", summary="One case (audited)")
@capability(Cap.CASE_VIEW)
def case_get(request: HttpRequest, public_id: uuid.UUID) -> CaseOut:
    return _full(access_case_by_id(user=_user(request), public_id=public_id))


class NoteIn(Schema):
    body: str = Field(max_length=10_000)
    contact: bool = Field(False, description="True when this was a contact with the person")


class OkOut(Schema):
    ok: bool = True
    id: str = ""


@router.post("/cases/{public_id}/notes", response=OkOut, operation_id="case_add_note", summary="Add a note")
@capability(Cap.CASE_EDIT)
def case_add_note(request: HttpRequest, public_id: uuid.UUID, payload: NoteIn) -> OkOut:
    case = access_case_by_id(user=_user(request), public_id=public_id, audit_view=False)
    try:
        note = actions.do_add_note(
            case=case, actor=_user(request), body=payload.body, kind="contact" if payload.contact else "note"
        )
    except actions.CaseInputError as error:
        raise _invalid(error) from error
    return OkOut(id=str(note.pk))


class ConsentIn(Schema):
    purpose: Literal["services", "referral", "reporting", "tracing"]
    granted: bool
    given_by: Literal["person", "caregiver"] = "person"
    giver_name: str = Field("", max_length=200)


@router.post(
    "/cases/{public_id}/consents", response=OkOut, operation_id="case_set_consent", summary="Record consent"
)
@capability(Cap.CASE_EDIT)
def case_set_consent(request: HttpRequest, public_id: uuid.UUID, payload: ConsentIn) -> OkOut:
    case = access_case_by_id(user=_user(request), public_id=public_id, audit_view=False)
    try:
        actions.do_set_consent(
            case=case,
            actor=_user(request),
            purpose=payload.purpose,
            granted=payload.granted,
            given_by=payload.given_by,
            giver_name=payload.giver_name,
        )
    except actions.CaseInputError as error:
        raise _invalid(error) from error
    return OkOut()


class AssessmentIn(Schema):
    vulnerabilities: list[str] = Field(
        default_factory=list, description="sick, injured, elderly, pregnant, ..."
    )
    ilo_indicators: list[str] = Field(default_factory=list, description="deception, debt_bondage, ...")
    risk_level: Literal["low", "medium", "high"]
    needs: list[str] = Field(default_factory=list, description="shelter, health, psychosocial, ...")
    notes: str = Field("", max_length=10_000)


def _mask(names: list[str], labels: Any) -> int:
    known = {f.name.lower(): int(f) for f in labels if f.name}
    unknown = [n for n in names if n.lower() not in known]
    if unknown:
        raise HttpError(422, f"unknown: {', '.join(unknown)}")
    mask = 0
    for name in names:
        mask |= known[name.lower()]
    return mask


@router.post(
    "/cases/{public_id}/assessment",
    response=OkOut,
    operation_id="case_assess",
    summary="Record an assessment",
)
@capability(Cap.CASE_EDIT)
def case_assess(request: HttpRequest, public_id: uuid.UUID, payload: AssessmentIn) -> OkOut:
    from .models import Service

    case = access_case_by_id(user=_user(request), public_id=public_id, audit_view=False)
    needs = 0
    for service in payload.needs:
        if service not in Service.values:
            raise HttpError(422, f"needs: unknown service {service}")
        needs |= 1 << Service.values.index(service)
    try:
        assessment = actions.do_record_assessment(
            case=case,
            actor=_user(request),
            vulnerabilities=_mask(payload.vulnerabilities, VULNERABILITY_LABELS),
            ilo_indicators=_mask(payload.ilo_indicators, ILO_LABELS),
            risk_level=payload.risk_level,
            needs=needs,
            notes=payload.notes,
        )
    except actions.CaseInputError as error:
        raise _invalid(error) from error
    return OkOut(id=str(assessment.pk))


class ProviderOut(Schema):
    public_id: uuid.UUID
    name: str
    services: list[str]
    region_code: str
    phone: str
    accepts_in_perisai: bool


class ProviderQuery(Schema):
    region: str = Field("", max_length=13, description="Kemendagri code: suggestions from it upwards")
    service: str = Field("", max_length=24)


@router.get(
    "/providers",
    response=list[ProviderOut],
    operation_id="provider_suggest",
    summary="Providers for a home region",
)
@capability(Cap.CASE_VIEW)
def provider_suggest(request: HttpRequest, filters: Query[ProviderQuery]) -> list[ProviderOut]:
    return [
        ProviderOut(
            public_id=p.public_id,
            name=p.name,
            services=list(p.services or []),
            region_code=p.region_code,
            phone=p.phone,
            accepts_in_perisai=p.organisation_id is not None,
        )
        for p in suggest_providers(region_code=filters.region, service=filters.service)
    ]


class ReferralIn(Schema):
    provider: uuid.UUID
    service: str
    note: str = Field("", max_length=4000)
    override_reason: str = Field("", max_length=4000, description="Supervisors only, when consent is missing")


@router.post(
    "/cases/{public_id}/referrals",
    response={201: OkOut},
    operation_id="case_refer",
    summary="Refer to a provider",
)
@capability(Cap.CASE_EDIT)
def case_refer(request: HttpRequest, public_id: uuid.UUID, payload: ReferralIn) -> Status[OkOut]:
    user = _user(request)
    case = access_case_by_id(user=user, public_id=public_id, audit_view=False)
    provider = ServiceProvider.objects.filter(public_id=payload.provider).first()
    if provider is None:
        raise HttpError(422, "provider: not found")
    try:
        referral = actions.do_refer(
            case=case,
            actor=user,
            provider=provider,
            service=payload.service,
            note=payload.note,
            override_reason=payload.override_reason,
        )
    except actions.CaseInputError as error:
        raise _invalid(error) from error
    except PermissionDenied as exc:
        raise HttpError(403, "forbidden") from exc
    return Status(201, OkOut(id=str(referral.public_id)))


class RespondIn(Schema):
    accept: bool
    reason: str = Field("", max_length=4000)


@router.post(
    "/referrals/{public_id}/respond",
    response=OkOut,
    operation_id="referral_respond",
    summary="Accept or decline",
)
@capability(Cap.CASE_EDIT)
def referral_respond(request: HttpRequest, public_id: uuid.UUID, payload: RespondIn) -> OkOut:
    user = _user(request)
    referral: Referral = access_referral_for_provider(user=user, public_id=public_id)
    if user.role != "admin" and referral.provider.organisation_id != user.organisation_id:
        raise HttpError(403, "forbidden")
    try:
        actions.do_respond_referral(
            referral=referral, actor=user, accept=payload.accept, reason=payload.reason
        )
    except actions.CaseInputError as error:
        raise _invalid(error) from error
    return OkOut(id=str(referral.public_id))


@router.post(
    "/transfers/{public_id}/respond",
    response=OkOut,
    operation_id="transfer_respond",
    summary="Accept or decline",
)
@capability(Cap.CASE_EDIT)
def transfer_respond(request: HttpRequest, public_id: uuid.UUID, payload: RespondIn) -> OkOut:
    user = _user(request)
    transfer: Transfer = access_transfer_for_receiver(user=user, public_id=public_id)
    try:
        actions.do_respond_transfer(
            transfer=transfer, actor=user, accept=payload.accept, reason=payload.reason
        )
    except actions.CaseInputError as error:
        raise _invalid(error) from error
    return OkOut(id=str(transfer.public_id))


class ClosureIn(Schema):
    outcome: str
    reason: str = Field(max_length=4000)


@router.post(
    "/cases/{public_id}/closure",
    response=OkOut,
    operation_id="case_request_closure",
    summary="Request closure",
)
@capability(Cap.CASE_EDIT)
def case_request_closure(request: HttpRequest, public_id: uuid.UUID, payload: ClosureIn) -> OkOut:
    case = access_case_by_id(user=_user(request), public_id=public_id, audit_view=False)
    try:
        approval = actions.do_request_closure(
            case=case, actor=_user(request), outcome=payload.outcome, reason=payload.reason
        )
    except actions.CaseInputError as error:
        raise _invalid(error) from error
    return OkOut(id=str(approval.pk))


class DecisionIn(Schema):
    approve: bool
    comment: str = Field("", max_length=4000)


@router.post(
    "/approvals/{approval_id}/decide",
    response=OkOut,
    operation_id="approval_decide",
    summary="Sign off a plan or a closure",
)
@capability(Cap.CASE_SUPERVISE)
def approval_decide(request: HttpRequest, approval_id: int, payload: DecisionIn) -> OkOut:
    user = _user(request)
    approval = Approval.objects.filter(pk=approval_id).select_related("case").first()
    if approval is None:
        raise HttpError(404, "not_found")
    access_case_by_id(user=user, public_id=approval.case.public_id, audit_view=False)
    try:
        actions.do_decide_approval(
            approval=approval, actor=user, approve=payload.approve, comment=payload.comment
        )
    except actions.CaseInputError as error:
        raise _invalid(error) from error
    return OkOut(id=str(approval.pk))


class SyncIn(Schema):
    records: list[dict[str, Any]] = Field(max_length=fieldsync.MAX_RECORDS)


class SyncOut(Schema):
    results: list[dict[str, Any]]


@router.post(
    "/field-sync",
    response=SyncOut,
    operation_id="field_sync",
    summary="Sync offline field intake records (idempotent by client UUID; conflicts reported, never overwritten)",
)
@capability(Cap.CASE_EDIT)
def field_sync(request: HttpRequest, payload: SyncIn) -> SyncOut:
    return SyncOut(results=fieldsync.sync_records(actor=_user(request), records=payload.records))


class ArrivalRowOut(Schema):
    line: int
    outcome: str = Field(description="created | existing | skipped")
    case: str
    messages: list[str]


class ArrivalsOut(Schema):
    batch: uuid.UUID
    counts: dict[str, int]
    summary: str
    rows: list[ArrivalRowOut]


@router.post(
    "/arrivals",
    response=ArrivalsOut,
    operation_id="arrivals_import",
    summary="Import an arrival list (CSV/XLSX)",
)
@capability(Cap.CASE_EDIT)
def arrivals_import(
    request: HttpRequest,
    file: File[UploadedFile],
    entry_point: Form[str],
    arrival_date: Form[dt.date],
    country: Form[str] = "",
    case_type: Form[str] = CaseType.REINTEGRATION.value,
    encoding: Form[str] = "",
) -> ArrivalsOut:
    if entry_point not in EntryPoint.values:
        raise HttpError(422, "entry_point: " + " | ".join(EntryPoint.values))
    try:
        report = imports.import_upload(
            chunks=file.chunks(),
            filename=file.name or "arrivals.csv",
            actor=_user(request),
            entry_point=entry_point,
            arrival_date=arrival_date,
            default_country=country,
            case_type=case_type,
            encoding=encoding,
        )
    except imports.ImportFileError as exc:
        raise HttpError(400, str(exc)) from exc
    if report.batch is None:  # pragma: no cover (do_import_arrivals always sets it)
        raise HttpError(500, "import failed")
    return ArrivalsOut(
        batch=report.batch.public_id,
        counts=report.counts,
        summary=report.summary(),
        rows=[
            ArrivalRowOut(line=r.line, outcome=r.outcome, case=r.case, messages=r.messages)
            for r in report.rows
        ],  # type: ignore[arg-type]
    )


class ReportTableOut(Schema):
    key: str
    title: str
    columns: list[str]
    hxl: list[str]
    rows: list[list[Any]] = Field(description="null in a cell: fewer than 5, suppressed")


class ReportQuery(Schema):
    province: str = Field("", max_length=2)
    since: dt.date | None = None


@router.get(
    "/reports",
    response=list[ReportTableOut],
    operation_id="case_reports",
    summary="Case-load dashboards (aggregates)",
)
@capability(Cap.STATS_VIEW)
def case_reports(request: HttpRequest, filters: Query[ReportQuery]) -> list[ReportTableOut]:
    tables = reports.dashboard(
        reports.ReportFilters(
            province=filters.province if filters.province.isdigit() else "", since=filters.since
        )
    )
    return [
        ReportTableOut(
            key=t.key, title=str(t.title), columns=[str(c) for c in t.columns], hxl=t.hxl, rows=t.rows
        )
        for t in tables
    ]
