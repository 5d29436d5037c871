"""Forms of the governance pages. They parse; the actions validate the domain rules and write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from perisai.core.models import User
from perisai.core.roles import CAPABILITIES, Cap

from . import actions
from .models import (
    AnswerType,
    Assessment,
    Evidence,
    Framework,
    GcmObjective,
    Indicator,
    Institution,
    PlanAction,
    Practice,
    ProgressStatus,
    Training,
)
from .selectors import region_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ROWS3 = forms.Textarea(attrs={"rows": 3})


def objective_choices(blank: bool = True) -> list[tuple[Any, str]]:
    head: list[tuple[Any, str]] = [("", "—")] if blank else []
    return head + [(o.number, str(o)) for o in GcmObjective.objects.order_by("number")]


def institution_choices(blank: bool = True) -> list[tuple[Any, str]]:
    head: list[tuple[Any, str]] = [("", "—")] if blank else []
    return head + [
        (i.pk, f"{i.abbr} — {i.name}" if i.abbr else i.name)
        for i in Institution.objects.order_by("abbr", "name")
    ]


def reviewer_choices() -> list[tuple[Any, str]]:
    roles = [role for role, caps in CAPABILITIES.items() if Cap.GOVERNANCE_EDIT in caps]
    users = User.objects.filter(is_active=True, role__in=roles).order_by("username")
    return [("", "—")] + [(u.pk, str(u)) for u in users]


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    """A form's choice field, typed as one (its choices are set when the form is built)."""
    return cast(forms.ChoiceField, form.fields[name])


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# ---- assessments ----


class AssessmentForm(forms.Form):
    framework = forms.ChoiceField(label=_("Framework"), choices=())
    place_code = forms.ChoiceField(label=_("Place"), choices=())
    as_of = forms.DateField(label=_("Date of the assessment"), widget=DATE)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    source = forms.CharField(
        label=_("Source of the answers"),
        required=False,
        widget=ROWS3,
        help_text=_("Who answered, how (workshop, desk review) and when."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "framework").choices = [
            (f.code, str(f)) for f in Framework.objects.order_by("kind", "code")
        ]
        choice_field(self, "place_code").choices = region_choices()


def _answer_field(indicator: Indicator, label: str) -> forms.Field:
    help_text = indicator.tr("guidance")
    if indicator.answer_type == AnswerType.YES_NO:
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=[("yes", _("Yes")), ("no", _("No"))],
            widget=forms.RadioSelect,
            help_text=help_text,
        )
    if indicator.answer_type == AnswerType.YES_PARTIAL_NO:
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=[("yes", _("Yes")), ("partial", _("Partly")), ("no", _("No"))],
            widget=forms.RadioSelect,
            help_text=help_text,
        )
    if indicator.answer_type == AnswerType.CHOICE:
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=[("", "—")]
            + [(str(c["value"]), indicator.choice_label(str(c["value"]))) for c in indicator.choices],
            help_text=help_text,
        )
    if indicator.answer_type == AnswerType.NUMBER:
        return forms.DecimalField(
            label=label, required=False, max_digits=18, decimal_places=4, help_text=help_text
        )
    return forms.CharField(
        label=label, required=False, widget=ROWS3, help_text=help_text, max_length=actions.MAX_TEXT
    )


