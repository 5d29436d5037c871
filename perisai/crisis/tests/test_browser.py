"""Done when: in headless Chromium, a crisis goes from a feed event to a declared crisis with two areas at
different Siaga levels, an approved alert, check-ins through the personal link (on a 360 px phone) and
through a signed WhatsApp webhook delivery, a "need help" that becomes a case (contract 1), and the
dashboard's accounted share."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from perisai.core.models import OutboxMessage, User
from perisai.core.roles import Role
from perisai.crisis.inbound import handle_checkin_reply
from perisai.crisis.ingest import poll_feed
from perisai.crisis.models import Alert, CheckIn, Crisis, CrisisStatus, RosterEntry
from perisai.places.models import Country, Mission, MissionJurisdiction
from perisai.registry.models import Consent, Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _sign_in(page: Any, base: str, user: User) -> None:
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.get_by_label("Nama pengguna").fill(user.username)
    page.get_by_label("Kata sandi").fill("a-long-test-password")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/accounts/two-factor/**")
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Kode enam digit").fill(f"{code:06d}")
    page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url(base + "/")


def _whatsapp_delivery(wa_id: str, text: str) -> dict[str, Any]:
    """A WhatsApp Cloud API webhook delivery of one text message (the provider's format)."""
    message = {"from": wa_id, "id": f"wamid.{wa_id}1", "timestamp": "1763805600", "type": "text",
               "text": {"body": text}}  # fmt: skip
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
        "contacts": [{"profile": {"name": "Pekerja"}, "wa_id": wa_id}],
        "messages": [message],
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
    }


def _drain() -> None:
    for _ in range(4):
        call_command("worker", batch=True, queues="*", no_scheduler=True)


def test_from_feed_event_to_accounted_share(
    live_server: Any, phone_page: Any, desktop_page: Any, make_user: Callable[..., User], settings: Any
) -> None:
    Country.objects.create(iso2="MY", iso3="MYS", name="Malaysia")
    kl = Mission.objects.create(
        code="kbri-kuala-lumpur", type="embassy", abbr="KBRI", name="KBRI Kuala Lumpur", city="Kuala Lumpur",
        country_id="MY", lat=3.139, lon=101.687, hotline="+60 12-345 0000",
    )  # fmt: skip
    MissionJurisdiction.objects.create(mission=kl, country_id="MY")
    people = []
    for i, (lat, lon) in enumerate([(3.14, 101.69), (3.15, 101.70), (3.12, 101.68), (3.25, 101.45)]):
        person = Person.objects.create(
            full_name=f"Pekerja {i}", name_key=f"pekerja {i}", country_id="MY", mission=kl, lat=lat, lon=lon,
            phone=f"+6012345000{i}", preferred_channel="sms", vulnerabilities=8 if i == 2 else 0,
        )  # fmt: skip
        Consent.objects.create(person=person, purpose="crisis_contact", granted=True)
        people.append(person)
    officer = make_user(Role.MISSION_OFFICER, username="petugas", missions=[kl])
    head = make_user(Role.SUPERVISOR, username="kepala", missions=[kl])
    for user in (officer, head):
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    base = live_server.url

    # 1. The periodic feed poll brings a CAP flood warning: a suggested crisis, not declared.
    poll_feed(
        {"name": "MET Malaysia (test)", "parser": "cap", "url": f"file://{FIXTURES / 'cap_flood_alert.xml'}"}
    )
    crisis = Crisis.objects.get()
    assert crisis.status == CrisisStatus.SUGGESTED and crisis.suggested_count == 3

    # 2. The officer declares it and gives it two areas at different Siaga levels.
    page = desktop_page
    _sign_in(page, base, officer)
    page.goto(base + "/crisis/")
    page.locator(f"a[href='/crisis/{crisis.public_id}/']").first.click()
    page.locator("#status-select").select_option("active")
    page.locator("#status-reason").fill("Banjir dikonfirmasi KBRI")
    page.locator("form[action$='/status/'] button").click()
    page.wait_for_load_state()
    page.locator(f"a[href='/crisis/{crisis.public_id}/areas/new/']").click()
    page.locator("#id_name").fill("Klang Valley")
    page.locator("#id_level").select_option("1")
    page.locator("#id_method_2").check()
    page.locator("#id_lat").fill("3.2")
    page.locator("#id_lon").fill("101.55")
    page.locator("#id_radius_km").fill("30")
    page.locator("button[name=preview]").click()
    assert page.locator(".map svg").count() == 1
    page.locator("button[name=save]").click()
    page.wait_for_url(f"**/crisis/{crisis.public_id}/")
    feed_area = crisis.areas.get(source="feed")
    page.locator(f"form[action='/crisis/areas/{feed_area.public_id}/level/'] select").select_option("2")
    page.locator(f"form[action='/crisis/areas/{feed_area.public_id}/level/'] input[name=reason]").fill(
        "Air naik di pusat kota"
    )
    page.locator(f"form[action='/crisis/areas/{feed_area.public_id}/level/'] button").click()
    page.wait_for_load_state()
    assert sorted(crisis.areas.values_list("level", flat=True)) == [1, 2]
    assert page.locator(".siaga-1").count() >= 1 and page.locator(".siaga-2").count() >= 1

    # 3. She drafts an alert; the head of mission approves it; the outbox sends it.
    page.goto(base + f"/crisis/{crisis.public_id}/alerts/new/")
    assert "GSM-7" in page.locator("#parts-id").inner_text()
    page.locator("button[name=save]").click()
    page.wait_for_url("**/crisis/alerts/**")
    alert = Alert.objects.get()
    assert page.locator("form[action$='/approve/']").count() == 0  # not by the drafter
    _sign_in(page, base, head)
    page.goto(base + f"/crisis/alerts/{alert.public_id}/")
    page.locator("form[action$='/approve/'] button").click()
    page.wait_for_load_state()
    _drain()
    alert.refresh_from_db()
    assert alert.status == Alert.Status.SENT and alert.recipients_count == 4
    bodies = {m.recipient: m.body for m in OutboxMessage.objects.filter(object_type="crisis.alert")}
    assert all(m.status == "sent" for m in OutboxMessage.objects.filter(object_type="crisis.alert"))

    # 4. On her phone, worker 0 opens her personal link and says she is safe (no sign-in, no script).
    link = re.search(r"https?://[^/\s]+(/crisis/k/[^/\s]+/)", bodies["+60123450000"])
    assert link is not None
    phone_page.goto(base + link.group(1))
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    phone_page.locator("#id_message").fill("Di asrama, aman")
    phone_page.locator("button[name=status][value=safe]").click()
    phone_page.wait_for_load_state()
    assert phone_page.locator("#checkin-ref").count() == 1

    # 5. Worker 1 replies by SMS (contract 2, as the SMS gateway's webhook calls it); worker 2 asks for help
    # on WhatsApp: Meta's signed webhook delivery, posted to the platform's WhatsApp webhook.
    assert handle_checkin_reply(channel="sms", sender="+60123450001", text="AMAN") is not None
    settings.PERISAI_CHANNELS = {
        **settings.PERISAI_CHANNELS,
        "whatsapp": {
            "TYPE": "whatsapp", "APP_SECRET": "wa-app-secret", "VERIFY_TOKEN": "wa-verify",
            "ACCESS_TOKEN": "token", "PHONE_NUMBER_ID": "106540352242922", "BASE_URL": "http://127.0.0.1:9",
        },
    }  # fmt: skip
    delivery = json.dumps(_whatsapp_delivery("60123450002", "TOLONG air sudah sepinggang")).encode()
    signature = "sha256=" + hmac.new(b"wa-app-secret", delivery, hashlib.sha256).hexdigest()
    answer = Client().post(
        "/api/v1/helpdesk/channels/whatsapp/webhook",
        delivery,
        content_type="application/json",
        headers={"X-Hub-Signature-256": signature},
    )
    assert answer.status_code == 200
    _drain()
    entry = RosterEntry.objects.get(crisis=crisis, person=people[2])
    assert entry.status == "need_help" and entry.case_code, "the need-help report opened a case"
    assert CheckIn.objects.count() == 3

    # 6. The dashboard: 3 of 4 accounted for, the need-help queue links the case.
    page.goto(base + f"/crisis/{crisis.public_id}/")
    assert page.locator("#accounted-share").inner_text().strip() == "75%"
    assert entry.case_code in page.content()


