"""Writes of the governance module. Keyword-only, typed, atomic, audited (never personal data in details).

`check_*` functions validate and raise `GovernanceInputError` with every problem at once (field -> translated
messages); `do_*` functions write. Pages and the API call the same functions.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perisai.core import audit
from perisai.core.models import User
from perisai.core.roles import Cap
from perisai.places.models import Region

from . import scoring
from .models import (
    NATION,
    Answer,
    AnswerType,
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
    SubArea,
    Training,
    TrainingModule,
)

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
MAX_TEXT = 5000
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_SUFFIXES = (
    ".pdf",
    ".doc",
    ".docx",
    ".odt",
    ".xls",
    ".xlsx",
    ".ods",
    ".png",
    ".jpg",
    ".jpeg",
    ".txt",
)
PERIOD = re.compile(r"^(19|20)\d{2}(-Q[1-4]|-S[12])?$")
RELEASES_KEPT = 3


class GovernanceInputError(ValueError):
    """Every problem of one input at once: field -> list of translated messages ("" for the whole form)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def _fail(field_name: str, message: str) -> GovernanceInputError:
    return GovernanceInputError({field_name: [message]})


# ---------------------------------------------------------------------------------------------------------
# Loading the shipped frameworks, GCM objectives and institutions (perisai governance load-frameworks)
# ---------------------------------------------------------------------------------------------------------


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def _upsert(
    model: Any, lookup: dict[str, Any], values: dict[str, Any], report: LoadReport, *, overwrite: bool
) -> Any:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.created += 1
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v] if overwrite else []
    if changed:
        for key in changed:
            setattr(obj, key, values[key])
        obj.save(update_fields=changed)
        report.updated += 1
    else:
        report.unchanged += 1
    return obj


@transaction.atomic
def do_load_frameworks(*, actor: User | None = None, directory: Path | None = None) -> LoadReport:
    """Load (or refresh) the shipped frameworks, the GCM objectives and the institutions. Idempotent.

    Official (locked) frameworks follow the fixture: their texts are updated when the fixture changes. A
    framework an administrator completes (MGI) is only created: texts entered in the platform are kept.
    """
    base = directory or DATA_DIR
    report = LoadReport()
    for path in sorted((base / "frameworks").glob("*.json")):
        _load_framework(json.loads(path.read_text(encoding="utf-8")), report)
    gcm = json.loads((base / "gcm-objectives.json").read_text(encoding="utf-8"))
    for item in gcm["objectives"]:
        _upsert(
            GcmObjective,
            {"number": item["number"]},
            {"title_en": item["title_en"], "title_id": item["title_id"]},
            report,
            overwrite=True,
        )
    institutions = json.loads((base / "institutions.json").read_text(encoding="utf-8"))
    for item in institutions["institutions"]:
        _upsert(
            Institution,
            {"code": item["code"]},
            {"abbr": item["abbr"], "name": item["name"], "kind": item["kind"]},
            report,
            overwrite=False,
        )
    audit.record(
        actor=actor,
        action="governance.load_frameworks",
        details={"created": report.created, "updated": report.updated},
    )
    return report


def _load_framework(data: dict[str, Any], report: LoadReport) -> None:
    overwrite = bool(data.get("locked"))
    fw_values = {
        k: data.get(k, default)
        for k, default in (
            ("kind", Framework.Kind.CUSTOM),
            ("name_en", ""),
            ("name_id", ""),
            ("description_en", ""),
            ("description_id", ""),
            ("source", ""),
            ("version", ""),
            ("bands", []),
            ("locked", False),
            ("needs_completion", False),
        )
    }
    framework = _upsert(Framework, {"code": data["code"]}, fw_values, report, overwrite=overwrite)
    for d in data["domains"]:
        domain = _upsert(
            Domain,
            {"framework": framework, "code": d["code"]},
            {
                "order": d.get("order", 0),
                "name_en": d["name_en"],
                "name_id": d.get("name_id", ""),
                "description_en": d.get("description_en", ""),
                "description_id": d.get("description_id", ""),
            },
            report,
            overwrite=overwrite,
        )
        for s in d.get("subareas", []):
            _upsert(
                SubArea,
                {"domain": domain, "code": s["code"]},
                {"order": s.get("order", 0), "name_en": s["name_en"], "name_id": s.get("name_id", "")},
                report,
                overwrite=overwrite,
            )
        for i in d.get("indicators", []):
            rule_check = scoring.make_rule(i["answer_type"], i.get("scoring"), i.get("choices", []))
            del rule_check
            _upsert(
                Indicator,
                {"framework": framework, "code": i["code"]},
                {
                    "domain": domain,
                    "order": i.get("order", 0),
                    "question_en": i["question_en"],
                    "question_id": i.get("question_id", ""),
                    "answer_type": i["answer_type"],
                    "choices": i.get("choices", []),
                    "guidance_en": i.get("guidance_en", ""),
                    "guidance_id": i.get("guidance_id", ""),
                    "scoring": i.get("scoring", {}),
                    "is_example": i.get("is_example", False),
                },
                report,
                overwrite=overwrite,
            )


