"""The governance module's JSON API, mounted at /api/v1/governance.

Same selectors and actions as the pages: published statistics (aggregates only, hidden cells have no
count), frameworks and assessment scores, the action plan and its progress reports.
"""

# No `from __future__ import annotations` here: django-ninja reads the parameter types through the
# @capability wrapper, whose module cannot resolve names of this one; real annotations avoid that.
import datetime as dt
import uuid
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from perisai.core.api_auth import capability
from perisai.core.models import User
from perisai.core.roles import Cap

from . import actions, selectors
from .models import NATION
from .sources import all_tables

router = Router(tags=["governance"])


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _invalid(error: actions.GovernanceInputError) -> HttpError:
    return HttpError(422, "; ".join(m for msgs in error.errors.values() for m in msgs))


# ---- statistics ----


class TableOut(Schema):
    code: str
    source: str
    title: str
    description: str
    dimension: str | None
    deepest_level: int = Field(description="0 Indonesia, 1 province, 2 regency or city, 3 village")
    measure: Literal["count", "mean"]
    connected: bool


class TablesOut(Schema):
    published_at: dt.datetime | None
    tables: list[TableOut]


@router.get(
    "/statistics/tables", response=TablesOut, operation_id="statistics_tables", summary="Published tables"
)
@capability(Cap.STATS_VIEW)
def statistics_tables(request: HttpRequest) -> TablesOut:
    release = selectors.latest_release()
    return TablesOut(
        published_at=release.created_at if release else None,
        tables=[
            TableOut(
                code=s.code,
                source=s.source,
                title=str(s.title),
                description=str(s.description),
                dimension=s.dimension,
                deepest_level=s.max_level,
                measure=s.measure,  # type: ignore[arg-type]
                connected=selectors.source_connected(release, s.source),
            )
            for s in all_tables().values()
        ],
    )


class CellOut(Schema):
    category: str
    label: str
    count: int | None = Field(description="Empty when the cell is hidden")
    mean: float | None = None
    hidden: bool


class TableCellsOut(Schema):
    code: str
    place: str
    published_at: dt.datetime | None
    total: CellOut | None
    rows: list[CellOut]


class PlaceQuery(Schema):
    place: str = Field(NATION, max_length=13, description="ID for Indonesia, or a Kemendagri code")


@router.get(
    "/statistics/tables/{code}",
    response=TableCellsOut,
    operation_id="statistics_table",
    summary="One published table for a place of origin",
)
@capability(Cap.STATS_VIEW)
def statistics_table(request: HttpRequest, code: str, filters: Query[PlaceQuery]) -> TableCellsOut:
    if code not in all_tables():
        raise HttpError(404, "not_found")
    release = selectors.latest_release()
    table = selectors.stat_table(release, code, filters.place)

    def out(cell: selectors.CellView) -> CellOut:
        return CellOut(
            category=cell.category, label=cell.label, count=cell.n, mean=cell.mean, hidden=cell.hidden
        )

    return TableCellsOut(
        code=code,
        place=filters.place,
        published_at=release.created_at if release else None,
        total=out(table.total) if table.total else None,
        rows=[out(r) for r in table.rows],
    )


# ---- frameworks and assessments ----


class FrameworkOut(Schema):
    code: str
    kind: str
    name: str
    indicators: int
    locked: bool
    needs_completion: bool


@router.get(
    "/frameworks", response=list[FrameworkOut], operation_id="framework_list", summary="Indicator frameworks"
)
@capability(Cap.STATS_VIEW)
def framework_list(request: HttpRequest) -> list[FrameworkOut]:
    return [
        FrameworkOut(
            code=f.code,
            kind=f.kind,
            name=str(f),
            indicators=f.n_indicators,  # type: ignore[attr-defined]
            locked=f.locked,
            needs_completion=f.needs_completion,
        )
        for f in selectors.list_frameworks()
    ]


class DomainScoreOut(Schema):
    code: str
    name: str
    percent: int | None
    band: str | None


class AssessmentOut(Schema):
    public_id: uuid.UUID
    framework: str
    place: str
    as_of: dt.date
    status: str
    domains: list[DomainScoreOut]
    overall_percent: int | None
    overall_band: str | None


@router.get(
    "/assessments/{public_id}",
    response=AssessmentOut,
    operation_id="assessment_get",
    summary="An assessment with its domain scores and bands",
)
@capability(Cap.STATS_VIEW)
def assessment_get(request: HttpRequest, public_id: uuid.UUID) -> AssessmentOut:
    assessment = selectors.get_assessment(public_id)
    return _assessment_out(assessment)


