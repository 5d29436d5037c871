"""Reads of the governance module.

Nothing here returns a person: statistics come only from the latest published release (protected cells), and
training participants' names are read only by the pages of those who may edit trainings.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from perisai.places.models import Region

from . import scoring
from .models import (
    NATION,
    Answer,
    Assessment,
    Domain,
    Evidence,
    Framework,
    GcmObjective,
    Indicator,
    Institution,
    Participant,
    PlanAction,
    PlanLine,
    Practice,
    ProgressReport,
    ProgressStatus,
    StatCell,
    StatRelease,
    Training,
)
from .sources import all_tables, get_source
from .sources.base import NOT_STATED, TableSpec

# ---------------------------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------------------------


def place_labels(codes: set[str] | list[str]) -> dict[str, str]:
    """Names for place codes: the nation, regions, and "not stated" nodes."""
    wanted = {c for c in codes if c and c != NATION and not c.endswith(NOT_STATED)}
    names = dict(Region.objects.filter(code__in=wanted).values_list("code", "name"))
    out = {}
    for code in codes:
        if code == NATION:
            out[code] = _("Indonesia")
        elif code.endswith(NOT_STATED):
            out[code] = _("Not stated")
        else:
            out[code] = names.get(code, code)
    return out


def place_label(code: str) -> str:
    return place_labels([code])[code]


def region_choices(*, levels: tuple[int, ...] = (1, 2), include_nation: bool = True) -> list[tuple[str, str]]:
    rows = (
        Region.objects.filter(level__in=levels, retired_at=None)
        .order_by("code")
        .values_list("code", "name", "level")
    )
    choices = [(NATION, _("Indonesia (national)"))] if include_nation else []
    choices += [(code, f"{'— ' * (level - 1)}{name} ({code})") for code, name, level in rows]
    return choices


# ---------------------------------------------------------------------------------------------------------
# Frameworks and assessments
# ---------------------------------------------------------------------------------------------------------


def list_frameworks() -> QuerySet[Framework]:
    return Framework.objects.annotate(n_indicators=Count("indicators", distinct=True)).order_by(
        "kind", "code"
    )


def get_framework(code: str) -> Framework:
    framework = Framework.objects.filter(code=code).first()
    if framework is None:
        raise Http404
    return framework


def framework_tree(framework: Framework) -> list[tuple[Domain, list[Indicator]]]:
    indicators = (
        Indicator.objects.select_related("subarea")
        .prefetch_related(
            Prefetch("actions", queryset=PlanAction.objects.select_related("objective")),
            Prefetch("practices", queryset=Practice.objects.order_by("title")),
        )
        .order_by("order", "code")
    )
    domains = framework.domains.prefetch_related(Prefetch("indicators", queryset=indicators)).order_by(
        "order", "code"
    )
    return [(d, list(d.indicators.all())) for d in domains]


def list_assessments(
    *, framework: Framework | None = None, place_code: str = "", status: str = ""
) -> QuerySet[Assessment]:
    qs = Assessment.objects.select_related("framework", "region").order_by("-as_of", "place_code")
    if framework is not None:
        qs = qs.filter(framework=framework)
    if place_code:
        qs = qs.filter(place_code=place_code)
    if status:
        qs = qs.filter(status=status)
    return qs


def get_assessment(public_id: uuid.UUID | str) -> Assessment:
    try:
        return Assessment.objects.select_related("framework", "region", "reviewer", "baseline").get(
            public_id=public_id
        )
    except (Assessment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@dataclass
class ItemRow:
    indicator: Indicator
    answer: Answer | None
    points: float | None
    max_points: float
    evidence: list[Evidence]

    @property
    def answer_label(self) -> str:
        if self.answer is None:
            return ""
        if self.answer.number is not None:
            return f"{self.answer.number.normalize():f}"
        if self.answer.value:
            labels = {"yes": _("Yes"), "no": _("No"), "partial": _("Partly")}
            return str(labels.get(self.answer.value) or self.indicator.choice_label(self.answer.value))
        return self.answer.text


@dataclass
class DomainBlock:
    domain: Domain
    score: scoring.DomainScore
    band_label: str
    items: list[ItemRow]


@dataclass
class AssessmentResult:
    assessment: Assessment
    blocks: list[DomainBlock]
    overall_percent: int | None
    overall_band: str | None
    overall_band_label: str
    well_developed: list[Indicator]
    potential: list[Indicator]
    not_assessed: list[Indicator]
    scored: bool

    def block(self, code: str) -> DomainBlock | None:
        return next((b for b in self.blocks if b.domain.code == code), None)


def _rule(indicator: Indicator) -> scoring.Rule:
    try:
        return scoring.make_rule(indicator.answer_type, indicator.scoring, indicator.choices)
    except scoring.RuleError:
        return scoring.Rule(scoring.TEXT)


def assessment_result(assessment: Assessment) -> AssessmentResult:
    framework = assessment.framework
    tree = framework_tree(framework)
    answers = {
        a.indicator_id: a
        for a in assessment.answers.prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("added_at"))
        )
    }
    items: list[scoring.Item] = []
    rows_by_domain: dict[str, list[ItemRow]] = defaultdict(list)
    by_code: dict[str, Indicator] = {}
    for domain, indicators in tree:
        for indicator in indicators:
            rule = _rule(indicator)
            answer = answers.get(indicator.pk)
            item = scoring.Item(
                code=indicator.code,
                domain=domain.code,
                rule=rule,
                value=answer.value if answer else "",
                number=answer.number if answer else None,
            )
            items.append(item)
            by_code[indicator.code] = indicator
            rows_by_domain[domain.code].append(
                ItemRow(
                    indicator,
                    answer,
                    item.points,
                    rule.max_points,
                    list(answer.evidence.all()) if answer else [],
                )
            )
    bands = framework.bands or []
    scores = scoring.score_domains(items, [d.code for d, _i in tree], bands)
    blocks = [
        DomainBlock(d, s, framework.band_label(s.band), rows_by_domain[d.code])
        for (d, _i), s in zip(tree, scores, strict=True)
    ]
    mean, band = scoring.overall(scores, bands)
    prof = scoring.profile(items)
    return AssessmentResult(
        assessment=assessment,
        blocks=blocks,
        overall_percent=round(mean * 100) if mean is not None else None,
        overall_band=band,
        overall_band_label=framework.band_label(band),
        well_developed=[by_code[c] for c in prof.well_developed],
        potential=[by_code[c] for c in prof.potential],
        not_assessed=[by_code[c] for c in prof.not_assessed],
        scored=any(i.rule.scored for i in items),
    )


@dataclass
class ComparisonRow:
    indicator: Indicator
    left: ItemRow | None
    right: ItemRow | None

    @property
    def changed(self) -> bool:
        return (self.left.points if self.left else None) != (self.right.points if self.right else None)


@dataclass
class Comparison:
    left: AssessmentResult
    right: AssessmentResult
    domains: list[tuple[DomainBlock, DomainBlock | None]]
    rows: list[tuple[Domain, list[ComparisonRow]]]


def compare_assessments(left: Assessment, right: Assessment) -> Comparison:
    """Side by side: two places or two dates. Both must use the same framework."""
    if left.framework_id != right.framework_id:
        raise ValueError("different frameworks")
    a, b = assessment_result(left), assessment_result(right)
    domains = [(block, b.block(block.domain.code)) for block in a.blocks]
    rows = []
    for block in a.blocks:
        other = b.block(block.domain.code)
        right_items = {r.indicator.pk: r for r in (other.items if other else [])}
        rows.append(
            (
                block.domain,
                [ComparisonRow(r.indicator, r, right_items.get(r.indicator.pk)) for r in block.items],
            )
        )
    return Comparison(a, b, domains, rows)


def assessment_history(assessment: Assessment) -> QuerySet[Any]:
    from perisai.core.models import AuditEvent

    return AuditEvent.objects.filter(
        object_type=Assessment._meta.label_lower, object_id=str(assessment.pk)
    ).order_by("-at", "-pk")[:50]


# ---------------------------------------------------------------------------------------------------------
# The GCM action plan
# ---------------------------------------------------------------------------------------------------------


def period_key(period: str) -> tuple[int, int, int]:
    """Order periods by when they end: 2026-Q1 < 2026-S1 < 2026-Q3 < 2026-S2 < 2026 (a year ends last)."""
    year = int(period[:4]) if period[:4].isdigit() else 0
    rest = period[5:]
    if rest.startswith("Q"):
        return (year, int(rest[1]) * 3, 0)
    if rest.startswith("S"):
        return (year, int(rest[1]) * 6, 1)
    return (year, 12, 2)


@dataclass
class TrainingRollup:
    trainings: int = 0
    participants: int = 0
    attended: int = 0
    female: int = 0
    male: int = 0
    certificates: int = 0
    in_person: int = 0
    online: int = 0
    by_institution: list[tuple[str, int]] = field(default_factory=list)
    by_region: list[tuple[str, int]] = field(default_factory=list)
    mean_pre: float | None = None
    mean_post: float | None = None

    @property
    def gain(self) -> float | None:
        if self.mean_pre is None or self.mean_post is None:
            return None
        return self.mean_post - self.mean_pre


def training_rollup(trainings: QuerySet[Training] | list[Training]) -> TrainingRollup:
    """Figures over trainings: a hybrid event counts both as in person and as online."""
    ids = [t.pk for t in trainings]
    out = TrainingRollup(trainings=len(ids))
    modes = Counter(t.mode for t in trainings)
    out.in_person = modes[Training.Mode.IN_PERSON] + modes[Training.Mode.HYBRID]
    out.online = modes[Training.Mode.ONLINE] + modes[Training.Mode.HYBRID]
    people = Participant.objects.filter(training_id__in=ids)
    out.participants = people.count()
    attended = people.filter(attended=True)
    out.attended = attended.count()
    sexes = dict(attended.values_list("sex").annotate(n=Count("id")).order_by())
    out.female, out.male = sexes.get("F", 0), sexes.get("M", 0)
    out.certificates = people.exclude(certificate_number="").count()
    inst: Counter[str] = Counter()
    for abbr, name, other in attended.values_list(
        "institution__abbr", "institution__name", "institution_name"
    ):
        inst[abbr or name or other or _("Not stated")] += 1
    out.by_institution = inst.most_common()
    regions: Counter[str] = Counter()
    for code, name in attended.values_list("region_id", "region__name"):
        regions[name or _("Not stated")] += 1
        del code
    out.by_region = regions.most_common()
    pre = [float(v) for v in attended.values_list("pre_score", flat=True) if v is not None]
    post = [float(v) for v in attended.values_list("post_score", flat=True) if v is not None]
    out.mean_pre = sum(pre) / len(pre) if pre else None
    out.mean_post = sum(post) / len(post) if post else None
    return out


@dataclass
class ActionProgress:
    action: PlanAction
    reports: list[ProgressReport]
    latest: ProgressReport | None
    status: str
    achieved: Decimal | None
    percent: int | None
    trained: TrainingRollup

    @property
    def status_label(self) -> str:
        return str(ProgressStatus(self.status).label)


def action_progress(action: PlanAction) -> ActionProgress:
    reports = sorted(action.reports.all(), key=lambda r: period_key(r.period), reverse=True)
    latest = reports[0] if reports else None
    trained = training_rollup(list(action.trainings.all()))
    if action.metric == PlanAction.Metric.OFFICIALS_TRAINED:
        achieved: Decimal | None = Decimal(trained.attended)
    else:
        achieved = latest.value if latest else None
    percent = None
    if achieved is not None and action.target:
        percent = min(100, round(float(achieved) / float(action.target) * 100))
    status = latest.status if latest else ProgressStatus.NOT_STARTED
    if status == ProgressStatus.NOT_STARTED and trained.attended:
        status = ProgressStatus.ON_TRACK
    return ActionProgress(action, reports, latest, status, achieved, percent, trained)


def list_actions(*, objective: int | None = None, institution: int | None = None) -> QuerySet[PlanAction]:
    qs = PlanAction.objects.select_related("objective", "lead").prefetch_related(
        "supporting", "reports", "trainings"
    )
    if objective:
        qs = qs.filter(objective__number=objective)
    if institution:
        qs = qs.filter(Q(lead_id=institution) | Q(supporting__id=institution)).distinct()
    return qs.order_by("objective__number", "code", "pk")


def get_action(public_id: uuid.UUID | str) -> PlanAction:
    try:
        return PlanAction.objects.select_related("objective", "lead").get(public_id=public_id)
    except (PlanAction.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@dataclass
class DashboardRow:
    label: str
    key: str
    actions: int
    budget: Decimal
    statuses: dict[str, int]
    mean_percent: int | None


def plan_dashboard() -> tuple[list[DashboardRow], list[DashboardRow]]:
    """Progress by GCM objective and by lead institution."""
    progress = [action_progress(a) for a in list_actions()]
    by_objective: dict[int, list[ActionProgress]] = defaultdict(list)
    by_institution: dict[int, list[ActionProgress]] = defaultdict(list)
    for p in progress:
        by_objective[p.action.objective.number].append(p)
        by_institution[p.action.lead_id].append(p)
        for supporting in p.action.supporting.all():
            by_institution[supporting.pk].append(p)
    objectives = list(GcmObjective.objects.order_by("number"))
    institutions = {i.pk: i for i in Institution.objects.filter(pk__in=list(by_institution))}

    def row(label: str, key: str, items: list[ActionProgress]) -> DashboardRow:
        percents = [p.percent for p in items if p.percent is not None]
        return DashboardRow(
            label=label,
            key=key,
            actions=len(items),
            budget=sum((p.action.budget or Decimal(0) for p in items), Decimal(0)),
            statuses=dict(Counter(p.status for p in items)),
            mean_percent=round(sum(percents) / len(percents)) if percents else None,
        )

    obj_rows = [row(str(o), str(o.number), by_objective.get(o.number, [])) for o in objectives]
    inst_rows = sorted(
        (row(str(institutions[pk]), str(pk), items) for pk, items in by_institution.items()),
        key=lambda r: (-r.actions, r.label),
    )
    return obj_rows, inst_rows


# ---------------------------------------------------------------------------------------------------------
# Trainings and practices
# ---------------------------------------------------------------------------------------------------------


def list_trainings(*, action: PlanAction | None = None) -> QuerySet[Training]:
    qs = Training.objects.select_related("region", "organiser", "action").annotate(
        n_participants=Count("participants")
    )
    if action is not None:
        qs = qs.filter(action=action)
    return qs.order_by("-start_date", "pk")


def get_training(public_id: uuid.UUID | str) -> Training:
    try:
        return Training.objects.select_related("region", "organiser", "action", "objective").get(
            public_id=public_id
        )
    except (Training.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_participant(training: Training, public_id: uuid.UUID | str) -> Participant:
    try:
        return training.participants.select_related("institution", "region").get(public_id=public_id)
    except (Participant.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def search_practices(
    *, text: str = "", topic: str = "", region: str = "", objective: int | None = None
) -> QuerySet[Practice]:
    qs = Practice.objects.select_related("region").prefetch_related("objectives")
    if topic:
        qs = qs.filter(topic=topic)
    if region:
        qs = qs.filter(Q(region_id=region) | Q(region__code__startswith=region + "."))
    if objective:
        qs = qs.filter(objectives__number=objective)
    for word in text.split()[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(source__icontains=word))
    return qs.distinct().order_by("title")


def get_practice(public_id: uuid.UUID | str) -> Practice:
    try:
        return Practice.objects.select_related("region").get(public_id=public_id)
    except (Practice.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# ---------------------------------------------------------------------------------------------------------
# Published statistics
# ---------------------------------------------------------------------------------------------------------


def latest_release() -> StatRelease | None:
    return (
        StatRelease.objects.filter(status=StatRelease.Status.PUBLISHED).order_by("-created_at", "-pk").first()
    )


@dataclass
class CellView:
    category: str
    label: str
    n: int | None
    value: float | None
    hidden: bool

    @property
    def mean(self) -> float | None:
        if self.n is None or self.value is None or not self.n:
            return None
        return self.value / self.n


@dataclass
class TableView:
    spec: TableSpec
    geo: str
    connected: bool
    total: CellView | None
    rows: list[CellView]

    @property
    def empty(self) -> bool:
        return self.total is None and not self.rows


def _label(spec: TableSpec, category: str) -> str:
    source = get_source(spec.source)
    if source is None or spec.dimension is None:
        return category
    return source.category_label(spec.dimension, category)


def _cell(spec: TableSpec, c: StatCell) -> CellView:
    return CellView(c.category, _label(spec, c.category) if c.category else "", c.n, c.value, c.hidden)


def source_connected(release: StatRelease | None, source_code: str) -> bool:
    if release is None:
        return False
    return bool(release.sources.get(source_code, {}).get("connected"))


def stat_table(
    release: StatRelease | None, code: str, geo: str = NATION, *, limit: int | None = None
) -> TableView:
    """A published table for one place: its total and its categories, largest first (hidden last)."""
    spec = all_tables()[code]
    if release is None:
        return TableView(spec, geo, False, None, [])
    cells = list(StatCell.objects.filter(release=release, table=code, geo=geo))
    total = next((c for c in cells if c.category == ""), None)
    # Only published categories are listed: a hidden one must look like an empty one (disclosure.py).
    rows = [_cell(spec, c) for c in cells if c.category != "" and not c.hidden]
    if spec.dimension == "year":
        rows.sort(key=lambda r: r.category)
    else:
        rows.sort(key=lambda r: (r.n is None, -(r.n or 0), r.label))
    if limit is not None:
        rows = rows[:limit]
    return TableView(
        spec, geo, source_connected(release, spec.source), _cell(spec, total) if total else None, rows
    )


@dataclass
class ChildRow:
    geo: str
    label: str
    n: int | None
    hidden: bool


def stat_children(release: StatRelease | None, code: str, parent: str, category: str = "") -> list[ChildRow]:
    """The published places under a parent in a table (e.g. provinces of origin of people abroad), largest
    first. Hidden places are not listed, like empty ones."""
    if release is None:
        return []
    cells = list(
        StatCell.objects.filter(
            release=release, table=code, parent=parent, category=category, hidden=False
        ).values_list("geo", "n", "hidden")
    )
    labels = place_labels([g for g, _n, _h in cells])
    rows = [ChildRow(g, labels[g], n, h) for g, n, h in cells]
    rows.sort(key=lambda r: (r.n is None, -(r.n or 0), r.label))
    return rows


DASHBOARD_TABLES = (
    "people_abroad_by_country",
    "people_abroad_by_sector",
    "people_abroad_by_sex",
    "returnees_by_sex",
    "returnees_by_country",
    "cases_by_type",
    "crisis_accounting",
    "sdg_10_7_1",
    "sdg_10_c_1",
)


def region_of(code: str) -> Region | None:
    if code == NATION:
        return None
    region = Region.objects.filter(code=code).select_related("parent__parent__parent").first()
    if region is None or region.level not in (1, 2, 4):
        raise Http404
    return region


@dataclass
class RegionProfile:
    code: str
    region: Region | None
    label: str
    release: StatRelease | None
    tables: dict[str, TableView]
    children: list[ChildRow]
    trend: TableView
    case_trend: TableView
    plan_lines: list[PlanLine]
    plan_total: Decimal
    plan_by_objective: list[tuple[GcmObjective, Decimal]]
    trainings: list[Training]
    practices: list[Practice]


def region_profile(code: str) -> RegionProfile:
    """A local migration profile: published figures for the place, its parts, plan lines, trainings."""
    region = region_of(code)
    release = latest_release()
    names = [
        "people_abroad",
        "people_abroad_by_country",
        "people_abroad_by_sex",
        "people_abroad_by_sector",
        "returnees_by_sex",
        "cases_by_type",
        "crisis_exposure",
        "sdg_10_c_1",
    ]
    tables = {name: stat_table(release, name, code) for name in names}
    children = stat_children(release, "people_abroad", code)
    prefix_q = Q() if code == NATION else Q(region_id=code) | Q(region__code__startswith=code + ".")
    lines = list(
        PlanLine.objects.filter(prefix_q)
        .select_related("objective", "institution", "region")
        .order_by("-year", "objective__number")
    )
    totals: dict[int, Decimal] = defaultdict(Decimal)
    objectives: dict[int, GcmObjective] = {}
    for line in lines:
        totals[line.objective.number] += line.budget
        objectives[line.objective.number] = line.objective
    trainings = list(
        Training.objects.filter(
            Q() if code == NATION else Q(region_id=code) | Q(region__code__startswith=code + ".")
        ).order_by("-start_date")[:20]
    )
    practices = list(Practice.objects.filter(prefix_q).order_by("title")[:20]) if code != NATION else []
    return RegionProfile(
        code=code,
        region=region,
        label=place_label(code),
        release=release,
        tables=tables,
        children=children,
        trend=stat_table(release, "registrations_by_year", code),
        case_trend=stat_table(release, "cases_by_year", code),
        plan_lines=lines,
        plan_total=sum((line.budget for line in lines), Decimal(0)),
        plan_by_objective=[(objectives[n], totals[n]) for n in sorted(totals)],
        trainings=trainings,
        practices=practices,
    )


def plan_budget_by_objective() -> list[tuple[GcmObjective, Decimal]]:
    rows = PlanLine.objects.values("objective").annotate(total=Sum("budget")).order_by()
    objectives = {o.pk: o for o in GcmObjective.objects.all()}
    return [(objectives[r["objective"]], r["total"]) for r in rows]