# ---------------------------------------------------------------------------------------------------------
# Completing a framework (indicators)
# ---------------------------------------------------------------------------------------------------------


@dataclass
class IndicatorInput:
    domain_code: str
    code: str
    question_en: str
    question_id: str = ""
    answer_type: str = AnswerType.YES_NO
    guidance_en: str = ""
    guidance_id: str = ""
    choices: list[dict[str, Any]] = field(default_factory=list)
    scoring: dict[str, Any] = field(default_factory=dict)
    subarea_code: str = ""
    order: int = 0


def check_indicator_input(
    *, framework: Framework, data: IndicatorInput, indicator: Indicator | None
) -> Domain:
    errors: dict[str, list[str]] = {}
    if framework.locked:
        raise _fail("", _("This is an official questionnaire: its questions cannot be changed here."))
    domain = framework.domains.filter(code=data.domain_code).first()
    if domain is None:
        errors.setdefault("domain_code", []).append(_("Choose a domain of this framework."))
    code = data.code.strip()
    if not code or len(code) > 20:
        errors.setdefault("code", []).append(_("Give the indicator a short code (at most 20 characters)."))
    elif framework.indicators.filter(code=code).exclude(pk=indicator.pk if indicator else -1).exists():
        errors.setdefault("code", []).append(_("Another indicator of this framework already has this code."))
    if not data.question_en.strip() and not data.question_id.strip():
        errors.setdefault("question_en", []).append(_("Write the question in English or in Indonesian."))
    if data.answer_type not in AnswerType.values:
        errors.setdefault("answer_type", []).append(_("Choose an answer type."))
    elif data.answer_type == AnswerType.CHOICE and not data.choices:
        errors.setdefault("choices", []).append(_("List the choices, one per line."))
    else:
        try:
            scoring.make_rule(data.answer_type, data.scoring, data.choices)
        except scoring.RuleError:
            errors.setdefault("scoring", []).append(_("The scoring rule cannot be read."))
    for name in ("question_en", "question_id", "guidance_en", "guidance_id"):
        if len(getattr(data, name)) > MAX_TEXT:
            errors.setdefault(name, []).append(_("This is too long."))
    if errors:
        raise GovernanceInputError(errors)
    assert domain is not None  # noqa: S101 (checked above)
    return domain


@transaction.atomic
def do_save_indicator(
    *, actor: User, framework: Framework, data: IndicatorInput, indicator: Indicator | None = None
) -> Indicator:
    domain = check_indicator_input(framework=framework, data=data, indicator=indicator)
    subarea = domain.subareas.filter(code=data.subarea_code).first() if data.subarea_code else None
    values = {
        "domain": domain,
        "subarea": subarea,
        "code": data.code.strip(),
        "order": data.order,
        "question_en": data.question_en.strip(),
        "question_id": data.question_id.strip(),
        "answer_type": data.answer_type,
        "choices": data.choices,
        "guidance_en": data.guidance_en.strip(),
        "guidance_id": data.guidance_id.strip(),
        "scoring": data.scoring,
        "is_example": False,
    }
    if indicator is None:
        indicator = Indicator.objects.create(framework=framework, **values)
        action = "indicator.create"
    else:
        for key, value in values.items():
            setattr(indicator, key, value)
        indicator.save()
        action = "indicator.edit"
    framework.updated_at = timezone.now()
    framework.save(update_fields=["updated_at"])
    audit.record(actor=actor, action=action, target=indicator, details={"framework": framework.code})
    return indicator


@transaction.atomic
def do_delete_indicator(*, actor: User, indicator: Indicator) -> None:
    if indicator.framework.locked:
        raise _fail("", _("This is an official questionnaire: its questions cannot be changed here."))
    if indicator.answers.exists():
        raise _fail("", _("This indicator has answers in assessments and cannot be deleted."))
    audit.record(actor=actor, action="indicator.delete", target=indicator, details={"code": indicator.code})
    indicator.delete()


# ---------------------------------------------------------------------------------------------------------
# Assessments
# ---------------------------------------------------------------------------------------------------------


def resolve_place(place_code: str) -> Region | None:
    """The region of a place code: None for the nation; raises for an unknown code or a wrong level."""
    code = (place_code or "").strip()
    if code in ("", NATION):
        return None
    region = Region.objects.filter(code=code, level__in=[Region.Level.PROVINCE, Region.Level.REGENCY]).first()
    if region is None:
        raise _fail("place_code", _("Choose the nation, a province or a regency or city."))
    return region


