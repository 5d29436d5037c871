"""The evacuation API shares the pages' actions and scopes."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from perisai.crisis.actions import do_refresh_roster
from perisai.crisis.evacuation import actions
from perisai.crisis.evacuation.models import Evacuee, PlanVersion
from perisai.crisis.evacuation.tokens import boarding_token
from perisai.places.models import Mission

from . import factories

pytestmark = pytest.mark.django_db
API = "/api/v1/evacuation"


def test_plans_readiness_publish_and_scope(staff: Callable[..., Client], kyiv: Mission) -> None:
    client = staff()
    plan = factories.plan(client.user, kyiv)  # type: ignore[attr-defined]
    [row] = client.get(f"{API}/plans").json()
    assert row["public_id"] == str(plan.public_id) and row["version"] == 0 and row["mission"] == "kbri-kyiv"
    checks = {c["code"]: c["status"] for c in client.get(f"{API}/plans/{plan.public_id}/readiness").json()}
    assert checks["published"] == "missing" and checks["triggers"] == "ok"
    response = client.post(
        f"{API}/plans/{plan.public_id}/publish", {"note": "v1"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["number"] == 1
    outsider = staff(missions=[Mission.objects.get(code="kbri-kuala-lumpur")])
    assert outsider.get(f"{API}/plans").json() == []
    assert (
        outsider.post(
            f"{API}/plans/{plan.public_id}/publish", {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert PlanVersion.objects.count() == 1


def test_plan_run_and_scans_through_the_api(
    staff: Callable[..., Client], kyiv: Mission, django_capture_on_commit_callbacks: Any
) -> None:
    client = staff()
    user = client.user  # type: ignore[attr-defined]
    factories.population(kyiv)
    crisis = factories.crisis(user, kyiv)
    do_refresh_roster(crisis=crisis)
    operation = actions.do_start_operation(
        crisis=crisis,
        mission=kyiv,
        actor=user,
        plan_version=actions.do_publish_plan(plan=factories.plan(user, kyiv, seats=8), actor=user),
    )
    assert client.get(f"{API}/operations/{operation.public_id}/plan").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{API}/operations/{operation.public_id}/plan-runs",
            {"time_limit_s": 5},
            content_type="application/json",
        )
    assert response.status_code == 202 and response.json()["status"] == "queued"
    call_command("worker", batch=True, queues="*", no_scheduler=True)
    latest = client.get(f"{API}/operations/{operation.public_id}/plan").json()
    assert latest["status"] == "done" and latest["result"]["assigned"] == 8
    assert latest["result"]["explanation"]["one_more_leg"][0]["would_move"] == 3
    assert latest["result"]["bound"] <= latest["result"]["total_distance_km"]
    evacuee = Evacuee.objects.filter(operation=operation).exclude(assigned_leg=None).first()
    assert evacuee is not None and evacuee.assigned_leg is not None
    scan = {"client_uuid": str(uuid.uuid4()), "token": boarding_token(evacuee.pk), "consent": True}
    url = f"{API}/legs/{evacuee.assigned_leg.public_id}/scans"
    first = client.post(url, {"scans": [scan]}, content_type="application/json").json()
    again = client.post(url, {"scans": [scan]}, content_type="application/json").json()
    assert (
        first == again and first[0]["outcome"] == "boarded" and first[0]["evacuee"] == str(evacuee.public_id)
    )
    assert [o["public_id"] for o in client.get(f"{API}/operations").json()] == [str(operation.public_id)]
