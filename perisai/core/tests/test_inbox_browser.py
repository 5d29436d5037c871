"""In headless Chromium: a migrant sees a new platform message in the menu, opens it, and it is read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from perisai.core.actions import do_deliver_inbox_message
from perisai.core.models import InboxMessage, User
from perisai.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_migrant_reads_her_platform_message(
    live_server: Any, phone_page: Any, make_user: Callable[..., User]
) -> None:
    wati = make_user(Role.MIGRANT, username="wati")
    message = do_deliver_inbox_message(
        user=wati,
        subject="Perisai: SIAGA 2 di Kuala Lumpur",
        body="Tetap di rumah dan isi daftar hadir: https://perisai.example/c/abc\nKBRI Kuala Lumpur",
        idempotency_key="alert:1:1:0",
    )
    page, base = phone_page, live_server.url
    page.goto(base + "/accounts/login/")
    page.get_by_label("Nama pengguna").fill("wati")
    page.get_by_label("Kata sandi").fill("a-long-test-password")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(base + "/")

    menu_item = page.locator("nav.main a[href='/messages/']")
    assert menu_item.locator(".count").inner_text() == "(1)"
    menu_item.click()
    page.wait_for_url(base + "/messages/")
    page.get_by_role("link", name="SIAGA 2 di Kuala Lumpur").click()
    page.wait_for_url(f"{base}/messages/{message.public_id}/")
    assert "Perisai: SIAGA 2 di Kuala Lumpur" in page.locator("h1").inner_text()
    link = page.get_by_role("link", name="https://perisai.example/c/abc")
    assert link.get_attribute("href") == "https://perisai.example/c/abc"  # links in the text can be followed
    assert page.locator("nav.main .count").count() == 0
    message.refresh_from_db()
    assert InboxMessage.objects.get(pk=message.pk).read_at is not None