@transaction.atomic
def do_create_assessment(
    *,
    actor: User,
    framework: Framework,
    place_code: str,
    as_of: dt.date,
    title: str = "",
    source: str = "",
    baseline: Assessment | None = None,
) -> Assessment:
    region = resolve_place(place_code)
    code = region.code if region else NATION
    if Assessment.objects.filter(framework=framework, place_code=code, as_of=as_of).exists():
        raise _fail("as_of", _("This place already has an assessment on this framework for this date."))
    assessment = Assessment.objects.create(
        framework=framework,
        place_code=code,
        region=region,
        as_of=as_of,
        title=title.strip()[:200],
        source=source.strip()[:MAX_TEXT],
        baseline=baseline,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="assessment.create",
        target=assessment,
        details={"framework": framework.code, "place": code, "baseline": baseline.pk if baseline else None},
    )
    return assessment


@dataclass
class AnswerInput:
    value: str = ""
    number: Decimal | None = None
    text: str = ""
    comment: str = ""
    source: str = ""


VALUES_BY_TYPE: dict[str, tuple[str, ...]] = {
    AnswerType.YES_NO.value: ("yes", "no"),
    AnswerType.YES_PARTIAL_NO.value: ("yes", "partial", "no"),
}


def check_answer(indicator: Indicator, data: AnswerInput) -> AnswerInput:
    value = data.value.strip()
    if indicator.answer_type in VALUES_BY_TYPE:
        if value and value not in VALUES_BY_TYPE[indicator.answer_type]:
            raise _fail(indicator.code, _("Choose one of the answers offered."))
    elif indicator.answer_type == AnswerType.CHOICE:
        allowed = {str(c.get("value")) for c in indicator.choices}
        if value and value not in allowed:
            raise _fail(indicator.code, _("Choose one of the answers offered."))
    elif indicator.answer_type == AnswerType.NUMBER or indicator.answer_type == AnswerType.TEXT:
        value = ""
    for name in ("text", "comment", "source"):
        if len(getattr(data, name)) > MAX_TEXT:
            raise _fail(indicator.code, _("This is too long."))
    return AnswerInput(
        value=value,
        number=data.number if indicator.answer_type == AnswerType.NUMBER else None,
        text=data.text.strip() if indicator.answer_type == AnswerType.TEXT else "",
        comment=data.comment.strip(),
        source=data.source.strip()[:300],
    )


