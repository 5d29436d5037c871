"""Pages: indicator frameworks, assessments (answers, evidence, workflow), profiles, comparisons."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from perisai.core import audit
from perisai.core.forms import add_action_errors as add_errors
from perisai.core.models import User
from perisai.core.permissions import request_user as _user
from perisai.core.permissions import requires
from perisai.core.roles import Cap

from . import actions, selectors
from .forms import (
    AnswersForm,
    AssessmentForm,
    CompareForm,
    EvidenceForm,
    FollowUpForm,
    IndicatorForm,
    TransitionForm,
)
from .models import Assessment, Evidence, Framework, Indicator

# ---- frameworks ----


@requires(Cap.STATS_VIEW)
def framework_list(request: HttpRequest) -> HttpResponse:
    return render(request, "governance/framework_list.html", {"frameworks": selectors.list_frameworks()})


@requires(Cap.STATS_VIEW)
def framework_detail(request: HttpRequest, code: str) -> HttpResponse:
    framework = selectors.get_framework(code)
    return render(
        request,
        "governance/framework_detail.html",
        {
            "framework": framework,
            "tree": selectors.framework_tree(framework),
            "examples": framework.indicators.filter(is_example=True).count(),
            "can_edit": _user(request).can(Cap.GOVERNANCE_EDIT) and not framework.locked,
        },
    )


@requires(Cap.GOVERNANCE_EDIT)
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, code: str, indicator_id: int | None = None) -> HttpResponse:
    framework = selectors.get_framework(code)
    indicator = None
    if indicator_id is not None:
        indicator = (
            Indicator.objects.filter(framework=framework, pk=indicator_id).select_related("domain").first()
        )
        if indicator is None:
            raise Http404
    if framework.locked:
        messages.error(request, _("This is an official questionnaire: its questions cannot be changed here."))
        return redirect("governance:framework_detail", code=framework.code)
    initial = IndicatorForm.initial_for(indicator) if indicator else {}
    form = IndicatorForm(request.POST or None, framework=framework, initial=initial)
    if request.method == "POST":
        if "delete" in request.POST and indicator is not None:
            try:
                actions.do_delete_indicator(actor=_user(request), indicator=indicator)
            except actions.GovernanceInputError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Indicator deleted."))
                return redirect("governance:framework_detail", code=framework.code)
        elif form.is_valid():
            try:
                actions.do_save_indicator(
                    actor=_user(request), framework=framework, data=form.to_input(), indicator=indicator
                )
            except actions.GovernanceInputError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Indicator saved."))
                return redirect("governance:framework_detail", code=framework.code)
    return render(
        request,
        "governance/indicator_form.html",
        {"framework": framework, "indicator": indicator, "form": form},
    )


# ---- assessments ----


@requires(Cap.STATS_VIEW)
def assessment_list(request: HttpRequest) -> HttpResponse:
    items = list(selectors.list_assessments())
    labels = selectors.place_labels({a.place_code for a in items})
    return render(
        request,
        "governance/assessment_list.html",
        {
            "assessments": [(a, labels[a.place_code]) for a in items],
            "compare_form": CompareForm(assessments=items, labels=labels),
            "can_edit": _user(request).can(Cap.GOVERNANCE_EDIT),
        },
    )


@requires(Cap.GOVERNANCE_EDIT)
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest) -> HttpResponse:
    form = AssessmentForm(request.POST or None, initial={"framework": request.GET.get("framework", "")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            assessment = actions.do_create_assessment(
                actor=_user(request),
                framework=selectors.get_framework(d["framework"]),
                place_code=d["place_code"],
                as_of=d["as_of"],
                title=d["title"],
                source=d["source"],
            )
        except actions.GovernanceInputError as error:
            add_errors(form, error)
        else:
            return redirect("governance:assessment_answers", public_id=assessment.public_id)
    return render(request, "governance/assessment_new.html", {"form": form})


@requires(Cap.STATS_VIEW)
def assessment_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    assessment = selectors.get_assessment(public_id)
    user = _user(request)
    return render(
        request,
        "governance/assessment_detail.html",
        {
            "a": assessment,
            "result": selectors.assessment_result(assessment),
            "place": selectors.place_label(assessment.place_code),
            "can_edit": user.can(Cap.GOVERNANCE_EDIT),
            "transition_form": TransitionForm(initial={"reviewer": assessment.reviewer_id}),
            "follow_up_form": FollowUpForm(),
            "history": selectors.assessment_history(assessment),
            "is_reviewer": assessment.reviewer_id == user.pk,
        },
    )


@requires(Cap.GOVERNANCE_EDIT)
@require_http_methods(["GET", "POST"])
def assessment_answers(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    assessment = selectors.get_assessment(public_id)
    if not assessment.editable:
        messages.error(
            request, _("An approved assessment cannot be changed. Start a follow-up assessment instead.")
        )
        return redirect("governance:assessment_detail", public_id=assessment.public_id)
    tree = selectors.framework_tree(assessment.framework)
    indicators = [i for _d, items in tree for i in items]
    existing = {a.indicator_id: a for a in assessment.answers.all()}
    form = AnswersForm(request.POST or None, indicators=indicators, initial_answers=existing)
    if request.method == "POST" and form.is_valid():
        try:
            changed = actions.do_save_answers(
                actor=_user(request), assessment=assessment, answers=form.to_inputs()
            )
        except actions.GovernanceInputError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Answers saved (%(n)d changed).") % {"n": len(changed)})
            return redirect("governance:assessment_detail", public_id=assessment.public_id)
    groups = form.groups()
    by_domain = [(d, [g for g in groups if g[0].domain_id == d.pk]) for d, _items in tree]
    return render(
        request,
        "governance/assessment_answers.html",
        {
            "a": assessment,
            "form": form,
            "by_domain": by_domain,
            "place": selectors.place_label(assessment.place_code),
        },
    )


@requires(Cap.GOVERNANCE_EDIT)
@require_http_methods(["GET", "POST"])
def assessment_evidence(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    assessment = selectors.get_assessment(public_id)
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        assessment=assessment,
        initial={"indicator": request.GET.get("indicator")},
    )
    if request.method == "POST" and form.is_valid():
        indicator = assessment.framework.indicators.filter(pk=form.cleaned_data["indicator"]).first()
        try:
            if indicator is None:
                raise actions.GovernanceInputError(
                    {"indicator": [_("Choose a question of this assessment.")]}
                )
            actions.do_add_evidence(
                actor=_user(request), assessment=assessment, indicator=indicator, data=form.to_input()
            )
        except actions.GovernanceInputError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Evidence added."))
            return redirect("governance:assessment_detail", public_id=assessment.public_id)
    return render(
        request,
        "governance/assessment_evidence.html",
        {"a": assessment, "form": form, "place": selectors.place_label(assessment.place_code)},
    )


@requires(Cap.STATS_VIEW)
def evidence_file(request: HttpRequest, evidence_id: int) -> HttpResponseBase:
    evidence = Evidence.objects.filter(pk=evidence_id).exclude(file="").first()
    if evidence is None:
        raise Http404
    audit.record(actor=_user(request), action="assessment.evidence_download", target=evidence)
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1]
    )


@requires(Cap.GOVERNANCE_EDIT)
@require_POST
def assessment_status(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    assessment = selectors.get_assessment(public_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This step is not possible from the assessment's current status."))
        return redirect("governance:assessment_detail", public_id=assessment.public_id)
    reviewer = (
        User.objects.filter(pk=form.cleaned_data["reviewer"]).first()
        if form.cleaned_data.get("reviewer")
        else None
    )
    try:
        actions.do_transition_assessment(
            actor=_user(request), assessment=assessment, to=form.cleaned_data["to"], reviewer=reviewer
        )
    except actions.GovernanceInputError as error:
        for problems in error.errors.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, _("Status changed."))
    return redirect("governance:assessment_detail", public_id=assessment.public_id)


@requires(Cap.GOVERNANCE_EDIT)
@require_POST
def assessment_follow_up(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    baseline = selectors.get_assessment(public_id)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            follow_up = actions.do_start_follow_up(
                actor=_user(request), baseline=baseline, as_of=form.cleaned_data["as_of"]
            )
        except actions.GovernanceInputError as error:
            for problems in error.errors.values():
                for problem in problems:
                    messages.error(request, problem)
        else:
            return redirect("governance:assessment_answers", public_id=follow_up.public_id)
    else:
        messages.error(request, _("Give the date of the follow-up."))
    return redirect("governance:assessment_detail", public_id=baseline.public_id)


@requires(Cap.STATS_VIEW)
def assessment_pdf(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    from .pdf import assessment_pdf as render_pdf

    assessment = selectors.get_assessment(public_id)
    data = render_pdf(selectors.assessment_result(assessment), selectors.place_label(assessment.place_code))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="assessment-{assessment.framework.code}-{assessment.place_code}-{assessment.as_of}.pdf"'
    )
    return response


@requires(Cap.STATS_VIEW)
def assessment_compare(request: HttpRequest) -> HttpResponse:
    items = list(selectors.list_assessments())
    labels = selectors.place_labels({a.place_code for a in items})
    form = CompareForm(request.GET or None, assessments=items, labels=labels)
    context: dict[str, Any] = {"form": form, "labels": labels}
    if form.is_valid():
        left = selectors.get_assessment(form.cleaned_data["left"])
        right = selectors.get_assessment(form.cleaned_data["right"])
        if left.framework_id != right.framework_id:
            form.add_error(None, _("Choose two assessments on the same framework."))
        else:
            context["comparison"] = selectors.compare_assessments(left, right)
            context["left_label"] = labels.get(left.place_code, left.place_code)
            context["right_label"] = labels.get(right.place_code, right.place_code)
    return render(request, "governance/assessment_compare.html", context)


urlpatterns: list[URLPattern] = [
    path("frameworks/", framework_list, name="framework_list"),
    path("frameworks/<slug:code>/", framework_detail, name="framework_detail"),
    path("frameworks/<slug:code>/indicators/new/", indicator_edit, name="indicator_new"),
    path("frameworks/<slug:code>/indicators/<int:indicator_id>/", indicator_edit, name="indicator_edit"),
    path("assessments/", assessment_list, name="assessment_list"),
    path("assessments/new/", assessment_new, name="assessment_new"),
    path("assessments/compare/", assessment_compare, name="assessment_compare"),
    path("assessments/<uuid:public_id>/", assessment_detail, name="assessment_detail"),
    path("assessments/<uuid:public_id>/answers/", assessment_answers, name="assessment_answers"),
    path("assessments/<uuid:public_id>/evidence/", assessment_evidence, name="assessment_evidence"),
    path("assessments/<uuid:public_id>/status/", assessment_status, name="assessment_status"),
    path("assessments/<uuid:public_id>/follow-up/", assessment_follow_up, name="assessment_follow_up"),
    path("assessments/<uuid:public_id>/profile.pdf", assessment_pdf, name="assessment_pdf"),
    path("evidence/<int:evidence_id>/file/", evidence_file, name="evidence_file"),
]

__all__ = ["Assessment", "Framework", "add_errors", "urlpatterns"]
