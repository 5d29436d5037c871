from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from perisai.core.permissions import PUBLIC, requires
from perisai.core.roles import Cap

from . import selectors
from .models import Mission


@requires(Cap.PLACES_VIEW)
def missions(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    country = request.GET.get("country", "")[:2].upper() or None
    return render(
        request,
        "places/missions.html",
        {"missions": selectors.list_missions(country=country, query=query), "q": query},
    )


@requires(Cap.PLACES_VIEW)
def mission_detail(request: HttpRequest, code: str) -> HttpResponse:
    mission = get_object_or_404(Mission.objects.select_related("country"), code=code, active=True)
    return render(
        request,
        "places/mission_detail.html",
        {"mission": mission, "jurisdictions": mission.jurisdictions.all()},
    )


@requires(PUBLIC)
def region_options(request: HttpRequest) -> HttpResponse:
    """htmx partial for the searchable village picker (public reference data)."""
    query = (request.GET.get("q") or request.GET.get("village_query") or "")[:100]
    regions = selectors.search_regions(query=query, level=4, limit=15) if query.strip() else []
    return render(
        request,
        "places/_region_options.html",
        {"regions": [(r, selectors.region_path(r)) for r in regions]},
    )
