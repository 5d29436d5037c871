"""Drills: the plan's chain on an exercise crisis, with how long each step took."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from perisai.core.roles import Role
from perisai.crisis.actions import do_refresh_roster
from perisai.crisis.evacuation import actions
from perisai.crisis.evacuation.models import Drill, Leg
from perisai.crisis.models import Alert, CallDownAssignment, CrisisArea, TimelineEntry
from perisai.places.models import Mission

from . import factories

pytestmark = pytest.mark.django_db


def test_a_drill_runs_on_an_exercise_copy_and_times_each_step(
    staff: Callable[..., Client], kyiv: Mission
) -> None:
    officer = staff()
    plan = factories.plan(officer.user, kyiv, seats=8)  # type: ignore[attr-defined]
    no_version = officer.post(reverse("evacuation:drill_start", args=[plan.public_id]), follow=True)
    assert (
        "Publish the plan before running a drill." in no_version.content.decode()
        and not Drill.objects.exists()
    )
    actions.do_publish_plan(plan=plan, actor=officer.user)  # type: ignore[attr-defined]
    response = officer.post(reverse("evacuation:drill_start", args=[plan.public_id]))
    drill = Drill.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "evacuation:drill_detail", args=[drill.public_id]
    )
    assert drill.crisis.exercise and drill.crisis.status == "active" and drill.crisis.type == "armed_conflict"
    area = CrisisArea.objects.get(crisis=drill.crisis)
    assert area.name == "Kyiv tengah" and area.level == 3 and area.geometry["radius_km"] == 15.0
    assert drill.operation is not None and drill.operation.exercise
    assert Leg.objects.get(operation=drill.operation).seats == 8

    # Siaga 3 -> 1, a decision on record.
    missing = officer.post(
        reverse("evacuation:drill_level", args=[drill.public_id]),
        {"area": str(area.public_id), "level": "1", "reason": ""},
    )
    assert missing.status_code == 200
    area.refresh_from_db()
    assert area.level == 3
    officer.post(
        reverse("evacuation:drill_level", args=[drill.public_id]),
        {"area": str(area.public_id), "level": "1", "reason": "Drill: shelling"},
    )
    area.refresh_from_db()
    assert area.level == 1 and TimelineEntry.objects.filter(crisis=drill.crisis, kind="level").exists()
    page = officer.get(reverse("evacuation:drill_detail", args=[drill.public_id])).content.decode()
    assert "Evakuasi" in page  # the plan's actions at Siaga 1

    # The plan's warden (given to the crisis module when the plan was published) gets a call-down list.
    factories.population(kyiv)
    do_refresh_roster(crisis=drill.crisis)
    officer.post(reverse("evacuation:drill_call_down", args=[drill.public_id]))
    assert CallDownAssignment.objects.filter(crisis=drill.crisis, warden__name="Pak Budi").count() == 11

    # The exercise alert: drafted by the officer, approved by someone else (two-person rule).
    officer.post(
        reverse("evacuation:drill_alert", args=[drill.public_id]),
        {"body_id": "LATIHAN", "body_en": "EXERCISE"},
    )
    alert = Alert.objects.get(crisis=drill.crisis)
    assert alert.exercise and alert.status == "draft"
    assert (
        officer.post(
            reverse("evacuation:drill_alert_approve", args=[drill.public_id, alert.public_id])
        ).status_code
        == 403
    )
    supervisor = staff(Role.SUPERVISOR)
    supervisor.post(reverse("evacuation:drill_alert_approve", args=[drill.public_id, alert.public_id]))
    alert.refresh_from_db()
    assert alert.status == "sending" and alert.approved_by == supervisor.user  # type: ignore[attr-defined]

    page = officer.get(reverse("evacuation:drill_detail", args=[drill.public_id])).content.decode()
    assert "Siaga 1 declared" in page and "Alert approved" in page
    from django.utils.translation import override

    from perisai.crisis.evacuation.selectors import drill_steps

    with override("en"):
        steps = {s.label: s for s in drill_steps(drill=drill)}
    assert steps["Siaga 1 declared"].at is not None and steps["Alert approved"].took is not None
    assert steps["Evacuation plan ready"].at is None

    officer.post(reverse("evacuation:drill_finish", args=[drill.public_id]))
    drill.refresh_from_db()
    assert drill.finished_at is not None and drill.crisis.status == "closed"