def _assessment_out(assessment: selectors.Assessment) -> AssessmentOut:
    result = selectors.assessment_result(assessment)
    return AssessmentOut(
        public_id=assessment.public_id,
        framework=assessment.framework.code,
        place=assessment.place_code,
        as_of=assessment.as_of,
        status=assessment.status,
        domains=[
            DomainScoreOut(
                code=b.domain.code, name=b.domain.tr("name"), percent=b.score.percent, band=b.score.band
            )
            for b in result.blocks
        ],
        overall_percent=result.overall_percent,
        overall_band=result.overall_band,
    )


class AnswerIn(Schema):
    indicator: str = Field(max_length=20, description="The indicator's code in the framework")
    value: str = Field("", max_length=40, description="yes, no, partial or a choice value")
    number: Decimal | None = None
    text: str = Field("", max_length=5000)
    comment: str = Field("", max_length=5000)
    source: str = Field("", max_length=300)


@router.post(
    "/assessments/{public_id}/answers",
    response=AssessmentOut,
    operation_id="assessment_answer",
    summary="Save answers to an assessment (the same rules as the page)",
)
@capability(Cap.GOVERNANCE_EDIT)
def assessment_answer(request: HttpRequest, public_id: uuid.UUID, payload: list[AnswerIn]) -> AssessmentOut:
    assessment = selectors.get_assessment(public_id)
    indicators = {i.code: i.pk for i in assessment.framework.indicators.all()}
    unknown = [a.indicator for a in payload if a.indicator not in indicators]
    if unknown:
        raise HttpError(422, f"unknown indicators: {', '.join(unknown[:10])}")
    answers = {
        indicators[a.indicator]: actions.AnswerInput(
            value=a.value, number=a.number, text=a.text, comment=a.comment, source=a.source
        )
        for a in payload
    }
    try:
        actions.do_save_answers(actor=_user(request), assessment=assessment, answers=answers)
    except actions.GovernanceInputError as error:
        raise _invalid(error) from error
    return _assessment_out(assessment)


# ---- the action plan ----


class ActionOut(Schema):
    public_id: uuid.UUID
    objective: int
    code: str
    title: str
    lead: str
    status: str
    achieved: Decimal | None
    target: Decimal | None
    percent: int | None
    officials_trained: int


@router.get(
    "/plan/actions", response=list[ActionOut], operation_id="plan_action_list", summary="Actions and progress"
)
@capability(Cap.STATS_VIEW)
def plan_action_list(request: HttpRequest) -> list[ActionOut]:
    out = []
    for action in selectors.list_actions():
        p = selectors.action_progress(action)
        out.append(
            ActionOut(
                public_id=action.public_id,
                objective=action.objective.number,
                code=action.code,
                title=action.title,
                lead=str(action.lead),
                status=p.status,
                achieved=p.achieved,
                target=action.target,
                percent=p.percent,
                officials_trained=p.trained.attended,
            )
        )
    return out


class ProgressIn(Schema):
    period: str = Field(max_length=8, description="2026, 2026-S1 or 2026-Q3")
    status: Literal["not_started", "on_track", "delayed", "at_risk", "completed"]
    value: Decimal | None = None
    spent: Decimal | None = None
    narrative: str = Field("", max_length=5000)
    evidence: str = Field("", max_length=5000)


@router.post(
    "/plan/actions/{public_id}/progress",
    response=ActionOut,
    operation_id="plan_action_progress",
    summary="Record progress for a period (reporting a period again replaces it)",
)
@capability(Cap.GOVERNANCE_EDIT)
def plan_action_progress(request: HttpRequest, public_id: uuid.UUID, payload: ProgressIn) -> ActionOut:
    action = selectors.get_action(public_id)
    try:
        actions.do_record_progress(
            actor=_user(request),
            action=action,
            data=actions.ProgressInput(
                period=payload.period,
                status=payload.status,
                value=payload.value,
                spent=payload.spent,
                narrative=payload.narrative,
                evidence=payload.evidence,
            ),
        )
    except actions.GovernanceInputError as error:
        raise _invalid(error) from error
    p = selectors.action_progress(action)
    return ActionOut(
        public_id=action.public_id,
        objective=action.objective.number,
        code=action.code,
        title=action.title,
        lead=str(action.lead),
        status=p.status,
        achieved=p.achieved,
        target=action.target,
        percent=p.percent,
        officials_trained=p.trained.attended,
    )