class AnswersForm(forms.Form):
    """All questions of an assessment on one page; each with a justification and a source."""

    def __init__(
        self, *args: Any, indicators: list[Indicator], initial_answers: dict[int, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            answer = initial_answers.get(indicator.pk)
            label = f"{indicator.code} {indicator.tr('question')}"
            field = _answer_field(indicator, label)
            self.fields[f"a_{indicator.pk}"] = field
            self.fields[f"c_{indicator.pk}"] = forms.CharField(
                label=_("Justification for %(code)s") % {"code": indicator.code},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=actions.MAX_TEXT,
            )
            self.fields[f"s_{indicator.pk}"] = forms.CharField(
                label=_("Source for %(code)s") % {"code": indicator.code}, required=False, max_length=300
            )
            if answer is not None and not self.is_bound:
                if indicator.answer_type == AnswerType.NUMBER:
                    self.initial[f"a_{indicator.pk}"] = answer.number
                elif indicator.answer_type == AnswerType.TEXT:
                    self.initial[f"a_{indicator.pk}"] = answer.text
                else:
                    self.initial[f"a_{indicator.pk}"] = answer.value
                self.initial[f"c_{indicator.pk}"] = answer.comment
                self.initial[f"s_{indicator.pk}"] = answer.source

    def groups(self) -> list[tuple[Indicator, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [(i, self[f"a_{i.pk}"], self[f"c_{i.pk}"], self[f"s_{i.pk}"]) for i in self.indicators]

    def to_inputs(self) -> dict[int, actions.AnswerInput]:
        out = {}
        for indicator in self.indicators:
            raw = self.cleaned_data.get(f"a_{indicator.pk}")
            data = actions.AnswerInput(
                comment=self.cleaned_data.get(f"c_{indicator.pk}") or "",
                source=self.cleaned_data.get(f"s_{indicator.pk}") or "",
            )
            if indicator.answer_type == AnswerType.NUMBER:
                data.number = raw
            elif indicator.answer_type == AnswerType.TEXT:
                data.text = raw or ""
            else:
                data.value = raw or ""
            out[indicator.pk] = data
        return out


class EvidenceForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Question"), choices=())
    kind = forms.ChoiceField(label=_("Kind of evidence"), choices=Evidence.Kind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        help_text=_("E.g. Law 18/2017 on the Protection of Indonesian Migrant Workers."),
    )
    citation = forms.CharField(label=_("Reference (article, number, page)"), max_length=300, required=False)
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("PDF, office document or image, at most 10 MB.")
    )

    def __init__(self, *args: Any, assessment: Assessment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "indicator").choices = [
            (i.pk, f"{i.code} {i.tr('question')[:80]}")
            for i in assessment.framework.indicators.order_by("domain__order", "order")
        ]

    def to_input(self) -> actions.EvidenceInput:
        d = self.cleaned_data
        return actions.EvidenceInput(
            kind=d["kind"], title=d["title"], citation=d["citation"], url=d["url"], file=d.get("file")
        )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Assessment.Status.choices, widget=forms.HiddenInput)
    reviewer = forms.ChoiceField(label=_("Reviewer"), choices=(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "reviewer").choices = reviewer_choices()


class FollowUpForm(forms.Form):
    as_of = forms.DateField(label=_("Date of the follow-up"), widget=DATE)


class CompareForm(forms.Form):
    left = forms.ChoiceField(label=_("First assessment"), choices=())
    right = forms.ChoiceField(label=_("Second assessment"), choices=())

    def __init__(
        self, *args: Any, assessments: list[Assessment], labels: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (
                str(a.public_id),
                f"{labels.get(a.place_code, a.place_code)} · {a.as_of:%Y-%m-%d} · {a.framework.code}",
            )
            for a in assessments
        ]
        choice_field(self, "left").choices = choices
        choice_field(self, "right").choices = choices


class IndicatorForm(forms.Form):
    domain_code = forms.ChoiceField(label=_("Domain"), choices=())
    code = forms.CharField(label=_("Code"), max_length=20)
    question_en = forms.CharField(label=_("Question (English)"), widget=ROWS3, required=False)
    question_id = forms.CharField(label=_("Question (Indonesian)"), widget=ROWS3, required=False)
    answer_type = forms.ChoiceField(label=_("Answer type"), choices=AnswerType.choices)
    choices_text = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=ROWS3,
        help_text=_("For a choice: one per line, value | English label | Indonesian label | points."),
    )
    thresholds_text = forms.CharField(
        label=_("Number thresholds"),
        required=False,
        widget=ROWS3,
        help_text=_("For a number: one per line, minimum | points. Leave empty for no score."),
    )
    guidance_en = forms.CharField(label=_("Guidance (English)"), widget=ROWS3, required=False)
    guidance_id = forms.CharField(label=_("Guidance (Indonesian)"), widget=ROWS3, required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "domain_code").choices = [
            (d.code, f"{d.code}. {d.tr('name')}") for d in framework.domains.order_by("order")
        ]

    def clean_choices_text(self) -> list[dict[str, Any]]:
        out = []
        for line in _lines(self.cleaned_data.get("choices_text", "")):
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 2:
                raise forms.ValidationError(
                    _("Write each choice as value | English label | Indonesian label | points.")
                )
            points = parts[3] if len(parts) > 3 and parts[3] else None
            try:
                pts = float(points) if points is not None else None
            except ValueError as exc:
                raise forms.ValidationError(_("Points must be a number.")) from exc
            out.append(
                {
                    "value": parts[0],
                    "label_en": parts[1],
                    "label_id": parts[2] if len(parts) > 2 else "",
                    "points": pts,
                }
            )
        return out

    def clean_thresholds_text(self) -> list[dict[str, float]]:
        out = []
        for line in _lines(self.cleaned_data.get("thresholds_text", "")):
            parts = [p.strip() for p in line.split("|")]
            try:
                out.append({"min": float(parts[0]), "points": float(parts[1])})
            except (ValueError, IndexError) as exc:
                raise forms.ValidationError(_("Write each threshold as minimum | points.")) from exc
        return out

    def to_input(self) -> actions.IndicatorInput:
        d = self.cleaned_data
        scoring: dict[str, Any] = {}
        if d["answer_type"] == AnswerType.NUMBER and d["thresholds_text"]:
            scoring = {"thresholds": d["thresholds_text"]}
        return actions.IndicatorInput(
            domain_code=d["domain_code"],
            code=d["code"],
            question_en=d["question_en"],
            question_id=d["question_id"],
            answer_type=d["answer_type"],
            guidance_en=d["guidance_en"],
            guidance_id=d["guidance_id"],
            choices=d["choices_text"] if d["answer_type"] == AnswerType.CHOICE else [],
            scoring=scoring,
            order=d.get("order") or 0,
        )

    @staticmethod
    def initial_for(indicator: Indicator) -> dict[str, Any]:
        return {
            "domain_code": indicator.domain.code,
            "code": indicator.code,
            "question_en": indicator.question_en,
            "question_id": indicator.question_id,
            "answer_type": indicator.answer_type,
            "choices_text": "\n".join(
                f"{c.get('value')} | {c.get('label_en', '')} | {c.get('label_id', '')} | {c.get('points', '')}"
                for c in indicator.choices
            ),
            "thresholds_text": "\n".join(
                f"{t['min']} | {t['points']}" for t in indicator.scoring.get("thresholds", [])
            ),
            "guidance_en": indicator.guidance_en,
            "guidance_id": indicator.guidance_id,
            "order": indicator.order,
        }


# ---- the action plan ----


class InstitutionForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40, help_text=_("Short and stable, e.g. bp3mi-jatim."))
    abbr = forms.CharField(label=_("Abbreviation"), max_length=30, required=False)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Institution.Kind.choices)
    region_code = forms.ChoiceField(label=_("Region (for a local government)"), choices=(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "region_code").choices = [("", "—"), *region_choices(include_nation=False)]

    def to_input(self) -> actions.InstitutionInput:
        d = self.cleaned_data
        return actions.InstitutionInput(
            code=d["code"], name=d["name"], abbr=d["abbr"], kind=d["kind"], region_code=d["region_code"]
        )


class ActionForm(forms.Form):
    objective = forms.TypedChoiceField(label=_("GCM objective"), choices=(), coerce=int)
    code = forms.CharField(label=_("Code"), max_length=20, required=False)
    title = forms.CharField(label=_("Action"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=ROWS3, required=False)
    lead = forms.TypedChoiceField(label=_("Lead institution"), choices=(), coerce=int)
    supporting = forms.TypedMultipleChoiceField(
        label=_("Supporting institutions"),
        choices=(),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicator = forms.CharField(
        label=_("Indicator"),
        max_length=300,
        required=False,
        help_text=_("What is measured, e.g. number of village officials trained."),
    )
    metric = forms.ChoiceField(label=_("How progress is measured"), choices=PlanAction.Metric.choices)
    target = forms.DecimalField(
        label=_("Target"), required=False, max_digits=14, decimal_places=2, min_value=0
    )
    unit = forms.CharField(label=_("Unit"), max_length=60, required=False)
    budget = forms.DecimalField(
        label=_("Budget (IDR)"), required=False, max_digits=18, decimal_places=0, min_value=0
    )
    budget_source = forms.CharField(label=_("Source of funds"), max_length=200, required=False)
    start = forms.DateField(label=_("Start"), required=False, widget=DATE)
    end = forms.DateField(label=_("End"), required=False, widget=DATE)
    mgi_indicators = forms.TypedMultipleChoiceField(
        label=_("MGI indicators addressed"),
        choices=(),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "objective").choices = objective_choices()
        choice_field(self, "lead").choices = institution_choices()
        choice_field(self, "supporting").choices = institution_choices(blank=False)
        choice_field(self, "mgi_indicators").choices = [
            (i.pk, f"{i.code} {i.tr('question')[:90]}")
            for i in Indicator.objects.filter(framework__kind=Framework.Kind.MGI).order_by(
                "domain__order", "order"
            )
        ]

    def to_input(self) -> actions.ActionInput:
        d = self.cleaned_data
        return actions.ActionInput(
            objective=d["objective"],
            title=d["title"],
            lead=d["lead"],
            code=d["code"],
            description=d["description"],
            supporting=d["supporting"],
            indicator=d["indicator"],
            metric=d["metric"],
            target=d["target"],
            unit=d["unit"],
            budget=d["budget"],
            budget_source=d["budget_source"],
            start=d["start"],
            end=d["end"],
            mgi_indicators=d["mgi_indicators"],
        )

    @staticmethod
    def initial_for(action: PlanAction) -> dict[str, Any]:
        return {
            "objective": action.objective.number,
            "code": action.code,
            "title": action.title,
            "description": action.description,
            "lead": action.lead_id,
            "supporting": [i.pk for i in action.supporting.all()],
            "indicator": action.indicator,
            "metric": action.metric,
            "target": action.target,
            "unit": action.unit,
            "budget": action.budget,
            "budget_source": action.budget_source,
            "start": action.start,
            "end": action.end,
            "mgi_indicators": [i.pk for i in action.mgi_indicators.all()],
        }


class ProgressForm(forms.Form):
    period = forms.CharField(
        label=_("Period"), max_length=8, help_text=_("A year, half-year or quarter: 2026, 2026-S1, 2026-Q3.")
    )
    status = forms.ChoiceField(label=_("Status"), choices=ProgressStatus.choices)
    value = forms.DecimalField(
        label=_("Achieved so far"), required=False, max_digits=14, decimal_places=2, min_value=0
    )
    spent = forms.DecimalField(
        label=_("Spent so far (IDR)"), required=False, max_digits=18, decimal_places=0, min_value=0
    )
    narrative = forms.CharField(label=_("What was done"), widget=ROWS3, required=False)
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=ROWS3,
        required=False,
        help_text=_("Documents, links or laws, one per line."),
    )

    def to_input(self) -> actions.ProgressInput:
        d = self.cleaned_data
        return actions.ProgressInput(
            period=d["period"],
            status=d["status"],
            value=d["value"],
            spent=d["spent"],
            narrative=d["narrative"],
            evidence=d["evidence"],
        )


# ---- trainings ----


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Training.Kind.choices)
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    curriculum = forms.CharField(label=_("Curriculum"), widget=ROWS3, required=False)
    modules = forms.CharField(
        label=_("Modules"), widget=ROWS3, required=False, help_text=_("One per line: title | hours.")
    )
    mode = forms.ChoiceField(label=_("Where"), choices=Training.Mode.choices)
    region_code = forms.ChoiceField(label=_("Region"), choices=(), required=False)
    venue = forms.CharField(label=_("Venue or platform"), max_length=200, required=False)
    start_date = forms.DateField(label=_("First day"), widget=DATE)
    end_date = forms.DateField(label=_("Last day"), widget=DATE)
    organiser = forms.TypedChoiceField(
        label=_("Organiser"), choices=(), coerce=int, required=False, empty_value=None
    )
    facilitators = forms.CharField(
        label=_("Facilitators"), widget=ROWS3, required=False, help_text=_("One per line.")
    )
    action = forms.ChoiceField(label=_("Action-plan action it serves"), choices=(), required=False)
    pass_mark = forms.DecimalField(
        label=_("Pass mark (post-test)"),
        max_digits=5,
        decimal_places=2,
        initial=60,
        min_value=0,
        max_value=100,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "region_code").choices = [("", "—"), *region_choices(include_nation=False)]
        choice_field(self, "organiser").choices = institution_choices()
        choice_field(self, "action").choices = [("", "—")] + [
            (str(a.public_id), f"{a.objective.number}. {a.code} {a.title}"[:120])
            for a in PlanAction.objects.select_related("objective").order_by("objective__number", "code")
        ]

    def clean_modules(self) -> list[tuple[str, Decimal | None]]:
        out: list[tuple[str, Decimal | None]] = []
        for line in _lines(self.cleaned_data.get("modules", "")):
            title, _sep, hours = line.partition("|")
            try:
                out.append((title.strip(), Decimal(hours.strip()) if hours.strip() else None))
            except ArithmeticError as exc:
                raise forms.ValidationError(_("Write each module as title | hours.")) from exc
        return out

    def to_input(self) -> actions.TrainingInput:
        d = self.cleaned_data
        return actions.TrainingInput(
            title=d["title"],
            start_date=d["start_date"],
            end_date=d["end_date"],
            kind=d["kind"],
            mode=d["mode"],
            topic=d["topic"],
            curriculum=d["curriculum"],
            modules=d["modules"],
            region_code=d["region_code"],
            venue=d["venue"],
            organiser=d["organiser"],
            facilitators=d["facilitators"],
            action=d["action"],
            pass_mark=d["pass_mark"],
        )

    @staticmethod
    def initial_for(training: Training) -> dict[str, Any]:
        return {
            "title": training.title,
            "kind": training.kind,
            "topic": training.topic,
            "curriculum": training.curriculum,
            "modules": "\n".join(f"{m.title} | {m.hours or ''}" for m in training.modules.all()),
            "mode": training.mode,
            "region_code": training.region_id or "",
            "venue": training.venue,
            "start_date": training.start_date,
            "end_date": training.end_date,
            "organiser": training.organiser_id,
            "facilitators": training.facilitators,
            "action": str(training.action.public_id) if training.action else "",
            "pass_mark": training.pass_mark,
        }


class ParticipantForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), ("F", _("Female")), ("M", _("Male"))])
    institution = forms.TypedChoiceField(
        label=_("Institution"), choices=(), coerce=int, required=False, empty_value=None
    )
    institution_name = forms.CharField(label=_("Institution (if not listed)"), max_length=200, required=False)
    region_code = forms.ChoiceField(label=_("Region"), choices=(), required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    pre_score = forms.DecimalField(
        label=_("Pre-test score"), required=False, max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    post_score = forms.DecimalField(
        label=_("Post-test score"), required=False, max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    attended = forms.BooleanField(label=_("Attended"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "institution").choices = institution_choices()
        choice_field(self, "region_code").choices = [("", "—"), *region_choices(include_nation=False)]

    def to_input(self) -> actions.ParticipantInput:
        d = self.cleaned_data
        return actions.ParticipantInput(
            full_name=d["full_name"],
            sex=d["sex"],
            institution=d["institution"],
            institution_name=d["institution_name"],
            region_code=d["region_code"],
            position=d["position"],
            pre_score=d["pre_score"],
            post_score=d["post_score"],
            attended=d["attended"],
        )


class ParticipantImportForm(forms.Form):
    file = forms.FileField(
        label=_("Participant list (CSV)"),
        help_text=_(
            "Columns: full_name, sex (F/M), institution, region_code, position, pre_score, post_score, attended (yes/no)."
        ),
    )


# ---- practices and local plans ----


class PracticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5}))
    topic = forms.ChoiceField(label=_("Topic"), choices=Practice.Topic.choices)
    region_code = forms.ChoiceField(label=_("Region"), choices=(), required=False)
    objectives = forms.TypedMultipleChoiceField(
        label=_("GCM objectives"), choices=(), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    source = forms.CharField(label=_("Source"), max_length=300, help_text=_("Document, publisher and year."))
    source_url = forms.URLField(label=_("Source link"), required=False, max_length=500, assume_scheme="https")
    linked_actions = forms.TypedMultipleChoiceField(
        label=_("Actions it supports"),
        choices=(),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicators = forms.TypedMultipleChoiceField(
        label=_("Indicators it supports"), choices=(), coerce=int, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "region_code").choices = [("", "—"), *region_choices(include_nation=False)]
        choice_field(self, "objectives").choices = objective_choices(blank=False)
        choice_field(self, "linked_actions").choices = [
            (a.pk, f"{a.objective.number}. {a.code} {a.title}"[:120])
            for a in PlanAction.objects.select_related("objective")
        ]
        choice_field(self, "indicators").choices = [
            (i.pk, f"{i.framework.code} {i.code} {i.tr('question')[:80]}")
            for i in Indicator.objects.select_related("framework").order_by(
                "framework__code", "domain__order", "order"
            )
        ]

    def to_input(self) -> actions.PracticeInput:
        d = self.cleaned_data
        return actions.PracticeInput(
            title=d["title"],
            summary=d["summary"],
            topic=d["topic"],
            source=d["source"],
            source_url=d["source_url"],
            region_code=d["region_code"],
            objectives=d["objectives"],
            actions=d["linked_actions"],
            indicators=d["indicators"],
        )


class PracticeSearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    topic = forms.ChoiceField(label=_("Topic"), choices=(), required=False)
    region = forms.ChoiceField(label=_("Region"), choices=(), required=False)
    objective = forms.TypedChoiceField(
        label=_("GCM objective"), choices=(), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "topic").choices = [("", _("All topics")), *Practice.Topic.choices]
        choice_field(self, "region").choices = [("", _("All regions")), *region_choices(include_nation=False)]
        choice_field(self, "objective").choices = objective_choices()


class PlanLineForm(forms.Form):
    year = forms.IntegerField(label=_("Budget year"), min_value=2000, max_value=2100)
    programme = forms.CharField(label=_("Programme"), max_length=300)
    activity = forms.CharField(label=_("Activity"), max_length=300, required=False)
    institution = forms.TypedChoiceField(
        label=_("Responsible institution"), choices=(), coerce=int, required=False, empty_value=None
    )
    budget = forms.DecimalField(label=_("Budget (IDR)"), max_digits=18, decimal_places=0, min_value=0)
    objective = forms.TypedChoiceField(label=_("GCM objective"), choices=(), coerce=int)
    source_document = forms.CharField(
        label=_("Source document"),
        max_length=300,
        required=False,
        help_text=_("E.g. RKPD 2026, APBDes 2026."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "institution").choices = institution_choices()
        choice_field(self, "objective").choices = objective_choices()

    def to_input(self, region_code: str) -> actions.PlanLineInput:
        d = self.cleaned_data
        return actions.PlanLineInput(
            region_code=region_code,
            year=d["year"],
            programme=d["programme"],
            budget=d["budget"],
            objective=d["objective"],
            activity=d["activity"],
            institution=d["institution"],
            source_document=d["source_document"],
        )