@transaction.atomic
def do_save_answers(*, actor: User, assessment: Assessment, answers: dict[int, AnswerInput]) -> list[str]:
    """Save the answers given (indicator id -> answer); return the codes of indicators whose answer changed."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.editable:
        raise _fail("", _("An approved assessment cannot be changed. Start a follow-up assessment instead."))
    indicators = {i.pk: i for i in assessment.framework.indicators.filter(pk__in=list(answers))}
    errors: dict[str, list[str]] = {}
    checked: dict[int, AnswerInput] = {}
    for pk, data in answers.items():
        indicator = indicators.get(pk)
        if indicator is None:
            errors.setdefault("", []).append(_("An answer was given to a question of another framework."))
            continue
        try:
            checked[pk] = check_answer(indicator, data)
        except GovernanceInputError as exc:
            for key, msgs in exc.errors.items():
                errors.setdefault(key, []).extend(msgs)
    if errors:
        raise GovernanceInputError(errors)
    existing = {a.indicator_id: a for a in assessment.answers.all()}
    changed: list[str] = []
    now = timezone.now()
    for pk, data in checked.items():
        answer = existing.get(pk)
        values = {
            "value": data.value,
            "number": data.number,
            "text": data.text,
            "comment": data.comment,
            "source": data.source,
        }
        if answer is None:
            if not any(values.values()) and data.number is None:
                continue
            Answer.objects.create(assessment=assessment, indicator=indicators[pk], updated_by=actor, **values)
            changed.append(indicators[pk].code)
            continue
        diff = [k for k, v in values.items() if _differs(getattr(answer, k), v)]
        if diff:
            for key in diff:
                setattr(answer, key, values[key])
            answer.updated_by = actor
            answer.updated_at = now
            answer.save()
            changed.append(indicators[pk].code)
    if changed:
        assessment.updated_at = now
        assessment.save(update_fields=["updated_at"])
        audit.record(
            actor=actor, action="assessment.answer", target=assessment, details={"indicators": changed}
        )
    return changed


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return (None if old is None else Decimal(old)) != (None if new is None else Decimal(new))
    return bool(old != new)


@dataclass
class EvidenceInput:
    kind: str
    title: str
    citation: str = ""
    url: str = ""
    file: Any = None


@transaction.atomic
def do_add_evidence(
    *, actor: User, assessment: Assessment, indicator: Indicator, data: EvidenceInput
) -> Evidence:
    if not assessment.editable:
        raise _fail("", _("An approved assessment cannot be changed. Start a follow-up assessment instead."))
    if indicator.framework_id != assessment.framework_id:
        raise _fail("indicator", _("Choose a question of this assessment."))
    errors: dict[str, list[str]] = {}
    if data.kind not in Evidence.Kind.values:
        errors.setdefault("kind", []).append(_("Choose what kind of evidence this is."))
    if not data.title.strip():
        errors.setdefault("title", []).append(_("Give the evidence a title, e.g. the name of the law."))
    if data.kind == Evidence.Kind.LINK and not data.url:
        errors.setdefault("url", []).append(_("Give the link."))
    if data.file is not None:
        name = str(getattr(data.file, "name", "")).lower()
        if not name.endswith(EVIDENCE_SUFFIXES):
            errors.setdefault("file", []).append(_("Attach a PDF, office document, image or text file."))
        elif getattr(data.file, "size", 0) > MAX_EVIDENCE_BYTES:
            errors.setdefault("file", []).append(_("The file is larger than 10 MB."))
    if errors:
        raise GovernanceInputError(errors)
    answer, _created = Answer.objects.get_or_create(assessment=assessment, indicator=indicator)
    evidence = Evidence.objects.create(
        answer=answer,
        kind=data.kind,
        title=data.title.strip()[:300],
        citation=data.citation.strip()[:300],
        url=data.url.strip()[:500],
        added_by=actor,
    )
    if data.file is not None:
        evidence.file.save(Path(str(data.file.name)).name[-80:], data.file, save=True)
    audit.record(
        actor=actor,
        action="assessment.evidence",
        target=assessment,
        details={"indicator": indicator.code, "kind": data.kind, "evidence": evidence.pk},
    )
    return evidence


TRANSITIONS = {
    (Assessment.Status.DRAFT, Assessment.Status.CONSULTATION),
    (Assessment.Status.CONSULTATION, Assessment.Status.DRAFT),
    (Assessment.Status.CONSULTATION, Assessment.Status.APPROVED),
}


@transaction.atomic
def do_transition_assessment(
    *, actor: User, assessment: Assessment, to: str, reviewer: User | None = None
) -> Assessment:
    """draft -> consultation (names a reviewer) -> approved (by that reviewer); consultation -> draft returns it."""
    assessment = Assessment.objects.select_for_update().select_related("framework").get(pk=assessment.pk)
    current = assessment.status
    if (current, to) not in TRANSITIONS:
        raise _fail("", _("This step is not possible from the assessment's current status."))
    if to == Assessment.Status.CONSULTATION:
        reviewer = reviewer or assessment.reviewer
        if reviewer is None or not reviewer.is_active or not reviewer.can(Cap.GOVERNANCE_EDIT):
            raise _fail("reviewer", _("Name a reviewer who may edit governance assessments."))
        assessment.reviewer = reviewer
    if to == Assessment.Status.APPROVED:
        if assessment.reviewer_id != actor.pk:
            raise _fail("", _("Only the reviewer named for the consultation can approve the assessment."))
        if assessment.framework.indicators.filter(is_example=True).exists():
            raise _fail(
                "",
                _(
                    "This framework still has example indicators: an administrator must replace them "
                    "before an assessment can be approved."
                ),
            )
        missing = unanswered_codes(assessment)
        if missing:
            raise _fail(
                "",
                _("Answer every question before approval. Missing: %(codes)s")
                % {"codes": ", ".join(missing)},
            )
        assessment.approved_at = timezone.now()
        assessment.approved_by = actor
    if to == Assessment.Status.DRAFT and actor.pk not in (assessment.reviewer_id, assessment.created_by_id):
        raise _fail("", _("Only the reviewer or the author can return the assessment to draft."))
    assessment.status = to
    assessment.updated_at = timezone.now()
    assessment.save()
    audit.record(
        actor=actor,
        action="assessment.status",
        target=assessment,
        details={"from": current, "to": to, "reviewer": assessment.reviewer_id},
    )
    return assessment


def unanswered_codes(assessment: Assessment) -> list[str]:
    answered = {
        a.indicator_id for a in assessment.answers.all() if a.value or a.number is not None or a.text.strip()
    }
    return [
        i.code
        for i in assessment.framework.indicators.order_by("domain__order", "order")
        if i.pk not in answered
    ]


@transaction.atomic
def do_start_follow_up(*, actor: User, baseline: Assessment, as_of: dt.date) -> Assessment:
    """A new draft for the same place and framework, starting from the baseline's answers (not its evidence)."""
    if as_of <= baseline.as_of:
        raise _fail("as_of", _("A follow-up must be dated after its baseline."))
    follow_up = do_create_assessment(
        actor=actor,
        framework=baseline.framework,
        place_code=baseline.place_code,
        as_of=as_of,
        title=baseline.title,
        source=baseline.source,
        baseline=baseline,
    )
    Answer.objects.bulk_create(
        Answer(
            assessment=follow_up,
            indicator_id=a.indicator_id,
            value=a.value,
            number=a.number,
            text=a.text,
            comment=a.comment,
            source=a.source,
            updated_by=actor,
        )
        for a in baseline.answers.all()
    )
    return follow_up


