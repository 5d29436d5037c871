"""Done-when: on a phone, in Indonesian, a woman goes through an emergency, a wage problem and a hand-off;
an officer answers from the queue and the answer reaches her page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from perisai.conftest import PHONE, login
from perisai.core.models import User
from perisai.core.roles import Role
from perisai.helpdesk.models import Conversation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("places"),
]

BOT = "#chat-log .msg.bot"


def say(page: Any, text: str) -> None:
    page.locator("#chat-text").fill(text)
    page.locator("#chat-send").click()


def option(page: Any, starts: str) -> None:
    page.locator(
        "#chat-log .msg.bot .options button", has_text=re.compile("^" + re.escape(starts))
    ).last.click()


def test_emergency_wage_problem_hand_off_and_an_officer_answers(
    live_server: Any, browser: Any, make_user: Callable[..., User]
) -> None:
    base = live_server.url
    phone = browser.new_context(**PHONE, locale="id-ID")
    phone.grant_permissions(["geolocation"], origin=base)
    phone.set_geolocation({"latitude": 3.1579, "longitude": 101.7116})
    page = phone.new_page()
    page.set_default_timeout(15000)

    # 1. An emergency: numbers of the country, the mission, her location shared, a human on the way.
    page.goto(base + "/helpdesk/chat/")
    assert page.locator("#quick-exit").is_visible()
    say(page, "tolong saya dipukul majikan sekarang, saya takut")
    page.locator(BOT, has_text="Di negara atau kota mana").wait_for()
    say(page, "Kuala Lumpur")
    page.locator(BOT, has_text="999").wait_for()
    assert "KBRI Kuala Lumpur" in page.locator("#chat-log").inner_text()
    page.locator("#chat-log .msg.bot .options button").last.click()  # share my location
    page.locator(BOT, has_text="Lokasi Anda sudah diteruskan").wait_for()
    option(page, "1.")  # staff may read the conversation
    page.locator(BOT, has_text="Petugas akan membalas di sini").wait_for()
    emergency = Conversation.objects.get(urgency="emergency")
    assert emergency.status == "handoff" and emergency.mission is not None
    assert emergency.mission.code == "kbri-kuala-lumpur" and emergency.location_encrypted
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert not [c for c in phone.cookies() if c["name"] == "sessionid"]

    # Quick exit: three presses of Shift replace the page with a neutral one.
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url("**/helpdesk/resep/")
    assert "Perisai" not in page.content()

    # 2. A wage problem, in her own words, then a hand-off to a person.
    page.goto(base + "/helpdesk/chat/")
    say(page, "gaji saya sudah 3 bulan belum dibayar majikan")
    page.locator(BOT, has_text="Gaji yang tidak dibayar").wait_for()
    option(page, "1.")  # talk to a staff member
    page.locator(BOT, has_text="Bolehkah petugas membaca").wait_for()
    option(page, "1.")  # yes
    page.locator(BOT, has_text="bolehkah kami menghubungi Anda lagi").wait_for()
    option(page, "1.")  # at any time
    page.locator(BOT, has_text="Petugas akan membalas di sini").wait_for()
    wages = Conversation.objects.get(topic="wages")
    assert wages.status == "handoff" and wages.transcript_consent is True

    # 3. The supervisor on duty at KBRI Kuala Lumpur (who also places conversations not yet located)
    # answers from the queue.
    officer = make_user(Role.SUPERVISOR, username="piket", missions=[emergency.mission])
    client = login(Client(), officer)
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    desk.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
    staff = desk.new_page()
    staff.set_default_timeout(15000)
    staff.goto(base + "/helpdesk/antrean/")
    rows = staff.locator("#queue-rows tr")
    assert emergency.short_code in rows.nth(0).inner_text()  # emergencies first
    staff.get_by_role("link", name=wages.short_code).click()
    staff.wait_for_url(f"**/helpdesk/percakapan/{wages.public_id}/")
    assert "gaji saya sudah 3 bulan" in staff.content()
    staff.locator("form[action$='/balas/'] textarea").fill(
        "Halo Bu, saya petugas KBRI. Kami akan bantu soal gaji Anda."
    )
    staff.locator("form[action$='/balas/'] button[type=submit]").click()
    staff.wait_for_url(f"**/helpdesk/percakapan/{wages.public_id}/")

    # ... and she sees it on her phone without reloading.
    page.locator("#chat-log .msg.staff", has_text="saya petugas KBRI").wait_for(timeout=20000)
    phone.close()
    desk.close()
