"""Dashboards (aggregates for every staff role with stats.view) and exports (tables; the scoped case list)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from perisai.core.permissions import request_user as _user
from perisai.core.permissions import requires
from perisai.core.roles import Cap

from . import exports, forms, reports
from .selectors import list_cases_visible_to


def _filters(request: HttpRequest) -> tuple[forms.DashboardFilterForm, reports.ReportFilters]:
    form = forms.DashboardFilterForm(request.GET or None)
    if form.is_valid():
        province = form.cleaned_data["province"] or ""
        return form, reports.ReportFilters(
            province=province if province.isdigit() else "", since=form.cleaned_data["since"]
        )
    return form, reports.ReportFilters()


@requires(Cap.STATS_VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    return render(
        request,
        "cases/dashboard.html",
        {"form": form, "tables": reports.dashboard(filters), "query": request.GET.urlencode()},
    )


@requires(Cap.STATS_VIEW)
def dashboard_export(request: HttpRequest, table: str) -> HttpResponse:
    fmt = request.GET.get("format", "csv")
    _form, filters = _filters(request)
    protected = reports.dashboard_table(filters, table) if fmt in exports.FORMATS else None
    if protected is None:
        raise Http404
    return exports.export_table(user=_user(request), table=protected, fmt=fmt, filters=filters.as_details())


@requires(Cap.CASE_VIEW)
def case_export(request: HttpRequest) -> HttpResponse:
    """The cases the user may see, by case code (no names, contacts or sensitive sections)."""
    fmt = request.GET.get("format", "csv")
    if fmt not in exports.FORMATS:
        raise Http404
    user = _user(request)
    cases = list_cases_visible_to(user=user)
    status = request.GET.get("status", "")
    if status in ("open", "closure_requested", "closed"):
        cases = cases.filter(status=status)
    return exports.export_cases(user=user, cases=cases, fmt=fmt)


urlpatterns: list[URLPattern] = [
    path("reports/", dashboard, name="dashboard"),
    path("reports/<slug:table>/export/", dashboard_export, name="dashboard_export"),
    path("export/", case_export, name="export"),
]
