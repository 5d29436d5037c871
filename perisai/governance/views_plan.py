"""Pages: the GCM national action plan (objectives, actions, progress, institutions)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from perisai.core.permissions import request_user as _user
from perisai.core.permissions import requires
from perisai.core.roles import Cap

from . import actions, selectors
from .forms import ActionForm, InstitutionForm, ProgressForm
from .models import GcmObjective, Institution
from .views_assessments import add_errors


@requires(Cap.STATS_VIEW)
def plan_dashboard(request: HttpRequest) -> HttpResponse:
    by_objective, by_institution = selectors.plan_dashboard()
    return render(
        request,
        "governance/plan_dashboard.html",
        {"by_objective": by_objective, "by_institution": by_institution},
    )


@requires(Cap.STATS_VIEW)
def plan_objective(request: HttpRequest, number: int) -> HttpResponse:
    objective = GcmObjective.objects.filter(number=number).first()
    if objective is None:
        raise Http404
    progress = [selectors.action_progress(a) for a in selectors.list_actions(objective=number)]
    return render(
        request,
        "governance/plan_objective.html",
        {"objective": objective, "progress": progress, "practices": objective.practices.order_by("title")},
    )


@requires(Cap.GOVERNANCE_EDIT)
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, public_id: uuid.UUID | None = None) -> HttpResponse:
    action = selectors.get_action(public_id) if public_id else None
    initial = ActionForm.initial_for(action) if action else {"objective": request.GET.get("objective")}
    form = ActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            action = actions.do_save_action(actor=_user(request), data=form.to_input(), action=action)
        except actions.GovernanceInputError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Action saved."))
            return redirect("governance:action_detail", public_id=action.public_id)
    return render(request, "governance/action_form.html", {"form": form, "action": action})


@requires(Cap.STATS_VIEW)
def action_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    action = selectors.get_action(public_id)
    return render(
        request,
        "governance/action_detail.html",
        {
            "action": action,
            "p": selectors.action_progress(action),
            "form": ProgressForm(),
            "can_edit": _user(request).can(Cap.GOVERNANCE_EDIT),
            "mgi": action.mgi_indicators.select_related("framework").order_by("code"),
            "practices": action.practices.order_by("title"),
        },
    )


@requires(Cap.GOVERNANCE_EDIT)
@require_POST
def action_progress(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    action = selectors.get_action(public_id)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            actions.do_record_progress(actor=_user(request), action=action, data=form.to_input())
        except actions.GovernanceInputError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Progress recorded."))
            return redirect("governance:action_detail", public_id=action.public_id)
    return render(
        request,
        "governance/action_detail.html",
        {
            "action": action,
            "p": selectors.action_progress(action),
            "form": form,
            "can_edit": True,
            "mgi": action.mgi_indicators.select_related("framework").order_by("code"),
            "practices": action.practices.order_by("title"),
        },
        status=200,
    )


@requires(Cap.STATS_VIEW)
@require_http_methods(["GET", "POST"])
def institutions(request: HttpRequest) -> HttpResponse:
    can_edit = _user(request).can(Cap.GOVERNANCE_EDIT)
    form = InstitutionForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if form.is_valid():
            try:
                actions.do_save_institution(actor=_user(request), data=form.to_input())
            except actions.GovernanceInputError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Institution added."))
                return redirect("governance:institutions")
    return render(
        request,
        "governance/institutions.html",
        {
            "institutions": Institution.objects.select_related("region").order_by("kind", "abbr", "name"),
            "form": form,
            "can_edit": can_edit,
        },
    )


urlpatterns: list[URLPattern] = [
    path("plan/", plan_dashboard, name="plan_dashboard"),
    path("plan/objectives/<int:number>/", plan_objective, name="plan_objective"),
    path("plan/actions/new/", action_edit, name="action_new"),
    path("plan/actions/<uuid:public_id>/", action_detail, name="action_detail"),
    path("plan/actions/<uuid:public_id>/edit/", action_edit, name="action_edit"),
    path("plan/actions/<uuid:public_id>/progress/", action_progress, name="action_progress"),
    path("plan/institutions/", institutions, name="institutions"),
]
