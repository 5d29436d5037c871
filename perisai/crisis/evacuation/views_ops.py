"""Pages of an evacuation: start it, who to move, the plan and its explanation, people, foreign nationals,
and after the crisis (costs, lessons, the after-action report)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from perisai.core import audit
from perisai.core.permissions import request_user as _user
from perisai.core.permissions import requires
from perisai.core.roles import Cap

from . import actions, selectors
from .forms import (
    CostForm,
    EvacueeForm,
    ForeignNationalForm,
    LegForm,
    LessonForm,
    PlanRunForm,
    SearchForm,
    SiteForm,
    StartOperationForm,
    StayForm,
)
from .labels import PRIORITY_LABELS, UNASSIGNED_REASONS, reason_label
from .models import Drill, Evacuee, Operation, PlanVersion, RunStatus, SiteKind
from .pdf import after_action_pdf
from .views_plans import _language, add_errors, pdf_response


def _errors_to_messages(request: HttpRequest, exc: actions.EvacuationInputError) -> None:
    for problems in exc.errors.values():
        for problem in problems:
            messages.error(request, problem)


@requires(Cap.CRISIS_MANAGE)
@require_http_methods(["GET", "POST"])
def operation_start(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    crises = {str(c.public_id): c for c in selectors.list_open_crises_for(user=user)}
    missions = {str(m.pk): m for m in selectors.missions_for(user=user)}
    versions = {
        str(v.pk): v
        for v in PlanVersion.objects.filter(plan__in=selectors.list_plans_visible_to(user=user))
        .select_related("plan__mission")
        .order_by("plan__mission__name", "plan__scenario", "-number")
    }
    form = StartOperationForm(
        request.POST or None,
        crises=[(k, c.title) for k, c in crises.items()],
        missions=[(k, m.name) for k, m in missions.items()],
        versions=[(k, f"{v.plan.title} — v{v.number}") for k, v in versions.items()],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            operation = actions.do_start_operation(
                crisis=crises[data["crisis"]],
                mission=missions[data["mission"]],
                actor=user,
                plan_version=versions.get(data["plan_version"] or ""),
            )
        except actions.EvacuationInputError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Evacuation opened with the plan's assembly points and transport."))
            return redirect("evacuation:operation_detail", op_id=operation.public_id)
    return render(request, "evacuation/operation_start.html", {"form": form, "no_crisis": not crises})


def _operation(request: HttpRequest, op_id: str) -> Operation:
    return selectors.access_operation_by_id(user=_user(request), public_id=op_id)


@requires(Cap.CRISIS_VIEW)
def operation_detail(request: HttpRequest, op_id: str) -> HttpResponse:
    operation = _operation(request, op_id)
    overview = selectors.operation_overview(operation=operation)
    return render(
        request,
        "evacuation/operation.html",
        {
            "operation": operation,
            "overview": overview,
            "unassigned": [
                (reason_label(k), v) for k, v in sorted(overview["unassigned"].items(), key=lambda kv: -kv[1])
            ],
            "legs": selectors.leg_views(operation=operation),
            "sites": operation.sites.all(),
            "run": selectors.latest_run(operation=operation),
            "run_form": PlanRunForm(),
            "drill": Drill.objects.filter(operation=operation).first(),
            "can_manage": _user(request).can(Cap.CRISIS_MANAGE),
        },
    )


@requires(Cap.CRISIS_MANAGE)
@require_POST
def operation_sync(request: HttpRequest, op_id: str) -> HttpResponse:
    operation = _operation(request, op_id)
    form = PlanRunForm(request.POST)
    levels = form.cleaned_data["levels"] if form.is_valid() else [1]
    result = actions.do_sync_evacuees(operation=operation, actor=_user(request), levels=levels)
    messages.success(
        request,
        _(
            "%(added)d people added, %(updated)d updated, out of %(considered)d in the chosen areas and their households."
        )
        % {"added": result.added, "updated": result.updated, "considered": result.considered},
    )
    return redirect("evacuation:operation_detail", op_id=operation.public_id)


@requires(Cap.CRISIS_VIEW)
@require_http_methods(["GET", "POST"])
def operation_plan(request: HttpRequest, op_id: str) -> HttpResponse:
    """GET: the latest plan with its explanation. POST: run the optimizer again (on the task queue)."""
    operation = _operation(request, op_id)
    user = _user(request)
    if request.method == "POST":
        if not user.can(Cap.CRISIS_MANAGE):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        form = PlanRunForm(request.POST)
        if form.is_valid():
            try:
                actions.do_request_plan_run(
                    operation=operation,
                    actor=user,
                    time_limit_s=form.cleaned_data["time_limit"],
                    levels=form.cleaned_data["levels"],
                )
            except actions.EvacuationInputError as exc:
                _errors_to_messages(request, exc)
            else:
                messages.success(
                    request, _("The plan is being computed. This page shows it when it is ready.")
                )
        return redirect("evacuation:operation_plan", op_id=operation.public_id)
    context = _plan_context(operation)
    template = (
        "evacuation/_plan_result.html"
        if request.headers.get("HX-Request") == "true"
        else "evacuation/plan_result.html"
    )
    return render(request, template, {**context, "can_manage": user.can(Cap.CRISIS_MANAGE)})


def _plan_context(operation: Operation) -> dict[str, Any]:
    run = selectors.latest_run(operation=operation)
    done = selectors.latest_done_run(operation=operation)
    sites = {s.pk: s for s in operation.sites.all()}
    context: dict[str, Any] = {
        "operation": operation,
        "run": run,
        "done": done,
        "pending": run is not None and run.status in (RunStatus.QUEUED, RunStatus.RUNNING),
        "run_form": PlanRunForm(),
    }
    if done is None or not done.result:
        return context
    result = done.result
    explanation = result.get("explanation", {})

    def tiers(counts: dict[str, int] | None) -> list[tuple[str, int]]:
        return [(str(PRIORITY_LABELS[int(k)]), int(v)) for k, v in (counts or {}).items() if int(v)]

    shortfalls = []
    for s in explanation.get("shortfalls", []):
        site = sites.get(int(s["assembly_point"]))
        shortfalls.append({**s, "site": site, "by_priority": tiers(s.get("unplaced_by_priority"))})
    extra = []
    for e in explanation.get("one_more_leg", []):
        site = sites.get(int(e["assembly_point"]))
        extra.append({**e, "site": site, "by_priority": tiers(e.get("by_priority"))})
    unassigned = sorted(result.get("unassigned_by_reason", {}).items(), key=lambda kv: -kv[1])
    bound = result.get("bound")
    total = result.get("total_distance_km")
    context.update(
        result=result,
        explanation=explanation,
        shortfalls=shortfalls,
        one_more_leg=extra,
        unassigned=[(code, reason_label(code), n) for code, n in unassigned],
        unassigned_total=sum(n for _c, n in unassigned),
        moved=tiers(explanation.get("moved_by_priority")),
        gap_percent=None
        if not bound or total is None
        else round(100.0 * (total - bound) / max(bound, 1e-9), 2),
        by_area=selectors.unplaced_by_area(operation=operation),
        people=selectors.list_evacuees(operation=operation, filter_key="unassigned")[:100],
        reasons=UNASSIGNED_REASONS,
        legs=selectors.leg_views(operation=operation),
    )
    return context


@requires(Cap.CRISIS_VIEW)
def operation_people(request: HttpRequest, op_id: str) -> HttpResponse:
    operation = _operation(request, op_id)
    filter_key = request.GET.get("show", "")
    query = request.GET.get("q", "")
    people = selectors.list_evacuees(operation=operation, filter_key=filter_key, query=query)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "evacuation/people.html",
        {
            "operation": operation,
            "page": page,
            "show": filter_key,
            "q": query[:100],
            "reasons": UNASSIGNED_REASONS,
        },
    )


@requires(Cap.CRISIS_MANAGE)
@require_http_methods(["GET", "POST"])
def operation_add_person(request: HttpRequest, op_id: str) -> HttpResponse:
    """Find a registered citizen (who asked to leave, or walked in) and add them with their household."""
    from perisai.registry.search import search_people
    from perisai.registry.selectors import access_person_by_id

    user = _user(request)
    operation = _operation(request, op_id)
    if request.method == "POST":
        person = access_person_by_id(user=user, public_id=request.POST.get("person", ""))
        added = actions.do_add_registered_person(operation=operation, person=person, actor=user)
        messages.success(request, _("%(n)d people added (with their household).") % {"n": len(added)})
        return redirect("evacuation:operation_people", op_id=operation.public_id)
    form = SearchForm(request.GET or None)
    hits = search_people(user=user, text=form.cleaned_data["q"]).hits if form.is_valid() else []
    return render(request, "evacuation/add_person.html", {"operation": operation, "form": form, "hits": hits})


def _site_choices(operation: Operation, kind: str | None = SiteKind.ASSEMBLY_POINT) -> dict[str, Any]:
    qs = operation.sites.all()
    if kind:
        qs = qs.filter(kind=kind)
    return {str(s.public_id): s for s in qs}


@requires(Cap.CRISIS_MANAGE)
@require_http_methods(["GET", "POST"])
def operation_add_foreign(request: HttpRequest, op_id: str) -> HttpResponse:
    user = _user(request)
    operation = _operation(request, op_id)
    sites = _site_choices(operation)
    form = ForeignNationalForm(
        request.POST or None, family=False, sites=[(k, s.name) for k, s in sites.items()]
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evacuee = actions.do_add_foreign_national(
                operation=operation,
                actor=user,
                full_name=data["full_name"],
                nationality=data["nationality"],
                eligibility=data["eligibility"],
                document_type=data["document_type"],
                document_number=data["document_number"],
                sex=data["sex"],
                birth_date=data["birth_date"],
                site=sites.get(data.get("site") or ""),
            )
        except actions.EvacuationInputError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Added."))
            return redirect("evacuation:evacuee_detail", evacuee_id=evacuee.public_id)
    return render(
        request, "evacuation/foreign_form.html", {"operation": operation, "form": form, "family_of": None}
    )


@requires(Cap.CRISIS_MANAGE)
def operation_foreign(request: HttpRequest, op_id: str) -> HttpResponse:
    """Foreign nationals assisted, per country (CSV per country for their embassy with ?country=XX)."""
    operation = _operation(request, op_id)
    groups = selectors.foreign_nationals_by_country(operation=operation)
    country = request.GET.get("country", "").upper()
    if country:
        people = next((p for c, p in groups if c.iso2 == country), None)
        if people is None:
            raise Http404
        audit.record(
            actor=_user(request),
            action="evacuation.foreign_export",
            target=operation,
            sensitive=True,
            details={"country": country, "count": len(people)},
        )
        return _csv_response(
            [
                [
                    _("Name"),
                    _("Nationality"),
                    _("Date of birth"),
                    _("Travels as"),
                    _("Boarded"),
                    _("Arrived at"),
                ]
            ]
            + [
                [
                    e.full_name,
                    e.nationality_id,
                    e.birth_date.isoformat() if e.birth_date else "",
                    e.get_eligibility_display(),
                    e.boarded_leg.label if e.boarded_leg else "",
                    e.arrived_where,
                ]
                for e in people
            ],
            f"foreign-nationals-{country}.csv",
        )
    return render(request, "evacuation/foreign.html", {"operation": operation, "groups": groups})


def _safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_response(rows: list[list[Any]], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_safe_cell(v) for v in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@requires(Cap.CRISIS_MANAGE)
@require_http_methods(["GET", "POST"])
def operation_add_leg(request: HttpRequest, op_id: str) -> HttpResponse:
    user = _user(request)
    operation = _operation(request, op_id)
    sites = _site_choices(operation)
    initial: dict[str, Any] = {
        "mode": "bus",
        "departs_at": timezone.localtime().replace(second=0, microsecond=0),
    }
    if request.GET.get("site") in sites:
        initial["site"] = request.GET["site"]
    if request.GET.get("seats", "").isdigit():
        initial["seats"] = int(request.GET["seats"])
    form = LegForm(request.POST or None, sites=[(k, s.name) for k, s in sites.items()], initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_add_leg(
                operation=operation,
                actor=user,
                site=sites[data["site"]],
                mode=data["mode"],
                label=data["label"],
                seats=data["seats"],
                departs_at=data["departs_at"],
                destination=data["destination"],
                to_indonesia=data["to_indonesia"],
            )
        except actions.EvacuationInputError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Leg added. Run the plan again to use it."))
            return redirect("evacuation:operation_plan", op_id=operation.public_id)
    return render(
        request,
        "evacuation/simple_form.html",
        {"operation": operation, "form": form, "heading": _("Add a leg")},
    )


@requires(Cap.CRISIS_MANAGE)
@require_http_methods(["GET", "POST"])
def operation_add_site(request: HttpRequest, op_id: str) -> HttpResponse:
    user = _user(request)
    operation = _operation(request, op_id)
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_site(operation=operation, actor=user, **form.cleaned_data)
        except actions.EvacuationInputError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Site added."))
            return redirect("evacuation:operation_detail", op_id=operation.public_id)
    return render(
        request,
        "evacuation/simple_form.html",
        {"operation": operation, "form": form, "heading": _("Add an assembly point or safe haven")},
    )


@requires(Cap.CRISIS_MANAGE)
@require_POST
def operation_close(request: HttpRequest, op_id: str) -> HttpResponse:
    operation = _operation(request, op_id)
    actions.do_close_operation(operation=operation, actor=_user(request))
    messages.success(request, _("Evacuation closed."))
    return redirect("evacuation:operation_after", op_id=operation.public_id)


# ---- one person ------------------------------------------------------------------------------------


def _evacuee_context(request: HttpRequest, evacuee: Evacuee, **forms: Any) -> dict[str, Any]:
    return {
        "evacuee": evacuee,
        "operation": evacuee.operation,
        "path": selectors.person_path(evacuee=evacuee),
        "events": selectors.list_events(evacuee=evacuee),
        "household": selectors.household_of(evacuee=evacuee),
        "reason": reason_label(evacuee.unassigned_reason) if evacuee.unassigned_reason else "",
        "form": forms.get("form")
        or EvacueeForm(
            initial={
                "consent": evacuee.consent,
                "health": evacuee.health,
                "document_type": evacuee.document_type,
            }
        ),
        "stay_form": forms.get("stay_form") or StayForm(),
        "can_manage": _user(request).can(Cap.CRISIS_MANAGE),
    }


@requires(Cap.CRISIS_VIEW)
def evacuee_detail(request: HttpRequest, evacuee_id: str) -> HttpResponse:
    evacuee = selectors.access_evacuee_by_id(user=_user(request), public_id=evacuee_id)
    return render(request, "evacuation/evacuee.html", _evacuee_context(request, evacuee))


@requires(Cap.CRISIS_MANAGE)
@require_POST
def evacuee_update(request: HttpRequest, evacuee_id: str) -> HttpResponse:
    user = _user(request)
    evacuee = selectors.access_evacuee_by_id(user=user, public_id=evacuee_id)
    form = EvacueeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_update_evacuee(
                evacuee=evacuee,
                actor=user,
                consent=data["consent"],
                health=data["health"],
                document_type=data["document_type"],
                document_number=data["document_number"] or None,
            )
        except actions.EvacuationInputError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("evacuation:evacuee_detail", evacuee_id=evacuee.public_id)
    return render(request, "evacuation/evacuee.html", _evacuee_context(request, evacuee, form=form))


@requires(Cap.CRISIS_MANAGE)
@require_POST
def evacuee_confirm(request: HttpRequest, evacuee_id: str) -> HttpResponse:
    user = _user(request)
    evacuee = selectors.access_evacuee_by_id(user=user, public_id=evacuee_id)
    try:
        actions.do_confirm_place(evacuee=evacuee, actor=user)
    except actions.EvacuationInputError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(request, _("Place confirmed: re-planning keeps it."))
    return redirect("evacuation:evacuee_detail", evacuee_id=evacuee.public_id)


@requires(Cap.CRISIS_MANAGE)
@require_POST
def evacuee_stay(request: HttpRequest, evacuee_id: str) -> HttpResponse:
    user = _user(request)
    evacuee = selectors.access_evacuee_by_id(user=user, public_id=evacuee_id)
    form = StayForm(request.POST)
    if form.is_valid():
        try:
            actions.do_record_stay(evacuee=evacuee, actor=user, reason=form.cleaned_data["reason"])
        except actions.EvacuationInputError as exc:
            _errors_to_messages(request, exc)
        else:
            messages.success(
                request, _("Recorded: the person stays. Their place goes to others at the next run.")
            )
        return redirect("evacuation:evacuee_detail", evacuee_id=evacuee.public_id)
    return render(request, "evacuation/evacuee.html", _evacuee_context(request, evacuee, stay_form=form))


@requires(Cap.CRISIS_MANAGE)
@require_POST
def evacuee_remove(request: HttpRequest, evacuee_id: str) -> HttpResponse:
    user = _user(request)
    evacuee = selectors.access_evacuee_by_id(user=user, public_id=evacuee_id)
    try:
        actions.do_remove_evacuee(evacuee=evacuee, actor=user)
    except actions.EvacuationInputError as exc:
        _errors_to_messages(request, exc)
    return redirect("evacuation:evacuee_detail", evacuee_id=evacuee.public_id)


@requires(Cap.CRISIS_MANAGE)
@require_http_methods(["GET", "POST"])
def evacuee_family(request: HttpRequest, evacuee_id: str) -> HttpResponse:
    """A foreign spouse or child of this citizen: travels with their household."""
    user = _user(request)
    evacuee = selectors.access_evacuee_by_id(user=user, public_id=evacuee_id)
    form = ForeignNationalForm(request.POST or None, family=True, sites=[])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = actions.do_add_foreign_national(
                operation=evacuee.operation,
                actor=user,
                full_name=data["full_name"],
                nationality=data["nationality"],
                eligibility=data["eligibility"],
                document_type=data["document_type"],
                document_number=data["document_number"],
                sex=data["sex"],
                birth_date=data["birth_date"],
                family_of=evacuee,
            )
        except actions.EvacuationInputError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Added to the household."))
            return redirect("evacuation:evacuee_detail", evacuee_id=member.public_id)
    return render(
        request,
        "evacuation/foreign_form.html",
        {"operation": evacuee.operation, "form": form, "family_of": evacuee},
    )


# ---- after the crisis ------------------------------------------------------------------------------


@requires(Cap.CRISIS_VIEW)
def operation_after(request: HttpRequest, op_id: str) -> HttpResponse:
    operation = _operation(request, op_id)
    return render(
        request,
        "evacuation/after.html",
        {
            "operation": operation,
            "report": selectors.after_action(operation=operation),
            "cost_form": CostForm(),
            "lesson_form": LessonForm(),
            "can_manage": _user(request).can(Cap.CRISIS_MANAGE),
        },
    )


@requires(Cap.CRISIS_MANAGE)
@require_POST
def operation_cost(request: HttpRequest, op_id: str) -> HttpResponse:
    operation = _operation(request, op_id)
    form = CostForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_cost(operation=operation, actor=_user(request), **form.cleaned_data)
        except actions.EvacuationInputError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Cost recorded."))
            return redirect("evacuation:operation_after", op_id=operation.public_id)
    context = {
        "operation": operation,
        "report": selectors.after_action(operation=operation),
        "cost_form": form,
        "lesson_form": LessonForm(),
        "can_manage": True,
    }
    return render(request, "evacuation/after.html", context)


@requires(Cap.CRISIS_MANAGE)
@require_POST
def operation_lesson(request: HttpRequest, op_id: str) -> HttpResponse:
    operation = _operation(request, op_id)
    form = LessonForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_lesson(operation=operation, actor=_user(request), **form.cleaned_data)
        except actions.EvacuationInputError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Lesson recorded."))
            return redirect("evacuation:operation_after", op_id=operation.public_id)
    context = {
        "operation": operation,
        "report": selectors.after_action(operation=operation),
        "cost_form": CostForm(),
        "lesson_form": form,
        "can_manage": True,
    }
    return render(request, "evacuation/after.html", context)


@requires(Cap.CRISIS_VIEW)
def operation_after_pdf(request: HttpRequest, op_id: str) -> HttpResponse:
    operation = _operation(request, op_id)
    language = _language(request)
    data = after_action_pdf(selectors.after_action(operation=operation), language=language)
    audit.record(
        actor=_user(request), action="evacuation.report", target=operation, details={"language": language}
    )
    return pdf_response(data, f"after-action-{operation.public_id}-{language}.pdf")