# ---------------------------------------------------------------------------------------------------------
# The GCM action plan
# ---------------------------------------------------------------------------------------------------------


@dataclass
class InstitutionInput:
    code: str
    name: str
    abbr: str = ""
    kind: str = Institution.Kind.MINISTRY
    region_code: str = ""


@transaction.atomic
def do_save_institution(
    *, actor: User, data: InstitutionInput, institution: Institution | None = None
) -> Institution:
    errors: dict[str, list[str]] = {}
    code = data.code.strip().lower()
    if not re.fullmatch(r"[a-z0-9-]{2,40}", code):
        errors.setdefault("code", []).append(_("Use 2 to 40 lower-case letters, digits or dashes."))
    elif Institution.objects.filter(code=code).exclude(pk=institution.pk if institution else -1).exists():
        errors.setdefault("code", []).append(_("Another institution already has this code."))
    if not data.name.strip():
        errors.setdefault("name", []).append(_("Give the institution's name."))
    region = None
    if data.region_code:
        region = Region.objects.filter(code=data.region_code.strip()).first()
        if region is None:
            errors.setdefault("region_code", []).append(_("This region code does not exist."))
    if errors:
        raise GovernanceInputError(errors)
    institution = institution or Institution()
    institution.code, institution.name, institution.abbr = code, data.name.strip(), data.abbr.strip()
    institution.kind, institution.region = data.kind, region
    institution.save()
    audit.record(actor=actor, action="institution.save", target=institution)
    return institution


@dataclass
class ActionInput:
    objective: int
    title: str
    lead: int
    code: str = ""
    description: str = ""
    supporting: list[int] = field(default_factory=list)
    indicator: str = ""
    metric: str = PlanAction.Metric.REPORTED
    target: Decimal | None = None
    unit: str = ""
    budget: Decimal | None = None
    budget_source: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    mgi_indicators: list[int] = field(default_factory=list)


@transaction.atomic
def do_save_action(*, actor: User, data: ActionInput, action: PlanAction | None = None) -> PlanAction:
    errors: dict[str, list[str]] = {}
    objective = GcmObjective.objects.filter(number=data.objective).first()
    if objective is None:
        errors.setdefault("objective", []).append(_("Choose one of the 23 GCM objectives."))
    lead = Institution.objects.filter(pk=data.lead).first()
    if lead is None:
        errors.setdefault("lead", []).append(_("Choose the lead institution."))
    if not data.title.strip():
        errors.setdefault("title", []).append(_("Describe the action."))
    if data.start and data.end and data.end < data.start:
        errors.setdefault("end", []).append(_("The end is before the start."))
    for name in ("target", "budget"):
        value = getattr(data, name)
        if value is not None and value < 0:
            errors.setdefault(name, []).append(_("This cannot be negative."))
    if errors:
        raise GovernanceInputError(errors)
    action = action or PlanAction(created_by=actor)
    created = action.pk is None
    action.objective = objective  # type: ignore[assignment]
    action.lead = lead  # type: ignore[assignment]
    action.code, action.title = data.code.strip()[:20], data.title.strip()[:300]
    action.description, action.indicator = data.description.strip()[:MAX_TEXT], data.indicator.strip()[:300]
    action.metric, action.target, action.unit = data.metric, data.target, data.unit.strip()[:60]
    action.budget, action.budget_source = data.budget, data.budget_source.strip()[:200]
    action.start, action.end = data.start, data.end
    action.updated_at = timezone.now()
    action.save()
    action.supporting.set(Institution.objects.filter(pk__in=data.supporting).exclude(pk=data.lead))
    action.mgi_indicators.set(Indicator.objects.filter(pk__in=data.mgi_indicators))
    audit.record(
        actor=actor,
        action="plan_action.create" if created else "plan_action.edit",
        target=action,
        details={"objective": data.objective},
    )
    return action


@dataclass
class ProgressInput:
    period: str
    status: str
    value: Decimal | None = None
    spent: Decimal | None = None
    narrative: str = ""
    evidence: str = ""


