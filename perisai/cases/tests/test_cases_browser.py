"""In headless Chromium on a 360 px phone: a returnee from the arrival list to a supervisor's closure approval,
and a help-bot hand-off that becomes an emergency reaching the officer on duty.

Each user gets their own browser context, signed in with a verified second factor (the session is made by the
test client, as `login` does). Pages are read in English so that the tests do not depend on the catalogues.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from perisai.conftest import PHONE, login
from perisai.core.models import OutboxMessage, User

from ..intake import open_case
from ..models import Case, DutyShift, Referral
from .conftest import CaseWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARRIVALS = (
    "DAFTAR PMI DEPORTASI - PELABUHAN TUNON TAKA NUNUKAN\n"
    "No,Nama,L/P,Tgl Lahir,NIK,Kode Desa,Negara,Keterangan\n"
    "1,Siti Aminah,P,05/09/1995,3507014509950001,35.07.01.2001,Malaysia,Hamil 5 bulan\n"
)


@pytest.fixture
def signed_in(browser: Any, live_server: Any) -> Iterator[Callable[[User], Any]]:
    contexts: list[Any] = []

    def page_for(user: User) -> Any:
        client = login(Client(), user)
        context = browser.new_context(**PHONE, locale="en-US")
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield page_for
    for context in contexts:
        context.close()


def test_returnee_from_arrival_list_to_closure(
    cw: CaseWorld, live_server: Any, signed_in: Callable[[User], Any]
) -> None:
    base = live_server.url
    worker = signed_in(cw.worker)

    # 1. The arrival list from Nunukan.
    worker.goto(base + "/cases/")
    worker.get_by_role("link", name="Arrival lists").click()
    worker.get_by_label("Arrival list (XLSX or CSV)").set_input_files(
        {"name": "deportan-nunukan.csv", "mimeType": "text/csv", "buffer": ARRIVALS.encode()}
    )
    worker.get_by_label("Entry point").select_option("nunukan")
    worker.get_by_label("Arrival date").fill("2026-03-02")
    worker.get_by_label("Deported from (for rows that name no country)").select_option("MY")
    worker.get_by_role("button", name="Import").click()
    assert (
        "1 cases opened, 0 already imported, 0 rows skipped."
        in worker.locator("#import-summary").inner_text()
    )
    case = Case.objects.get()
    worker.get_by_role("link", name=case.code).click()
    worker.wait_for_url(f"**/cases/{case.public_id}/")

    # 2. Intake: she is reached, then assessed.
    worker.get_by_role("button", name="I contacted the person").click()
    worker.wait_for_url(f"**/cases/{case.public_id}/")
    worker.get_by_role("link", name="Assess").click()
    worker.get_by_label("Pregnant").check()
    worker.get_by_label("Withholding of wages").check()
    worker.get_by_label("Risk level").select_option("high")
    worker.get_by_label("Shelter").check()
    worker.get_by_role("button", name="Save the assessment").click()
    worker.wait_for_url(f"**/cases/{case.public_id}/#assessment")
    assert "Withholding of wages" in worker.locator("#assessment").inner_text()

    # 3. Consent to referral, given by her.
    worker.locator("#consent summary").click()
    worker.get_by_label("Purpose").select_option("referral")
    worker.get_by_label("Answer").select_option("yes")
    worker.get_by_label("Given by").select_option("person")
    worker.get_by_role("button", name="Save consent").click()
    worker.wait_for_url("**#consent")

    # 4. Referral to the shelter of her home regency, suggested from her village code.
    worker.get_by_role("link", name="Refer to a service").click()
    assert worker.get_by_label("Rumah Aman Malang").is_checked()
    worker.get_by_label("Note for the provider").fill("Hamil 5 bulan, butuh tempat aman.")
    worker.get_by_role("button", name="Refer", exact=True).click()
    worker.wait_for_url("**#referrals")
    assert "Waiting for an answer" in worker.locator("#referrals").inner_text()

    # 5. The shelter accepts.
    shelter = signed_in(cw.shelter_worker)
    shelter.goto(base + "/cases/inbox/")
    shelter.get_by_role("link", name=case.code).click()
    assert "Hamil 5 bulan, butuh tempat aman." in shelter.content()
    shelter.get_by_label("Accept").check()
    shelter.get_by_role("button", name="Send the answer").click()
    shelter.wait_for_url("**/cases/inbox/")
    assert Referral.objects.get().status == "accepted"

    # 6. The worker asks to close; a supervisor approves.
    worker.reload()
    assert "Accepted" in worker.locator("#referrals").inner_text()
    worker.locator("#closure summary").click()
    worker.get_by_label("Outcome").select_option("reintegrated")
    worker.get_by_label("Why the case can be closed").fill("Tinggal di rumah aman, lalu pulang ke desa.")
    worker.get_by_role("button", name="Ask a supervisor to close it").click()
    worker.wait_for_url("**#closure")

    supervisor = signed_in(cw.supervisor)
    supervisor.goto(base + "/cases/supervision/")
    item = supervisor.locator("li", has_text=case.code).first
    item.get_by_label("Approve").check()
    item.get_by_role("button", name="Sign").click()
    supervisor.wait_for_url("**/cases/supervision/")
    case.refresh_from_db()
    assert case.status == "closed" and case.closure_outcome == "reintegrated"
    assert case.first_contact_at is not None and case.risk_level == "high"
    worker.reload()
    assert (
        "Closed" in worker.locator("h1").inner_text() or "Closed" in worker.locator("#closure").inner_text()
    )
    assert worker.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling on a phone


def test_bot_hand_off_becomes_an_emergency_at_the_top_of_the_officer_on_duty(
    cw: CaseWorld, live_server: Any, signed_in: Callable[[User], Any]
) -> None:
    earlier = open_case(source="call", case_type="wages", urgency="high", summary="Gaji", mission=cw.kl)
    now = timezone.now()
    DutyShift.objects.create(
        user=cw.officer,
        mission=cw.kl,
        phone="+60123456780",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=8),
    )
    case = open_case(
        source="helpdesk",
        case_type="violence",
        urgency="emergency",
        summary="Majikan memukul saya, saya dikunci di kamar.",
        subject_name="Rina",
        contact="telegram:5550001",
        mission=cw.kl,
        transcript="BANTU. Majikan memukul saya.",
        transcript_consented=True,
        link_type="helpdesk.conversation",
        link_id="conv-77",
    )
    messages = OutboxMessage.objects.filter(object_type="cases.case", object_id=str(case.pk))
    assert {(m.channel, m.recipient) for m in messages} == {
        ("platform", f"user:{cw.officer.pk}"),
        ("sms", "+60123456780"),
    }
    officer = signed_in(cw.officer)
    officer.goto(live_server.url + "/cases/")
    banner = officer.get_by_role("alert")
    assert case.code in banner.inner_text() and "Emergencies waiting for first contact" in banner.inner_text()
    first = officer.locator("#queue li").first
    assert case.code in first.inner_text() and "Emergency" in first.inner_text()
    assert earlier.code in officer.locator("#queue li").nth(1).inner_text()
    assert "Rina" not in officer.locator("#queue").inner_text()  # a violence case: the name is hidden
    first.get_by_role("link", name=case.code).click()
    officer.get_by_role("button", name="I contacted the person").click()
    officer.wait_for_url(f"**/cases/{case.public_id}/")
    case.refresh_from_db()
    assert case.first_contact_at is not None and case.assigned_to == cw.officer


def test_field_intake_keeps_working_offline_and_syncs_once(
    cw: CaseWorld, live_server: Any, signed_in: Callable[[User], Any]
) -> None:
    page = signed_in(cw.worker)
    page.goto(live_server.url + "/cases/field/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null || true")
    page.context.set_offline(True)
    page.reload()  # the service worker serves the kept page
    page.get_by_label("Name of the person").fill("Yanti")
    page.get_by_label("Home village code (Kemendagri)").fill("35.07.01.2001")
    page.get_by_label("Type of case").select_option("reintegration")
    page.get_by_label("What happened, what they need").fill("Tiba di pos lintas batas, demam.")
    page.get_by_label("Sick").check()
    page.get_by_label("Anonymous reporting (statistics)").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_function("document.getElementById('field-status').textContent.includes('waiting')")
    assert Case.objects.count() == 0
    assert "waiting to be sent" in page.locator("#field-records").inner_text()
    page.context.set_offline(False)
    # Headless Chromium's network emulation does not dispatch the "online" event a real phone does.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(
        "document.getElementById('field-status').textContent.includes('Everything is sent')"
    )
    case = Case.objects.get()
    assert case.subject_name == "Yanti" and case.vulnerabilities == 1 and case.reporting_consent
    assert case.code in page.locator("#field-records").inner_text()
    page.evaluate("window.perisaiField.sync()")  # a second sync sends nothing new
    assert Case.objects.count() == 1
