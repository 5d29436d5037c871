"""The governance hub: where each part of the module starts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from perisai.core.permissions import requires
from perisai.core.roles import Cap

from . import selectors
from .models import Assessment, Framework, PlanAction, Practice, Training


@requires(Cap.STATS_VIEW)
def home(request: HttpRequest) -> HttpResponse:
    release = selectors.latest_release()
    return render(
        request,
        "governance/home.html",
        {
            "release": release,
            "total": selectors.stat_table(release, "people_abroad").total,
            "frameworks": Framework.objects.count(),
            "assessments": Assessment.objects.count(),
            "actions": PlanAction.objects.count(),
            "trainings": Training.objects.count(),
            "practices": Practice.objects.count(),
        },
    )
