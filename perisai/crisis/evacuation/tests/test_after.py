"""After the crisis: costs and lessons entered by staff, and the after-action report from the records."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from perisai.crisis.actions import do_refresh_roster
from perisai.crisis.evacuation import actions
from perisai.crisis.evacuation.models import CostItem, Evacuee, Lesson, StayReason
from perisai.crisis.evacuation.pdf import build_after_action
from perisai.crisis.evacuation.selectors import after_action, time_to_account
from perisai.crisis.evacuation.tokens import boarding_token
from perisai.crisis.models import RosterEntry
from perisai.places.models import Mission

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(staff: Callable[..., Client], kyiv: Mission) -> dict[str, Any]:
    client = staff()
    user = client.user  # type: ignore[attr-defined]
    plan = factories.plan(user, kyiv, seats=20)
    people = factories.population(kyiv)
    crisis = factories.crisis(user, kyiv)
    do_refresh_roster(crisis=crisis)
    operation = actions.do_start_operation(
        crisis=crisis, mission=kyiv, actor=user, plan_version=actions.do_publish_plan(plan=plan, actor=user)
    )
    run = actions.do_request_plan_run(operation=operation, actor=user, time_limit_s=5)
    actions.execute_plan_run(run_id=run.pk)
    for name in ("Dedi", "Nur"):
        actions.do_record_stay(
            evacuee=Evacuee.objects.get(operation=operation, person=people[name]), actor=user, reason="family"
        )
    leg = operation.legs.get()
    for evacuee in Evacuee.objects.filter(operation=operation, stayed_at=None):
        actions.do_record_scan(
            leg=leg, actor=user, client_uuid=str(uuid.uuid4()), token=boarding_token(evacuee.pk)
        )
    actions.do_set_leg_status(leg=leg, actor=user, status="arrived")
    return {"client": client, "operation": operation, "crisis": crisis, "leg": leg}


def test_costs_and_lessons_from_staff(finished: dict[str, Any]) -> None:
    client, operation = finished["client"], finished["operation"]
    url = reverse("evacuation:operation_cost", args=[operation.public_id])
    bad = client.post(
        url, {"category": "transport", "description": "Bus", "amount": "lots", "currency": "UAH"}
    )
    assert bad.status_code == 200 and "Enter an amount" in bad.content.decode()
    assert 'value="Bus"' in bad.content.decode() and not CostItem.objects.exists()
    client.post(
        url,
        {"category": "transport", "description": "Bus Kyiv-Rzeszów", "amount": "12500,50", "currency": "uah"},
    )
    client.post(
        reverse("evacuation:operation_lesson", args=[operation.public_id]),
        {
            "kind": "improve",
            "text": "Wardens' phone numbers were old.",
            "recommendation": "Check them every quarter.",
        },
    )
    cost = CostItem.objects.get()
    assert str(cost.amount) == "12500.50" and cost.currency == "UAH"
    assert Lesson.objects.get().kind == "improve"
    page = client.get(reverse("evacuation:operation_after", args=[operation.public_id])).content.decode()
    assert "Bus Kyiv-Rzeszów" in page and "Check them every quarter." in page


def test_after_action_report_is_computed_from_the_records(finished: dict[str, Any]) -> None:
    crisis, operation = finished["crisis"], finished["operation"]
    roster = list(RosterEntry.objects.filter(crisis=crisis).order_by("pk"))
    assert len(roster) == 11
    start = crisis.declared_at
    for i, entry in enumerate(roster[:10]):  # ten of eleven answered, one every ten minutes
        RosterEntry.objects.filter(pk=entry.pk).update(
            first_accounted_at=start + dt.timedelta(minutes=10 * (i + 1))
        )
    shares = dict(time_to_account(crisis=crisis))
    assert shares[0.5] == dt.timedelta(minutes=60)  # the 6th of 11
    assert shares[0.9] == dt.timedelta(minutes=100)  # the 10th of 11
    assert shares[0.99] is None  # the 11th never answered
    report = after_action(operation=operation)
    assert report.roster == 11 and report.accounted == 10 and report.moved == 9
    assert report.legs[0]["boarded"] == 9
    assert report.stayed == [{"reason": str(StayReason.FAMILY.label), "n": None, "suppressed": True}]
    assert report.timeline and report.timeline == sorted(report.timeline, key=lambda t: t[0])
    for language, title in (("en", "After-action report"), ("id", None)):
        doc = build_after_action(report, language=language)
        text = "\n".join(doc.texts)
        assert crisis.title in text and "<5" in text
        if title:
            assert title in text and "1 h 0 min" in text and "not reached" in text
    response = finished["client"].get(
        reverse("evacuation:operation_after_pdf", args=[operation.public_id]) + "?lang=en"
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_timezone_awareness_of_the_timeline(finished: dict[str, Any]) -> None:
    report = after_action(operation=finished["operation"])
    assert all(timezone.is_aware(at) for at, _text in report.timeline)