def test_share_my_location_only_when_pressed_and_the_page_works_without_script(
    live_server: Any, browser: Any, world: Any
) -> None:
    from django.urls import reverse
    from django.utils import timezone

    from perisai.conftest import PHONE
    from perisai.crisis.tokens import checkin_token

    crisis = Crisis.objects.create(
        title="Banjir KL", type="flood", country_id="MY", status="active", declared_at=timezone.now()
    )
    sri, budi, lina = (world.make_person() for _ in range(3))

    def link(person: Person) -> str:
        return live_server.url + reverse(
            "crisis:checkin", kwargs={"token": checkin_token(crisis.pk, person.pk)}
        )

    # The phone allows the location: nothing is asked until she presses the button, then it goes with her answer.
    here = {"latitude": 3.14123, "longitude": 101.68654}
    context = browser.new_context(**PHONE, locale="en-GB", geolocation=here, permissions=["geolocation"])
    page = context.new_page()
    page.goto(link(sri))
    share = page.get_by_role("button", name="Share my location")
    assert share.is_visible() and page.locator("#id_lat").input_value() == ""
    share.click()
    page.get_by_text("Your location will be sent with your answer.").wait_for()
    page.get_by_role("button", name="I need help").click()
    page.locator("#checkin-ref").wait_for()
    shared = CheckIn.objects.get(person=sri)
    assert (shared.status, shared.lat, shared.lon) == ("need_help", 3.14123, 101.68654)
    context.close()
    # The phone refuses: she is told, and can write the place instead.
    context = browser.new_context(**PHONE, locale="en-GB")
    page = context.new_page()
    page.goto(link(budi))
    page.get_by_role("button", name="Share my location").click()
    page.get_by_text("Your location could not be found.").wait_for()
    page.locator("#id_message").fill("Di Cheras")
    page.get_by_role("button", name="I am safe").click()
    page.locator("#checkin-ref").wait_for()
    refused = CheckIn.objects.get(person=budi)
    assert refused.lat is None and refused.message == "Di Cheras"
    context.close()
    # No JavaScript at all: no button, and the form works the same.
    context = browser.new_context(**PHONE, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.goto(link(lina))
    assert not page.get_by_role("button", name="Share my location").is_visible()
    page.get_by_role("button", name="I am not in the area").click()
    page.locator("#checkin-ref").wait_for()
    assert CheckIn.objects.get(person=lina).status == "not_there"
    context.close()
