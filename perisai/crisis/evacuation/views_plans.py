"""Pages of preparedness: contingency plans (draft, versions, PDF, readiness) and drills. Each view parses
input, calls one action or selector, and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from perisai.core.forms import add_action_errors as add_errors
from perisai.core.permissions import request_user as _user
from perisai.core.permissions import requires
from perisai.core.roles import Cap

from . import actions, selectors
from .forms import AlertForm, LevelForm, PlanEditForm, PlanForm, PublishForm, section_form
from .models import ContingencyPlan, Scenario
from .pdf import FONT_NAME, plan_pdf
from .readiness import call_tree, check_readiness
from .sections import BY_KEY, SECTIONS, display_value, field_label, plan_content


def _language(request: HttpRequest) -> str:
    lang = request.GET.get("lang", "")
    return lang if lang in ("id", "en") else (request.LANGUAGE_CODE or "id")[:2]


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Perisai-Font"] = FONT_NAME
    return response


@requires(Cap.CRISIS_VIEW)
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "evacuation/home.html",
        {
            "plans": selectors.list_plans_visible_to(user=user).order_by("mission__name", "scenario"),
            "operations": selectors.list_operations_visible_to(user=user)[:50],
            "can_manage": user.can(Cap.CRISIS_MANAGE),
        },
    )


@requires(Cap.CRISIS_MANAGE)
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    missions = {str(m.pk): m for m in selectors.missions_for(user=user)}
    form = PlanForm(request.POST or None, missions=[(k, m.name) for k, m in missions.items()])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = actions.do_create_plan(
                actor=user,
                mission=missions[data["mission"]],
                scenario=data["scenario"],
                title=data["title"],
                assumptions=data["assumptions"],
                max_distance_km=data["max_distance_km"],
            )
        except actions.EvacuationInputError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("Plan created. Add its zones, wardens, sites and transport, then publish it.")
            )
            return redirect("evacuation:plan_detail", plan_id=plan.public_id)
    return render(request, "evacuation/plan_form.html", {"form": form})


@requires(Cap.CRISIS_VIEW)
def plan_detail(request: HttpRequest, plan_id: str) -> HttpResponse:
    user = _user(request)
    plan = selectors.access_plan_by_id(user=user, public_id=plan_id)
    content = plan_content(plan)
    sections = []
    for section in SECTIONS:
        rows = []
        for item in content[section.key]:
            cells = [display_value(section, name, item.get(name), content) for name in section.fields]
            rows.append({"id": item["id"], "cells": cells, "checked_on": item["checked_on"]})
        headers = [field_label(section, n) for n in section.fields]
        sections.append({"key": section.key, "label": section.label, "headers": headers, "rows": rows})
    return render(
        request,
        "evacuation/plan_detail.html",
        {
            "plan": plan,
            "sections": sections,
            "checks": selectors.plan_readiness(plan=plan, content=content),
            "versions": plan.versions.select_related("published_by"),
            "drills": selectors.list_drills(plan=plan),
            "call_tree": call_tree(content["roles"]),
            "can_manage": user.can(Cap.CRISIS_MANAGE),
            "publish_form": PublishForm(),
        },
    )


@requires(Cap.CRISIS_MANAGE)
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, plan_id: str) -> HttpResponse:
    user = _user(request)
    plan = selectors.access_plan_by_id(user=user, public_id=plan_id)
    form = PlanEditForm(
        request.POST or None,
        initial={
            "title": plan.title,
            "assumptions": plan.assumptions,
            "max_distance_km": plan.max_distance_km,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_plan(plan=plan, actor=user, **form.cleaned_data)
        except actions.EvacuationInputError as exc:
            add_errors(form, exc)
        else:
            return redirect("evacuation:plan_detail", plan_id=plan.public_id)
    return render(request, "evacuation/plan_form.html", {"form": form, "plan": plan})


def _section(key: str) -> Any:
    section = BY_KEY.get(key)
    if section is None:
        raise Http404
    return section


@requires(Cap.CRISIS_MANAGE)
@require_http_methods(["GET", "POST"])
def plan_item_add(request: HttpRequest, plan_id: str, section: str) -> HttpResponse:
    return _item_form(request, plan_id, section, None)


@requires(Cap.CRISIS_MANAGE)
@require_http_methods(["GET", "POST"])
def plan_item_edit(request: HttpRequest, plan_id: str, section: str, item_id: int) -> HttpResponse:
    return _item_form(request, plan_id, section, item_id)


def _item_form(request: HttpRequest, plan_id: str, section_key: str, item_id: int | None) -> HttpResponse:
    user = _user(request)
    plan = selectors.access_plan_by_id(user=user, public_id=plan_id)
    section = _section(section_key)
    item = None
    if item_id is not None:
        item = section.items(plan).filter(pk=item_id).first()
        if item is None:
            raise Http404
    form = section_form(section, plan, request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data.get(name) for name in section.fields}
        try:
            actions.do_save_plan_item(
                plan=plan, section_key=section.key, item=item, values=values, actor=user
            )
        except actions.EvacuationInputError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            if "add_another" in request.POST:
                return redirect("evacuation:plan_item_add", plan_id=plan.public_id, section=section.key)
            return redirect(
                reverse("evacuation:plan_detail", kwargs={"plan_id": plan.public_id}) + f"#{section.key}"
            )
    return render(
        request,
        "evacuation/plan_item_form.html",
        {"form": form, "plan": plan, "section": section, "item": item},
    )


@requires(Cap.CRISIS_MANAGE)
@require_POST
def plan_item_delete(request: HttpRequest, plan_id: str, section: str, item_id: int) -> HttpResponse:
    user = _user(request)
    plan = selectors.access_plan_by_id(user=user, public_id=plan_id)
    sec = _section(section)
    item = sec.items(plan).filter(pk=item_id).first()
    if item is None:
        raise Http404
    actions.do_delete_plan_item(plan=plan, section_key=sec.key, item=item, actor=user)
    messages.success(request, _("Removed."))
    return redirect(reverse("evacuation:plan_detail", kwargs={"plan_id": plan.public_id}) + f"#{sec.key}")


@requires(Cap.CRISIS_MANAGE)
@require_POST
def plan_publish(request: HttpRequest, plan_id: str) -> HttpResponse:
    user = _user(request)
    plan = selectors.access_plan_by_id(user=user, public_id=plan_id)
    form = PublishForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        version = actions.do_publish_plan(plan=plan, actor=user, note=note)
    except actions.EvacuationInputError as exc:
        for problems in exc.errors.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, _("Version %(n)d published.") % {"n": version.number})
    return redirect("evacuation:plan_detail", plan_id=plan.public_id)


@requires(Cap.CRISIS_VIEW)
def plan_version(request: HttpRequest, plan_id: str, number: int) -> HttpResponse:
    plan = selectors.access_plan_by_id(user=_user(request), public_id=plan_id)
    version = selectors.access_version(plan=plan, number=number)
    content = version.content
    sections = []
    for section in SECTIONS:
        rows = [
            [display_value(section, name, item.get(name), content) for name in section.fields]
            for item in content.get(section.key, [])
        ]
        headers = [field_label(section, n) for n in section.fields]
        sections.append({"key": section.key, "label": section.label, "headers": headers, "rows": rows})
    return render(
        request,
        "evacuation/plan_version.html",
        {
            "plan": plan,
            "version": version,
            "sections": sections,
            "scenario": dict(Scenario.choices).get(content["plan"]["scenario"], ""),
            "assumptions": content["plan"].get("assumptions", ""),
        },
    )


@requires(Cap.CRISIS_VIEW)
def plan_version_pdf(request: HttpRequest, plan_id: str, number: int) -> HttpResponse:
    user = _user(request)
    plan = selectors.access_plan_by_id(user=user, public_id=plan_id)
    version = selectors.access_version(plan=plan, number=number)
    from django.utils import timezone

    checks = check_readiness(version.content, today=timezone.localdate(), published_at=version.published_at)
    language = _language(request)
    data = plan_pdf(
        version.content,
        version=version.number,
        published_at=version.published_at,
        checks=checks,
        language=language,
    )
    return pdf_response(data, f"contingency-plan-{plan.scenario}-v{version.number}-{language}.pdf")


@requires(Cap.CRISIS_VIEW)
def plan_draft_pdf(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = selectors.access_plan_by_id(user=_user(request), public_id=plan_id)
    content = plan_content(plan)
    language = _language(request)
    data = plan_pdf(
        content,
        version=None,
        published_at=None,
        checks=selectors.plan_readiness(plan=plan, content=content),
        language=language,
    )
    return pdf_response(data, f"contingency-plan-{plan.scenario}-draft-{language}.pdf")


# ---- drills ----------------------------------------------------------------------------------------


@requires(Cap.CRISIS_MANAGE)
@require_POST
def drill_start(request: HttpRequest, plan_id: str) -> HttpResponse:
    user = _user(request)
    plan: ContingencyPlan = selectors.access_plan_by_id(user=user, public_id=plan_id)
    try:
        drill = actions.do_start_drill(plan=plan, actor=user)
    except actions.EvacuationInputError as exc:
        for problems in exc.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return redirect("evacuation:plan_detail", plan_id=plan.public_id)
    messages.success(
        request, _("Exercise started. Messages are marked as an exercise; no real case is opened.")
    )
    return redirect("evacuation:drill_detail", drill_id=drill.public_id)


def _exercise_alert(mission: str) -> dict[str, str]:
    from django.utils.translation import override

    bodies = {}
    for language in ("id", "en"):
        with override(language):
            bodies[f"body_{language}"] = _(
                "EXERCISE. This is a drill of %(mission)s. Reply SAFE if you are safe, HELP if you need help."
            ) % {"mission": mission}
    return bodies


def _drill_context(request: HttpRequest, drill: Any, **forms: Any) -> dict[str, Any]:
    from perisai.crisis.models import Alert

    user = _user(request)
    crisis = drill.crisis
    areas = list(crisis.areas.order_by("level", "name"))
    triggers = {t["level"]: t for t in drill.plan_version.content.get("triggers", [])}
    top = min((a.level for a in areas), default=3)
    return {
        "drill": drill,
        "crisis": crisis,
        "areas": areas,
        "trigger": triggers.get(top),
        "alerts": list(
            Alert.objects.filter(crisis=crisis)
            .select_related("drafted_by", "approved_by")
            .order_by("-drafted_at")
        ),
        "roster": crisis.roster.count(),
        "accounted": crisis.roster.exclude(first_accounted_at=None).count(),
        "steps": selectors.drill_steps(drill=drill),
        "can_approve": user.can(Cap.ALERT_APPROVE),
        "level_form": forms.get("level_form") or LevelForm(areas=[(str(a.public_id), a.name) for a in areas]),
        "alert_form": forms.get("alert_form") or AlertForm(initial=_exercise_alert(drill.plan.mission.name)),
    }


@requires(Cap.CRISIS_VIEW)
def drill_detail(request: HttpRequest, drill_id: str) -> HttpResponse:
    drill = selectors.access_drill_by_id(user=_user(request), public_id=drill_id)
    return render(request, "evacuation/drill.html", _drill_context(request, drill))


@requires(Cap.CRISIS_MANAGE)
@require_POST
def drill_level(request: HttpRequest, drill_id: str) -> HttpResponse:
    from perisai.crisis.actions import CrisisInputError, do_set_area_level

    user = _user(request)
    drill = selectors.access_drill_by_id(user=user, public_id=drill_id)
    areas = {str(a.public_id): a for a in drill.crisis.areas.all()}
    form = LevelForm(request.POST, areas=[(k, a.name) for k, a in areas.items()])
    if form.is_valid():
        try:
            do_set_area_level(
                area=areas[form.cleaned_data["area"]],
                actor=user,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
            )
        except CrisisInputError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Siaga level changed."))
            return redirect("evacuation:drill_detail", drill_id=drill.public_id)
    return render(request, "evacuation/drill.html", _drill_context(request, drill, level_form=form))


@requires(Cap.CRISIS_MANAGE)
@require_POST
def drill_alert(request: HttpRequest, drill_id: str) -> HttpResponse:
    from perisai.crisis.actions import CrisisInputError, do_draft_alert
    from perisai.crisis.models import Alert

    user = _user(request)
    drill = selectors.access_drill_by_id(user=user, public_id=drill_id)
    form = AlertForm(request.POST)
    if form.is_valid():
        try:
            do_draft_alert(
                crisis=drill.crisis,
                actor=user,
                body_id=form.cleaned_data["body_id"],
                body_en=form.cleaned_data["body_en"],
                target=Alert.Target.AREAS,
            )
        except CrisisInputError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Alert drafted: someone else must approve it."))
            return redirect("evacuation:drill_detail", drill_id=drill.public_id)
    return render(request, "evacuation/drill.html", _drill_context(request, drill, alert_form=form))


@requires(Cap.ALERT_APPROVE)
@require_POST
def drill_alert_approve(request: HttpRequest, drill_id: str, alert_id: str) -> HttpResponse:
    from perisai.crisis.actions import CrisisInputError, TwoPersonRuleError, do_approve_alert
    from perisai.crisis.models import Alert

    user = _user(request)
    drill = selectors.access_drill_by_id(user=user, public_id=drill_id)
    alert = Alert.objects.filter(crisis=drill.crisis, public_id=alert_id).first()
    if alert is None:
        raise Http404
    try:
        do_approve_alert(alert=alert, actor=user)
    except TwoPersonRuleError as exc:
        messages.error(request, str(exc))
    except CrisisInputError as exc:
        messages.error(request, " ".join(p for ps in exc.errors.values() for p in ps))
    else:
        messages.success(request, _("Alert approved: it is being sent."))
    return redirect("evacuation:drill_detail", drill_id=drill.public_id)


@requires(Cap.CRISIS_MANAGE)
@require_POST
def drill_call_down(request: HttpRequest, drill_id: str) -> HttpResponse:
    """The wardens of the plan get their call-down lists (the crisis module's lists and links)."""
    from perisai.crisis.actions import do_build_call_down_lists, do_send_warden_links
    from perisai.crisis.models import Warden

    user = _user(request)
    drill = selectors.access_drill_by_id(user=user, public_id=drill_id)
    assigned = do_build_call_down_lists(crisis=drill.crisis, actor=user, mission_ids=[drill.plan.mission_id])
    wardens = list(Warden.objects.filter(mission=drill.plan.mission, active=True))
    sent = do_send_warden_links(crisis=drill.crisis, actor=user, wardens=wardens)
    messages.success(
        request,
        _("%(n)d people put on call-down lists; %(w)d wardens sent their list.") % {"n": assigned, "w": sent},
    )
    return redirect("evacuation:drill_detail", drill_id=drill.public_id)


@requires(Cap.CRISIS_MANAGE)
@require_POST
def drill_finish(request: HttpRequest, drill_id: str) -> HttpResponse:
    user = _user(request)
    drill = selectors.access_drill_by_id(user=user, public_id=drill_id)
    actions.do_finish_drill(drill=drill, actor=user)
    messages.success(request, _("Exercise finished."))
    return redirect("evacuation:drill_detail", drill_id=drill.public_id)
