"""Officers' pages: crises and their areas and Siaga levels, the affected population, alerts (draft, approve),
the dashboard, people's reports and notes, wardens and call-down lists, feeds."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from perisai.core.forms import add_action_errors as _add_errors
from perisai.core.models import User
from perisai.core.permissions import request_user as _user
from perisai.core.permissions import requires
from perisai.core.roles import Cap
from perisai.core.scopes import scope_for

from . import actions, exports, selectors
from .alert_templates import length_with_link, render_template
from .exposure import expose
from .forms import (
    AlertForm,
    AreaForm,
    CrisisForm,
    LevelForm,
    NoteForm,
    ReportForm,
    StatusForm,
    WardenForm,
    missions_for,
)
from .models import Alert, CrisisArea, CrisisStatus, FeedEventRecord
from .svg import map_svg, share_chart_svg

# ---- crises ----------------------------------------------------------------------------------------


@requires(Cap.CRISIS_VIEW)
def index(request: HttpRequest) -> HttpResponse:
    crises = selectors.list_crises_visible_to(user=_user(request)).order_by("-created_at")
    groups = {
        "suggested": [c for c in crises if c.status == CrisisStatus.SUGGESTED],
        "open": [c for c in crises if c.is_open],
        "closed": [c for c in crises if c.status in (CrisisStatus.CLOSED, CrisisStatus.DISMISSED)][:20],
    }
    return render(
        request, "crisis/index.html", {"groups": groups, "can_manage": _user(request).can(Cap.CRISIS_MANAGE)}
    )


@requires(Cap.CRISIS_MANAGE)
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = CrisisForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            crisis = actions.do_create_crisis(
                actor=user,
                title=data["title"],
                type=data["type"],
                country=data["country"],
                missions=list(data["missions"]),
                exercise=data["exercise"],
                status=data["status"],
                reask_after_minutes=data["reask_after_minutes"],
                reask_max=data["reask_max"],
            )
        except actions.CrisisInputError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Crisis opened. Now add its areas and their Siaga levels."))
            return redirect("crisis:area_add", public_id=crisis.public_id)
    return render(request, "crisis/create.html", {"form": form})


def _map(population: selectors.Population, title: str) -> str:
    markers = [(m.name, m.lat, m.lon) for m in population.crisis.missions.all()]
    return map_svg(
        [(a.name, a.level, a.geometry) for a in population.areas],
        bins=population.summary.bins,
        markers=markers,
        title=title,
    )


@requires(Cap.CRISIS_VIEW)
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The crisis dashboard: levels, accounted share over time, the "need help" queue, counts, timeline."""
    user = _user(request)
    crisis = selectors.access_crisis_by_id(user=user, public_id=public_id)
    dashboard = selectors.crisis_dashboard(user=user, crisis=crisis)
    population = selectors.crisis_population(user=user, crisis=crisis)
    need_help = list(selectors.need_help_queue(user=user, crisis=crisis))
    for entry in need_help:
        entry.case_link = selectors.case_link(entry)  # type: ignore[attr-defined]
    timeline = [(entry, selectors.describe(entry)) for entry in crisis.timeline.all()[:100]]
    can_manage = user.can(Cap.CRISIS_MANAGE)
    return render(
        request,
        "crisis/detail.html",
        {
            "crisis": crisis,
            "areas": crisis.areas.order_by("level", "name"),
            "dashboard": dashboard,
            "share_percent": round(dashboard.share * 100),
            "chart": share_chart_svg(dashboard.series, title=_("Share of people accounted for over time")),
            "map": _map(population, _("Crisis areas and registered people")),
            "population": population.summary,
            "need_help": need_help,
            "alerts": crisis.alerts.select_related("drafted_by", "approved_by")[:20],
            "timeline": timeline,
            "can_manage": can_manage,
            "level_form": LevelForm() if can_manage else None,
            "next_statuses": [
                (s, CrisisStatus(s).label)
                for s in sorted(actions.ALLOWED_TRANSITIONS.get(crisis.status, set()))
            ]
            if can_manage
            else [],
        },
    )


