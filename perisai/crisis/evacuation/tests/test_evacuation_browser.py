"""Done when: in headless Chromium on a phone-sized screen, an officer runs an exercise — a plan for a scenario,
a crisis raised to Siaga 1, an evacuation plan with a shortage that is explained, a manifest, boarding (offline,
then synced), arrival and hand-over, and the after-action report.

Elements are found by their ids and form actions, not by their words, so the test holds in Indonesian and in
English alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from perisai.core.models import User
from perisai.core.roles import Role
from perisai.crisis.evacuation.models import Drill, Evacuee, Lesson, Manifest, PlanRun, PlanVersion
from perisai.crisis.evacuation.tokens import boarding_token
from perisai.crisis.models import CrisisArea
from perisai.places.models import Mission

from . import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference"),
]


def _worker() -> None:
    call_command("worker", batch=True, queues="*", no_scheduler=True)


def _sign_in(page: Any, base: str, user: User) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "a-long-test-password")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/accounts/two-factor/**")
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    page.fill(
        "#id_token", f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    )
    page.click("main form button[type=submit]")
    page.wait_for_url(base + "/")


def _submit(page: Any, selector: str = "main form[method=post] button[type=submit]") -> None:
    with page.expect_navigation():
        page.click(selector)


def _add(
    page: Any, base: str, plan_id: str, section: str, fields: dict[str, str], selects: dict[str, str]
) -> None:
    page.goto(f"{base}/evacuation/plans/{plan_id}/{section}/add/")
    for name, value in fields.items():
        page.fill(f"#id_{name}", value)
    for name, label in selects.items():
        page.locator(f"#id_{name}").select_option(label=label)
    _submit(page)


def test_officer_runs_an_exercise_on_a_phone(
    live_server: Any, phone_page: Any, make_user: Callable[..., User]
) -> None:
    kyiv = Mission.objects.get(code="kbri-kyiv")
    officer = make_user(Role.MISSION_OFFICER, username="petugas-kyiv", missions=[kyiv])
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    people = factories.population(kyiv)  # 11 people in the area, 1 outside
    page, base = phone_page, live_server.url
    _sign_in(page, base, officer)
    assert page.locator("html").get_attribute("lang") == "id"

    # 1. A contingency plan for a scenario (conflict), with one bus of 8 seats for 11 people.
    page.goto(base + "/evacuation/plans/new/")
    page.locator("#id_mission").select_option(str(kyiv.pk))
    page.locator("#id_scenario").select_option("conflict")
    page.fill("#id_title", "Rencana kontinjensi Kyiv")
    _submit(page)
    plan_id = page.url.rstrip("/").split("/")[-1]
    lat, lon = factories.KYIV
    _add(
        page,
        base,
        plan_id,
        "zones",
        {"name": "Kyiv tengah", "lat": str(lat), "lon": str(lon), "radius_km": "15"},
        {},
    )
    _add(
        page,
        base,
        plan_id,
        "triggers",
        {"indicators": "Serangan di kota", "actions": "Evakuasi lewat darat"},
        {"level": "Siaga 1"},
    )
    _add(
        page,
        base,
        plan_id,
        "wardens",
        {"name": "Pak Budi", "phone": "+380501234567"},
        {"zone": "Kyiv tengah"},
    )
    _add(
        page,
        base,
        plan_id,
        "sites",
        {"name": "Sekolah KBRI", "lat": str(lat + 0.01), "lon": str(lon), "capacity": "100"},
        {"zone": "Kyiv tengah"},
    )
    page.goto(f"{base}/evacuation/plans/{plan_id}/transport/add/")
    page.locator("#id_mode").select_option("bus")
    page.fill("#id_provider", "PO Lviv")
    page.fill("#id_seats", "8")
    page.fill("#id_lead_time_hours", "6")
    page.locator("#id_departs_from").select_option(label="Sekolah KBRI")
    page.fill("#id_destination", "Rzeszów")
    _submit(page)
    assert (
        page.locator("#readiness li.check-missing").count() >= 1
    )  # e.g. no safe haven yet: shown, not hidden
    page.fill("#id_note", "Versi pertama")
    _submit(page, "form[action$='/publish/'] button")
    assert PlanVersion.objects.filter(plan__public_id=plan_id, number=1).exists()

    # 2. The drill: an exercise crisis from the plan's zone, raised to Siaga 1.
    _submit(page, "form[action$='/drill/'] button")
    drill = Drill.objects.get()
    assert drill.crisis.exercise
    page.locator("#id_level").select_option("1")
    page.fill("#id_reason", "Latihan: serangan di kota")
    _submit(page, "form[action$='/level/'] button")
    assert CrisisArea.objects.get(crisis=drill.crisis).level == 1
    page.click("details summary")
    _submit(page, "form[action$='/alert/'] button")
    _worker()  # the roster of the exercise crisis: who is in the zone

    # 3. The evacuation plan, on the task queue, with a shortage that is explained.
    assert drill.operation is not None
    page.goto(f"{base}/evacuation/ops/{drill.operation.public_id}/plan/")
    _submit(page, "main form.card button[type=submit]")
    _worker()
    page.wait_for_selector("#bound", timeout=20000)  # htmx polls until the plan is ready
    run = PlanRun.objects.get()
    assert run.status == "done" and run.result is not None and run.result["assigned"] == 8
    assert page.locator("li.shortfall").count() == 1
    one_more = page.locator("li.one-more").first.inner_text()
    assert "8" in one_more and "3" in one_more  # a bus of 8 more seats would move the 3 left
    assert page.locator("[data-reason]").count() >= 1

    # 4. The manifest.
    page.locator("#plan-result a[href*='/evacuation/legs/']").first.click()
    page.wait_for_load_state()
    _submit(page, "form[action$='/manifest/'] button")
    manifest = Manifest.objects.get()
    assert manifest.count == 8
    pdf = page.request.get(base + page.locator("a[href$='.pdf']").first.get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    # 5. Boarding at the assembly point, on the phone, offline first.
    with page.expect_navigation():
        page.click("a[href$='/board/']")
    page.wait_for_selector("#boarding[data-offline-ready='1']", timeout=20000)
    page.context.set_offline(True)
    page.fill("#id_document", "C1234567")  # Sari's passport, typed
    page.click("#board-form button[type=submit]")
    page.wait_for_selector("#results li.wait")
    assert "Sari" in page.locator("#results li.wait").inner_text()  # known offline from the leg's list
    page.reload()  # offline: the service worker serves the page, the queue is still there
    page.wait_for_selector("#results li.wait")
    sari = Evacuee.objects.get(person=people["Sari"])
    assert sari.boarded_at is None
    page.context.set_offline(False)
    page.click("#sync-now")
    page.wait_for_selector("#results li.scan-result:not(.wait):not(.bad)")
    sari.refresh_from_db()
    assert sari.boarded_at is not None and sari.consent == "given"
    for name in ("Andi", "Putri", "Bagus"):  # her family's QR codes
        page.evaluate(
            "t => window.perisaiBoarding.scanned(t)",
            boarding_token(Evacuee.objects.get(person=people[name]).pk),
        )
    page.wait_for_function("document.querySelectorAll('#results li.scan-result:not(.wait)').length >= 4")
    assert Evacuee.objects.exclude(boarded_at=None).count() == 4

    # 6. Arrival and hand-over to the home regions.
    with page.expect_navigation():
        page.click("main > div > p > a[href*='/evacuation/legs/']")
    _submit(page, "form[action$='/status/']:has(input[value=arrived]) button")
    assert Evacuee.objects.exclude(arrived_at=None).count() == 4
    for box in page.locator("input[name=evacuee]").all():
        box.check()
    _submit(page, "form[action$='/handover/'] button")
    handed = Evacuee.objects.exclude(handed_over_at=None)
    assert handed.count() == 4 and set(handed.values_list("handed_over_region", flat=True)) == {"35.07"}

    # 7. The after-action report.
    page.goto(f"{base}/evacuation/ops/{drill.operation.public_id}/after/")
    page.locator("#id_kind").select_option("improve")
    page.fill("#id_text", "Nomor telepon warden sudah lama tidak diperiksa.")
    _submit(page, "form[action$='/lesson/'] button")
    assert Lesson.objects.count() == 1
    report = page.request.get(base + page.locator("a[href*='report.pdf']").first.get_attribute("href"))
    assert report.status == 200 and report.body().startswith(b"%PDF")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1  # nothing wider than the phone