@transaction.atomic
def do_record_progress(*, actor: User, action: PlanAction, data: ProgressInput) -> ProgressReport:
    """One report per action and period: reporting the same period again updates it (idempotent)."""
    errors: dict[str, list[str]] = {}
    period = data.period.strip().upper()
    if not PERIOD.match(period):
        errors.setdefault("period", []).append(
            _("Write the period as a year, half-year or quarter: 2026, 2026-S1, 2026-Q3.")
        )
    if data.status not in ProgressStatus.values:
        errors.setdefault("status", []).append(_("Choose a status."))
    for name in ("value", "spent"):
        value = getattr(data, name)
        if value is not None and value < 0:
            errors.setdefault(name, []).append(_("This cannot be negative."))
    if errors:
        raise GovernanceInputError(errors)
    report, created = ProgressReport.objects.update_or_create(
        action=action,
        period=period,
        defaults={
            "status": data.status,
            "value": data.value,
            "spent": data.spent,
            "narrative": data.narrative.strip()[:MAX_TEXT],
            "evidence": data.evidence.strip()[:MAX_TEXT],
            "reported_by": actor,
            "reported_at": timezone.now(),
        },
    )
    audit.record(
        actor=actor,
        action="plan_action.progress",
        target=action,
        details={"period": period, "status": data.status, "new": created},
    )
    return report


# ---------------------------------------------------------------------------------------------------------
# Trainings
# ---------------------------------------------------------------------------------------------------------


@dataclass
class TrainingInput:
    title: str
    start_date: dt.date
    end_date: dt.date
    kind: str = Training.Kind.TRAINING
    mode: str = Training.Mode.IN_PERSON
    topic: str = ""
    curriculum: str = ""
    modules: list[tuple[str, Decimal | None]] = field(default_factory=list)
    region_code: str = ""
    venue: str = ""
    organiser: int | None = None
    facilitators: str = ""
    action: str = ""  # the public id of a plan action, or ""
    objective: int | None = None
    pass_mark: Decimal = Decimal(60)


@transaction.atomic
def do_save_training(*, actor: User, data: TrainingInput, training: Training | None = None) -> Training:
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors.setdefault("title", []).append(_("Give the training a title."))
    if data.end_date < data.start_date:
        errors.setdefault("end_date", []).append(_("The last day is before the first day."))
    if data.mode not in Training.Mode.values:
        errors.setdefault("mode", []).append(_("Choose where the training takes place."))
    region = None
    if data.region_code:
        region = Region.objects.filter(code=data.region_code.strip()).first()
        if region is None:
            errors.setdefault("region_code", []).append(_("This region code does not exist."))
    if data.mode != Training.Mode.ONLINE and region is None and not data.venue.strip():
        errors.setdefault("venue", []).append(_("Give the place of an in-person training (region or venue)."))
    action = None
    if data.action:
        action = PlanAction.objects.filter(public_id=data.action).first()
        if action is None:
            errors.setdefault("action", []).append(_("Choose an action of the plan."))
    objective = None
    if data.objective:
        objective = GcmObjective.objects.filter(number=data.objective).first()
    if not Decimal(0) <= data.pass_mark <= Decimal(100):
        errors.setdefault("pass_mark", []).append(_("The pass mark is a score from 0 to 100."))
    if errors:
        raise GovernanceInputError(errors)
    training = training or Training(created_by=actor)
    created = training.pk is None
    training.title, training.kind, training.mode = data.title.strip()[:300], data.kind, data.mode
    training.topic, training.curriculum = data.topic.strip()[:200], data.curriculum.strip()[:MAX_TEXT]
    training.region, training.venue = region, data.venue.strip()[:200]
    training.start_date, training.end_date = data.start_date, data.end_date
    training.organiser = Institution.objects.filter(pk=data.organiser).first() if data.organiser else None
    training.facilitators = data.facilitators.strip()[:MAX_TEXT]
    training.action = action
    training.objective = objective or (action.objective if action else None)
    training.pass_mark = data.pass_mark
    training.save()
    training.modules.all().delete()
    TrainingModule.objects.bulk_create(
        TrainingModule(training=training, order=i, title=title.strip()[:200], hours=hours)
        for i, (title, hours) in enumerate(data.modules)
        if title.strip()
    )
    audit.record(actor=actor, action="training.create" if created else "training.edit", target=training)
    return training


@dataclass
class ParticipantInput:
    full_name: str
    sex: str
    institution: int | None = None
    institution_name: str = ""
    region_code: str = ""
    position: str = ""
    pre_score: Decimal | None = None
    post_score: Decimal | None = None
    attended: bool = True


def check_participant(data: ParticipantInput) -> tuple[Region | None, Institution | None]:
    errors: dict[str, list[str]] = {}
    if not data.full_name.strip():
        errors.setdefault("full_name", []).append(
            _("Give the participant's name (it goes on the certificate).")
        )
    if data.sex not in Participant.Sex.values:
        errors.setdefault("sex", []).append(_("Choose female or male."))
    for name in ("pre_score", "post_score"):
        value = getattr(data, name)
        if value is not None and not Decimal(0) <= value <= Decimal(100):
            errors.setdefault(name, []).append(_("A score is from 0 to 100."))
    region = None
    if data.region_code:
        region = Region.objects.filter(code=data.region_code.strip()).first()
        if region is None:
            errors.setdefault("region_code", []).append(_("This region code does not exist."))
    institution = Institution.objects.filter(pk=data.institution).first() if data.institution else None
    if institution is None and not data.institution_name.strip():
        errors.setdefault("institution", []).append(_("Choose the institution or write its name."))
    if errors:
        raise GovernanceInputError(errors)
    return region, institution


