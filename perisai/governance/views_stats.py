"""Pages: statistics dashboards (aggregates only, from the latest published release), exports, the data
dictionary, local migration profiles and their plan lines."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from perisai.core import audit
from perisai.core.permissions import request_user as _user
from perisai.core.permissions import requires
from perisai.core.roles import Cap
from perisai.places.models import Region

from . import actions, charts, exports, selectors
from .forms import PlanLineForm
from .models import NATION, StatRelease
from .selectors import TableView
from .sources import all_tables, source_types
from .views_assessments import add_errors

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "hxl": ("text/csv; charset=utf-8", "csv"),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
}


def _bars(table: TableView, title: str, limit: int = 12, percent: bool = False) -> str:
    rows = [(r.label, r.mean if percent else r.n) for r in table.rows[:limit]]
    if not rows:
        return ""
    return mark_safe(charts.bar_chart(rows, title=title, percent=percent))  # noqa: S308 (escaped by charts)


def _columns(table: TableView, title: str) -> str:
    points = [(r.label, r.n) for r in table.rows]
    if not points:
        return ""
    return mark_safe(charts.column_chart(points, title=title))  # noqa: S308 (escaped by charts)


def place_level(code: str) -> int:
    """0 Indonesia, 1 province, 2 regency or city, 3 village (districts are not a level of the statistics)."""
    return 0 if code == NATION else {1: 1, 2: 2, 4: 3}.get(len(code.split(".")), 3)


def _place_param(request: HttpRequest) -> str:
    code = (request.GET.get("place") or NATION).strip()
    if code != NATION and not Region.objects.filter(code=code, level__in=[1, 2]).exists():
        raise Http404
    return code


@requires(Cap.STATS_VIEW)
def stats_dashboard(request: HttpRequest) -> HttpResponse:
    release = selectors.latest_release()
    place = _place_param(request)
    level = place_level(place)
    tables = {
        code: selectors.stat_table(release, code, place)
        for code in (*selectors.DASHBOARD_TABLES, "people_abroad", "cases_by_year")
    }
    context: dict[str, Any] = {
        "release": release,
        "place": place,
        "place_label": selectors.place_label(place),
        "level": level,
        "tables": tables,
        "returned": tables["returnees_by_sex"].total,
        "sources": [(s, (release.sources.get(s.code) if release else None)) for s in source_types()],
        "provinces": selectors.stat_children(release, "people_abroad", place) if level < 2 else [],
        "charts": {
            "country": _bars(tables["people_abroad_by_country"], _("People abroad by country")),
            "sector": _bars(tables["people_abroad_by_sector"], _("People abroad by sector of work")),
            "sex": _bars(tables["people_abroad_by_sex"], _("People abroad by sex")),
            "cases": _bars(tables["cases_by_type"], _("Cases by type")),
            "cases_year": _columns(tables["cases_by_year"], _("Cases by year")),
            "sdg_10_7_1": _bars(tables["sdg_10_7_1"], _("SDG 10.7.1"), percent=True),
            "sdg_10_c_1": _bars(tables["sdg_10_c_1"], _("SDG 10.c.1"), percent=True),
        },
        "place_choices": selectors.region_choices(),
        "can_publish": _user(request).can(Cap.GOVERNANCE_EDIT),
        "table_specs": list(all_tables().values()),
        "last_failed": StatRelease.objects.filter(status=StatRelease.Status.FAILED)
        .order_by("-created_at")
        .first(),
    }
    return render(request, "governance/stats_dashboard.html", context)


@requires(Cap.GOVERNANCE_EDIT)
@require_POST
def stats_publish(request: HttpRequest) -> HttpResponse:
    actions.do_queue_statistics(actor=_user(request))
    messages.success(request, _("New figures are being prepared; they appear here within a few minutes."))
    return redirect("governance:stats_dashboard")


@requires(Cap.STATS_VIEW)
def stats_export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    spec = all_tables().get(table)
    release = selectors.latest_release()
    if spec is None or fmt not in FORMATS or release is None:
        raise Http404
    if fmt == "xlsx":
        data = exports.xlsx_bytes(release, spec)
    else:
        data = exports.csv_bytes(release, spec, hxl=fmt == "hxl")
    audit.record(
        actor=_user(request),
        action="statistics.export",
        target=release,
        details={"table": table, "format": fmt},
    )
    content_type, suffix = FORMATS[fmt]
    response = HttpResponse(data, content_type=content_type)
    name = f"perisai-{table}-{release.created_at:%Y%m%d}{'-hxl' if fmt == 'hxl' else ''}.{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires(Cap.STATS_VIEW)
def stats_dictionary(request: HttpRequest) -> HttpResponse:
    specs = list(all_tables().values())
    if request.GET.get("format") == "csv":
        response = HttpResponse(exports.dictionary_csv(specs), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="perisai-data-dictionary.csv"'
        return response
    columns: dict[str, exports.Column] = {}
    for spec in specs:
        for c in exports.columns(spec):
            columns.setdefault(c.name + c.hxl, c)
    return render(
        request,
        "governance/stats_dictionary.html",
        {"specs": specs, "columns": list(columns.values()), "note": exports.suppression_note()},
    )


# ---- local migration profiles ----


@requires(Cap.STATS_VIEW)
def local_index(request: HttpRequest) -> HttpResponse:
    release = selectors.latest_release()
    return render(
        request,
        "governance/local_index.html",
        {"release": release, "provinces": selectors.stat_children(release, "people_abroad", NATION)},
    )


@requires(Cap.STATS_VIEW)
def local_profile(request: HttpRequest, code: str) -> HttpResponse:
    profile = selectors.region_profile(code)
    tables = profile.tables
    return render(
        request,
        "governance/local_profile.html",
        {
            "profile": profile,
            "women": next((r for r in tables["people_abroad_by_sex"].rows if r.category == "F"), None),
            "charts": {
                "country": _bars(tables["people_abroad_by_country"], _("Where they are"), limit=10),
                "sector": _bars(tables["people_abroad_by_sector"], _("Sectors of work"), limit=10),
                "trend": _columns(profile.trend, _("Registrations by year")),
                "cases_trend": _columns(profile.case_trend, _("Cases by year")),
            },
            "can_edit": _user(request).can(Cap.GOVERNANCE_EDIT),
            "level": place_level(code),
        },
    )


@requires(Cap.STATS_VIEW)
def local_profile_pdf(request: HttpRequest, code: str) -> HttpResponse:
    from .pdf import region_profile_pdf

    profile = selectors.region_profile(code)
    response = HttpResponse(region_profile_pdf(profile), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="migration-profile-{code}.pdf"'
    return response


@requires(Cap.GOVERNANCE_EDIT)
@require_http_methods(["GET", "POST"])
def plan_line_new(request: HttpRequest, code: str) -> HttpResponse:
    region = selectors.region_of(code)
    if region is None:
        raise Http404
    form = PlanLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_plan_line(actor=_user(request), data=form.to_input(region.code))
        except actions.GovernanceInputError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Plan line saved."))
            return redirect("governance:local_profile", code=region.code)
    return render(request, "governance/plan_line_form.html", {"form": form, "region": region})


urlpatterns: list[URLPattern] = [
    path("statistics/", stats_dashboard, name="stats_dashboard"),
    path("statistics/publish/", stats_publish, name="stats_publish"),
    path("statistics/dictionary/", stats_dictionary, name="stats_dictionary"),
    path("statistics/export/<slug:table>/<slug:fmt>/", stats_export, name="stats_export"),
    path("places/", local_index, name="local_index"),
    path("places/<str:code>/", local_profile, name="local_profile"),
    path("places/<str:code>/profile.pdf", local_profile_pdf, name="local_profile_pdf"),
    path("places/<str:code>/plan-lines/new/", plan_line_new, name="plan_line_new"),
]