@requires(Cap.CRISIS_MANAGE)
@require_POST
def set_status(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    crisis = selectors.access_crisis_by_id(user=user, public_id=public_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            actions.do_set_crisis_status(
                crisis=crisis,
                actor=user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("The status is changed."))
        except actions.CrisisInputError as error:
            messages.error(request, " ".join(p for ps in error.errors.values() for p in ps))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("crisis:detail", public_id=crisis.public_id)


# ---- areas -----------------------------------------------------------------------------------------


@requires(Cap.CRISIS_MANAGE)
@require_http_methods(["GET", "POST"])
def area_add(request: HttpRequest, public_id: str) -> HttpResponse:
    """Add an area: type or paste GeoJSON, upload GeoJSON/KML/KMZ, or a circle. "Preview" shows the area
    and who is inside before saving (no map tiles; works without JavaScript)."""
    user = _user(request)
    crisis = selectors.access_crisis_by_id(user=user, public_id=public_id)
    form = AreaForm(request.POST or None, request.FILES or None)
    preview = ""
    exposed: int | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            geometry = _geometry_from(form)
        except actions.CrisisInputError as error:
            _add_errors(form, error)
        else:
            if "save" in request.POST:
                try:
                    actions.do_add_area(
                        crisis=crisis,
                        actor=user,
                        name=data["name"],
                        level=data["level"],
                        geometry=geometry,
                        source={"upload": CrisisArea.Source.UPLOAD, "circle": CrisisArea.Source.CIRCLE}.get(
                            data["method"], CrisisArea.Source.DRAWN
                        ),
                    )
                except actions.CrisisInputError as error:
                    _add_errors(form, error)
                else:
                    messages.success(request, _("Area added."))
                    return redirect("crisis:detail", public_id=crisis.public_id)
            # Keep the area in the page, so "Save" after "Preview" needs no second upload.
            kept = request.POST.copy()
            kept["geometry"] = json.dumps(geometry)
            form = AreaForm(kept)
            form.is_valid()
            preview, exposed = _area_preview(user, crisis, data["name"] or "?", data["level"], geometry)
    return render(
        request,
        "crisis/area_form.html",
        {
            "crisis": crisis,
            "form": form,
            "preview": preview,
            "exposed": exposed,
            "draw_map": _draw_map(user, crisis),
        },
    )


def _draw_map(user: User, crisis: Any) -> str:
    """The canvas of the drawing tool (crisis/draw.js; hidden without JavaScript): the crisis country's
    registered people in the officer's scope (counted on a grid), its missions and its areas."""
    import numpy as np

    from .exposure import grid_bins
    from .population import snapshot

    columns = snapshot()
    if crisis.country_id in columns.countries:
        mask = columns.country == columns.countries.index(crisis.country_id)
    else:
        mask = np.zeros(len(columns), dtype=np.bool_)
    within = selectors.within_scope(columns, scope_for(user))
    if within is not None:
        mask &= within
    positions = np.flatnonzero(mask)
    return map_svg(
        [(a.name, a.level, a.geometry) for a in crisis.areas.all()],
        bins=grid_bins(columns.lat[positions], columns.lon[positions]),
        markers=[(m.name, m.lat, m.lon) for m in crisis.missions.all()],
        title=_("Map to draw the area on"),
        pad=0.25,
    )


def _geometry_from(form: AreaForm) -> dict[str, Any]:
    data = form.cleaned_data
    kept = (data.get("geometry") or "").strip()
    upload = data.get("upload")
    if kept and not upload and data["method"] != "circle" and not (data.get("geojson") or "").strip():
        return actions.check_geometry(method="geojson", text=kept)
    if data["method"] == "upload" and upload is None and kept:
        return actions.check_geometry(method="geojson", text=kept)
    if upload is not None and upload.size > 10 * 1024 * 1024:
        raise actions.CrisisInputError({"upload": [_("The file is too large (at most 10 MB).")]})
    return actions.check_geometry(
        method=data["method"],
        text=data.get("geojson") or "",
        upload=upload.read() if upload is not None else None,
        filename=upload.name if upload is not None else "",
        lat=data.get("lat"),
        lon=data.get("lon"),
        radius_km=data.get("radius_km"),
    )


def _area_preview(
    user: User, crisis: Any, name: str, level: int, geometry: dict[str, Any]
) -> tuple[str, int]:
    from .population import snapshot

    columns = snapshot()
    found = expose(
        columns,
        geometry,
        near_km=actions.near_km(),
        within=selectors.within_scope(columns, scope_for(user)),
    )
    areas = [(a.name, a.level, a.geometry) for a in crisis.areas.all()] + [(name, level, geometry)]
    from .exposure import grid_bins

    positions = found.inside
    svg = map_svg(
        areas,
        bins=grid_bins(columns.lat[positions], columns.lon[positions]),
        markers=[(m.name, m.lat, m.lon) for m in crisis.missions.all()],
        title=_("Preview of the area"),
    )
    return svg, int(found.inside.size + found.near.size)


@requires(Cap.CRISIS_MANAGE)
@require_POST
def area_level(request: HttpRequest, public_id: str) -> HttpResponse:
    """Raise or lower an area's Siaga level (an audited decision with its reason)."""
    user = _user(request)
    area = selectors.access_area_by_id(user=user, public_id=public_id)
    form = LevelForm(request.POST)
    if form.is_valid():
        try:
            actions.do_set_area_level(
                area=area, actor=user, level=form.cleaned_data["level"], reason=form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _("%(area)s is now at Siaga %(level)s.")
                % {"area": area.name, "level": form.cleaned_data["level"]},
            )
        except actions.CrisisInputError as error:
            messages.error(request, " ".join(p for ps in error.errors.values() for p in ps))
    else:
        messages.error(request, _("Choose the new level and write down the reason."))
    return redirect("crisis:detail", public_id=area.crisis.public_id)


# ---- the affected population -----------------------------------------------------------------------


def _population_for(request: HttpRequest, public_id: str) -> selectors.Population:
    user = _user(request)
    crisis = selectors.access_crisis_by_id(user=user, public_id=public_id)
    area = None
    if request.GET.get("area"):
        area = (
            crisis.areas.filter(public_id=request.GET["area"]).first()
            if _is_uuid(request.GET["area"])
            else None
        )
    return selectors.crisis_population(user=user, crisis=crisis, area=area)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@requires(Cap.CRISIS_VIEW)
def population(request: HttpRequest, public_id: str) -> HttpResponse:
    """Everyone registered inside (or near) the crisis areas, within the officer's scope: counts, a map
    without individual dots, and the list (audited)."""
    user = _user(request)
    pop = _population_for(request, public_id)
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    rows, pages = selectors.open_population_page(user=user, population=pop, page=page)
    s = pop.summary
    cities = selectors.city_names([c for c, _n in s.by_city[:20]])
    from perisai.registry.models import VULNERABILITY_LABELS

    area = pop.areas[0] if len(pop.areas) == 1 and request.GET.get("area") else None
    return render(
        request,
        "crisis/population.html",
        {
            "crisis": pop.crisis,
            "area": area,
            "areas": pop.crisis.areas.order_by("level", "name"),
            "summary": s,
            "by_area": [(a, pop.by_area.get(a.pk, 0)) for a in pop.areas],
            "by_city": [(cities.get(c, _("Unknown")) if c else _("Unknown"), n) for c, n in s.by_city[:20]],
            "by_sector": [
                (selectors.sector_label(k), n) for k, n in sorted(s.by_sector.items(), key=lambda kv: -kv[1])
            ],
            "by_vulnerability": [(VULNERABILITY_LABELS[f], n) for f, n in s.by_vulnerability.items()],  # type: ignore[index]
            "map": _map(pop, _("Registered people in the crisis areas")),
            "rows": rows,
            "page": min(max(1, page), pages),
            "pages": pages,
            "area_param": request.GET.get("area", ""),
            "can_export": user.can(Cap.PERSON_EXPORT),
        },
    )


def _download(data: bytes, fmt: str, name: str) -> HttpResponse:
    extension = "xlsx" if fmt == "xlsx" else "csv"
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt if fmt == "hxl" else extension}"'
    return response


@requires(Cap.PERSON_EXPORT)
def population_export(request: HttpRequest, public_id: str) -> HttpResponse:
    fmt = request.GET.get("format", "csv")
    if fmt not in exports.FORMATS:
        return HttpResponseBadRequest(_("Unknown format."))
    pop = _population_for(request, public_id)
    data, _count = exports.export_people(user=_user(request), population=pop, fmt=fmt)
    return _download(data, fmt, f"crisis-people-{str(pop.crisis.public_id)[:8]}")


@requires(Cap.CRISIS_VIEW)
def counts_export(request: HttpRequest, public_id: str) -> HttpResponse:
    fmt = request.GET.get("format", "csv")
    if fmt not in exports.FORMATS:
        return HttpResponseBadRequest(_("Unknown format."))
    pop = _population_for(request, public_id)
    data, _count = exports.export_counts(user=_user(request), population=pop, fmt=fmt)
    return _download(data, fmt, f"crisis-counts-{str(pop.crisis.public_id)[:8]}")


@requires(Cap.CRISIS_VIEW)
def unaccounted(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    crisis = selectors.access_crisis_by_id(user=user, public_id=public_id)
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    rows, pages, total = selectors.open_unaccounted_page(user=user, crisis=crisis, page=page)
    for entry in rows:
        entry.vulnerability_labels = selectors.vulnerability_labels(entry.vulnerabilities)  # type: ignore[attr-defined]
    return render(
        request,
        "crisis/unaccounted.html",
        {"crisis": crisis, "rows": rows, "page": min(max(1, page), pages), "pages": pages, "total": total},
    )


# ---- one person ------------------------------------------------------------------------------------


@requires(Cap.CRISIS_VIEW)
def person(request: HttpRequest, public_id: str, person_id: str) -> HttpResponse:
    user = _user(request)
    crisis = selectors.access_crisis_by_id(user=user, public_id=public_id)
    found = selectors.access_person_in_crisis(user=user, crisis=crisis, public_id=person_id)
    counting = None
    if found.entry is not None and found.checkins:
        first_hand = [c for c in found.checkins if c.first_hand]
        counting = (first_hand or found.checkins)[0]
    return render(
        request,
        "crisis/person.html",
        {
            "crisis": crisis,
            "found": found,
            "counting": counting,
            "report_form": ReportForm() if user.can(Cap.CRISIS_MANAGE) else None,
            "note_form": NoteForm() if user.can(Cap.CRISIS_MANAGE) else None,
            "vulnerabilities": selectors.vulnerability_labels(found.person.vulnerabilities),
        },
    )


@requires(Cap.CRISIS_MANAGE)
@require_POST
def report(request: HttpRequest, public_id: str, person_id: str) -> HttpResponse:
    """An officer records a report: from the person, or on their behalf (employer, friend, family, warden)."""
    user = _user(request)
    crisis = selectors.access_crisis_by_id(user=user, public_id=public_id)
    found = selectors.access_person_in_crisis(user=user, crisis=crisis, public_id=person_id)
    form = ReportForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_record_checkin(
                crisis=crisis,
                person_id=found.person.pk,
                status=data["status"],
                source=data["source"],
                message=data["message"],
                reporter_name=data["reporter_name"],
                reporter_contact=data["reporter_contact"],
                recorded_by=user,
            )
            messages.success(request, _("The report is recorded."))
        except actions.CrisisInputError as error:
            messages.error(request, " ".join(p for ps in error.errors.values() for p in ps))
    else:
        messages.error(request, _("Choose the status and who gives the report."))
    return redirect("crisis:person", public_id=crisis.public_id, person_id=found.person.public_id)


@requires(Cap.CRISIS_MANAGE)
@require_POST
def note(request: HttpRequest, public_id: str, person_id: str) -> HttpResponse:
    user = _user(request)
    crisis = selectors.access_crisis_by_id(user=user, public_id=public_id)
    found = selectors.access_person_in_crisis(user=user, crisis=crisis, public_id=person_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        actions.do_add_note(crisis=crisis, person=found.person, actor=user, text=form.cleaned_data["text"])
        messages.success(request, _("Note added."))
    else:
        messages.error(request, _("Write the note."))
    return redirect("crisis:person", public_id=crisis.public_id, person_id=found.person.public_id)


# ---- alerts ----------------------------------------------------------------------------------------


def _lengths(body_id: str, body_en: str, exercise: bool) -> dict[str, Any]:
    link = actions.public_url("/crisis/k/")
    return {
        "id": length_with_link(body_id, link, prefix="LATIHAN: " if exercise else ""),
        "en": length_with_link(body_en, link, prefix="EXERCISE: " if exercise else ""),
    }


@requires(Cap.CRISIS_MANAGE)
@require_http_methods(["GET", "POST"])
def alert_new(request: HttpRequest, public_id: str) -> HttpResponse:
    """Draft an alert from a template, in Indonesian and English, with the SMS length of each; "Fill in"
    and "Preview" work without JavaScript."""
    user = _user(request)
    crisis = selectors.access_crisis_by_id(user=user, public_id=public_id)
    initial_template = request.GET.get("template", "checkin")
    area = crisis.areas.order_by("level", "name").first()
    initial = {
        "template": initial_template,
        "target": Alert.Target.AREAS if area is not None else Alert.Target.COUNTRY,
        "body_id": render_template(initial_template, crisis=crisis, area=area, language="id"),
        "body_en": render_template(initial_template, crisis=crisis, area=area, language="en"),
    }
    form = AlertForm(request.POST or None, crisis=crisis, initial=initial)
    estimate: int | None = None
    if request.method == "POST" and "fill" in request.POST:
        posted = request.POST.copy()
        area_id = str(posted.get("target_area") or "")
        chosen = crisis.areas.filter(public_id=area_id).first() if _is_uuid(area_id) else area
        code = str(posted.get("template") or "checkin")
        posted["body_id"] = render_template(code, crisis=crisis, area=chosen, language="id")
        posted["body_en"] = render_template(code, crisis=crisis, area=chosen, language="en")
        form = AlertForm(posted, crisis=crisis)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target_area = (
            crisis.areas.filter(public_id=data["target_area"]).first() if data.get("target_area") else None
        )
        filters = actions.AlertFilters(vulnerable_only=data["vulnerable_only"], sector=data["sector"] or "")
        if "save" in request.POST:
            try:
                alert = actions.do_draft_alert(
                    crisis=crisis,
                    actor=user,
                    body_id=data["body_id"],
                    body_en=data["body_en"],
                    target=data["target"],
                    target_area=target_area,
                    filters=filters,
                    template=data.get("template") or "",
                )
            except actions.CrisisInputError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request, _("Draft saved. The head of mission or a delegate must approve it.")
                )
                return redirect("crisis:alert_detail", public_id=alert.public_id)
        else:
            draft = Alert(
                crisis=crisis, target=data["target"], target_area=target_area, filters=filters.as_json()
            )
            try:
                estimate = selectors.estimate_recipients(draft)
            except Exception:  # an incomplete target: the save step names the problem
                estimate = None
    body_id = form.data.get("body_id") if form.is_bound else initial["body_id"]
    body_en = form.data.get("body_en") if form.is_bound else initial["body_en"]
    return render(
        request,
        "crisis/alert_form.html",
        {
            "crisis": crisis,
            "form": form,
            "lengths": _lengths(str(body_id or ""), str(body_en or ""), crisis.exercise),
            "estimate": estimate,
        },
    )


@requires(Cap.CRISIS_VIEW)
def alert_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    alert = selectors.access_alert_by_id(user=user, public_id=public_id)
    can_approve = (
        user.can(Cap.ALERT_APPROVE) and alert.status == Alert.Status.DRAFT and alert.drafted_by_id != user.pk
    )
    return render(
        request,
        "crisis/alert_detail.html",
        {
            "alert": alert,
            "crisis": alert.crisis,
            "lengths": _lengths(alert.body_id, alert.body_en, alert.exercise),
            "delivery": selectors.delivery_counts(alert),
            "failures": selectors.failure_reasons(alert),
            "can_approve": can_approve,
            "own_draft": alert.drafted_by_id == user.pk and alert.status == Alert.Status.DRAFT,
            "can_cancel": user.can(Cap.CRISIS_MANAGE) and alert.status == Alert.Status.DRAFT,
            "estimate": selectors.estimate_recipients(alert) if alert.status == Alert.Status.DRAFT else None,
        },
    )


@requires(Cap.ALERT_APPROVE)
@require_POST
def alert_approve(request: HttpRequest, public_id: str) -> HttpResponse:
    """Two-person rule: the approver is not the drafter. Approval starts sending."""
    user = _user(request)
    alert = selectors.access_alert_by_id(user=user, public_id=public_id)
    try:
        actions.do_approve_alert(alert=alert, actor=user)
    except actions.TwoPersonRuleError:
        messages.error(request, _("Someone other than the drafter must approve an alert."))
    except PermissionDenied:
        raise
    except actions.CrisisInputError as error:
        messages.error(request, " ".join(p for ps in error.errors.values() for p in ps))
    else:
        messages.success(request, _("Approved. The alert is being sent."))
    return redirect("crisis:alert_detail", public_id=alert.public_id)


@requires(Cap.CRISIS_MANAGE)
@require_POST
def alert_cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    alert = selectors.access_alert_by_id(user=user, public_id=public_id)
    try:
        actions.do_cancel_alert(alert=alert, actor=user)
        messages.success(request, _("The draft is cancelled."))
    except actions.CrisisInputError as error:
        messages.error(request, " ".join(p for ps in error.errors.values() for p in ps))
    return redirect("crisis:alert_detail", public_id=alert.public_id)


# ---- wardens and call-down lists -------------------------------------------------------------------


@requires(Cap.CRISIS_MANAGE)
@require_http_methods(["GET", "POST"])
def wardens(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = WardenForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_add_warden(
                actor=user,
                mission=data["mission"],
                name=data["name"],
                phone=data["phone"],
                city_name=data["city_name"],
                lat=data["lat"],
                lon=data["lon"],
                capacity=data["capacity"],
            )
        except actions.CrisisInputError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Warden added."))
            return redirect("crisis:wardens")
    return render(
        request,
        "crisis/wardens.html",
        {
            "form": form,
            "wardens": selectors.list_wardens_visible_to(user=user).order_by("mission__name", "name"),
        },
    )


@requires(Cap.CRISIS_MANAGE)
@require_http_methods(["GET", "POST"])
def call_down(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    crisis = selectors.access_crisis_by_id(user=user, public_id=public_id)
    scope_missions = [m.pk for m in missions_for(user)]
    if request.method == "POST":
        if request.POST.get("action") == "build":
            assigned = actions.do_build_call_down_lists(crisis=crisis, actor=user, mission_ids=scope_missions)
            messages.success(request, _("%(n)d people given to wardens.") % {"n": assigned})
        elif request.POST.get("action") == "send":
            lists = selectors.call_down_lists(user=user, crisis=crisis)
            sent = actions.do_send_warden_links(
                crisis=crisis, actor=user, wardens=[r["warden"] for r in lists]
            )
            messages.success(request, _("Links sent to %(n)d wardens.") % {"n": sent})
        return redirect("crisis:call_down", public_id=crisis.public_id)
    from .tokens import warden_token

    lists = selectors.call_down_lists(user=user, crisis=crisis)
    for row in lists:
        row["link"] = reverse(
            "crisis:warden_list", kwargs={"token": warden_token(crisis.pk, row["warden"].pk)}
        )
    return render(request, "crisis/call_down.html", {"crisis": crisis, "lists": lists})


# ---- feeds -----------------------------------------------------------------------------------------


@requires(Cap.CRISIS_VIEW)
def feeds(request: HttpRequest) -> HttpResponse:
    events = FeedEventRecord.objects.filter(root=None).order_by("-sent")[:50]
    return render(request, "crisis/feeds.html", {"states": selectors.list_feed_states(), "events": events})