@transaction.atomic
def do_add_participant(*, actor: User, training: Training, data: ParticipantInput) -> Participant:
    """Add a participant, or update the one of the same name and institution (re-entering a list is safe)."""
    region, institution = check_participant(data)
    name = " ".join(data.full_name.split())[:200]
    participant = (
        training.participants.filter(full_name__iexact=name, institution=institution)
        .filter(institution_name__iexact=data.institution_name.strip())
        .first()
    )
    created = participant is None
    participant = participant or Participant(training=training)
    participant.full_name, participant.sex, participant.institution = name, data.sex, institution
    participant.institution_name = data.institution_name.strip()[:200]
    participant.region, participant.position = region, data.position.strip()[:200]
    participant.pre_score, participant.post_score, participant.attended = (
        data.pre_score,
        data.post_score,
        data.attended,
    )
    participant.save()
    _issue_certificate(training, participant)
    audit.record(
        actor=actor,
        action="training.participant",
        target=training,
        details={"participant": str(participant.public_id), "new": created},
    )
    return participant


def certificate_due(training: Training, participant: Participant) -> bool:
    """A certificate for those who attended and, where a post-test was scored, reached the pass mark."""
    if not participant.attended:
        return False
    return participant.post_score is None or participant.post_score >= training.pass_mark


def _issue_certificate(training: Training, participant: Participant) -> None:
    if certificate_due(training, participant):
        if not participant.certificate_number:
            participant.certificate_number = (
                f"PRS-{training.start_date:%Y}-{str(training.public_id)[:6].upper()}-{participant.pk:05d}"
            )
            participant.save(update_fields=["certificate_number"])
    elif participant.certificate_number:
        participant.certificate_number = ""
        participant.save(update_fields=["certificate_number"])


@transaction.atomic
def do_remove_participant(*, actor: User, participant: Participant) -> None:
    training = participant.training
    audit.record(
        actor=actor,
        action="training.participant_remove",
        target=training,
        details={"participant": str(participant.public_id)},
    )
    participant.delete()


# ---------------------------------------------------------------------------------------------------------
# Practices and local plan lines
# ---------------------------------------------------------------------------------------------------------


@dataclass
class PracticeInput:
    title: str
    summary: str
    topic: str
    source: str
    source_url: str = ""
    region_code: str = ""
    objectives: list[int] = field(default_factory=list)
    actions: list[int] = field(default_factory=list)
    indicators: list[int] = field(default_factory=list)


@transaction.atomic
def do_save_practice(*, actor: User, data: PracticeInput, practice: Practice | None = None) -> Practice:
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors.setdefault("title", []).append(_("Give the practice a title."))
    if not data.summary.strip():
        errors.setdefault("summary", []).append(_("Summarise the practice."))
    if not data.source.strip():
        errors.setdefault("source", []).append(_("Every practice needs its source."))
    if data.topic not in Practice.Topic.values:
        errors.setdefault("topic", []).append(_("Choose a topic."))
    region = None
    if data.region_code:
        region = Region.objects.filter(code=data.region_code.strip()).first()
        if region is None:
            errors.setdefault("region_code", []).append(_("This region code does not exist."))
    if errors:
        raise GovernanceInputError(errors)
    practice = practice or Practice(created_by=actor)
    created = practice.pk is None
    practice.title, practice.summary = data.title.strip()[:300], data.summary.strip()[:MAX_TEXT]
    practice.topic, practice.source = data.topic, data.source.strip()[:300]
    practice.source_url, practice.region = data.source_url.strip()[:500], region
    practice.save()
    practice.objectives.set(GcmObjective.objects.filter(number__in=data.objectives))
    practice.actions.set(PlanAction.objects.filter(pk__in=data.actions))
    practice.indicators.set(Indicator.objects.filter(pk__in=data.indicators))
    audit.record(actor=actor, action="practice.create" if created else "practice.edit", target=practice)
    return practice


@dataclass
class PlanLineInput:
    region_code: str
    year: int
    programme: str
    budget: Decimal
    objective: int
    activity: str = ""
    institution: int | None = None
    source_document: str = ""


@transaction.atomic
def do_save_plan_line(*, actor: User, data: PlanLineInput, line: PlanLine | None = None) -> PlanLine:
    errors: dict[str, list[str]] = {}
    region = Region.objects.filter(code=data.region_code.strip()).first()
    if region is None:
        errors.setdefault("region_code", []).append(_("This region code does not exist."))
    objective = GcmObjective.objects.filter(number=data.objective).first()
    if objective is None:
        errors.setdefault("objective", []).append(_("Choose one of the 23 GCM objectives."))
    if not 2000 <= data.year <= 2100:
        errors.setdefault("year", []).append(_("Give the budget year, e.g. 2026."))
    if not data.programme.strip():
        errors.setdefault("programme", []).append(_("Give the programme's name as in the plan."))
    if data.budget < 0:
        errors.setdefault("budget", []).append(_("This cannot be negative."))
    if errors:
        raise GovernanceInputError(errors)
    line = line or PlanLine(created_by=actor)
    created = line.pk is None
    line.region, line.objective = region, objective  # type: ignore[assignment]
    line.year, line.programme, line.activity = (
        data.year,
        data.programme.strip()[:300],
        data.activity.strip()[:300],
    )
    line.budget, line.source_document = data.budget, data.source_document.strip()[:300]
    line.institution = Institution.objects.filter(pk=data.institution).first() if data.institution else None
    line.save()
    audit.record(
        actor=actor,
        action="plan_line.create" if created else "plan_line.edit",
        target=line,
        details={"region": line.region_id, "year": line.year},
    )
    return line


# ---------------------------------------------------------------------------------------------------------
# Statistics releases
# ---------------------------------------------------------------------------------------------------------


def do_publish_statistics(*, actor: User | None = None) -> StatRelease:
    """Build and publish a release: read every connected source in one consistent snapshot, add up, protect
    (primary and secondary suppression), store. Dashboards switch to it when it is complete.

    Three steps, each atomic: the release row (so a failure is visible), the reading (one snapshot), the
    writing (all cells or none). Reading and protecting happen outside any write lock.
    """
    from .release import assemble, protect_assembly
    from .sources import source_types

    started = time.monotonic()
    release = StatRelease.objects.create(created_by=actor)
    try:
        statuses: dict[str, dict[str, Any]] = {}
        collected = []
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:  # one snapshot for every query (SQLite: a
                with connection.cursor() as cursor:  # read transaction already is one)
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            for source in source_types():
                with translation.override("en"):  # stored as the msgid; translated when shown
                    status = source.status()
                    statuses[source.code] = {"connected": status.connected, "message": str(status.message)}
                if not status.connected:
                    continue
                try:
                    with transaction.atomic():  # a savepoint: one failing source does not stop the others
                        tables = [(spec, list(source.rows(spec))) for spec in source.tables()]
                except Exception as exc:
                    logger.exception("statistics source %s failed", source.code)
                    statuses[source.code] = {
                        "connected": False,
                        "failed": True,
                        "message": gettext_noop(
                            "Reading this source failed (%(error)s); its figures are left out of this release."
                        ),
                        "params": {"error": type(exc).__name__},
                    }
                    continue
                collected.extend(tables)
        assembly = protect_assembly(assemble(collected))
        with transaction.atomic():
            StatCell.objects.bulk_create(
                (
                    StatCell(
                        release=release,
                        table=p.table,
                        geo=p.geo,
                        parent=p.parent,
                        level=p.level,
                        category=p.category,
                        n=assembly.published(p.key),
                        value=None if p.key in assembly.hidden else assembly.values.get(p.key),
                        hidden=p.key in assembly.hidden,
                    )
                    for p in assembly.placements
                ),
                batch_size=5000,
            )
            release.status = StatRelease.Status.PUBLISHED
            release.sources = statuses
            release.cells = len(assembly.placements)
            release.hidden = sum(1 for p in assembly.placements if p.key in assembly.hidden)
            release.seconds = round(time.monotonic() - started, 3)
            release.save()
            audit.record(
                actor=actor,
                action="statistics.publish",
                target=release,
                details={"cells": release.cells, "hidden": release.hidden, "sources": sorted(statuses)},
            )
            old = StatRelease.objects.filter(status=StatRelease.Status.PUBLISHED).order_by(
                "-created_at", "-pk"
            )
            stale = [r.pk for r in old[RELEASES_KEPT:]]
            if stale:
                StatCell.objects.filter(release_id__in=stale).delete()
                StatRelease.objects.filter(pk__in=stale).delete()
    except Exception as exc:
        release.status = StatRelease.Status.FAILED
        release.error = f"{type(exc).__name__}: {exc}"[:2000]
        release.seconds = round(time.monotonic() - started, 3)
        release.save(update_fields=["status", "error", "seconds"])
        audit.record(actor=actor, action="statistics.publish_failed", target=release)
        raise
    return release


def do_queue_statistics(*, actor: User) -> None:
    """Ask a worker to publish a new release once the current transaction commits."""
    from .tasks import publish_statistics

    audit.record(actor=actor, action="statistics.queue")
    transaction.on_commit(lambda: publish_statistics.enqueue(actor.pk))
