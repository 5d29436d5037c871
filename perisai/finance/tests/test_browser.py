"""Done when: on a phone-sized screen and OFFLINE, she records a salary in ringgit, expenses and a transfer
home; back online they sync; the transfer's true cost is shown against the corridor average; a placement-fee
debt above the ceiling is flagged; the report shows her month.

Selectors use field names, not label texts, so the test holds in either language."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from perisai.conftest import shared_data
from perisai.core.models import User
from perisai.finance import actions
from perisai.finance.models import Debt, Entry, Remittance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, base: str, user: User) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])


def _write(page: Any, category: str, amount: str, **extra: str) -> None:
    page.locator(f"label.fin-cat-{category}").click()
    page.fill("#id_amount", amount)
    for name, value in extra.items():
        if name == "sending_country":
            page.select_option(f"#id_{name}", value)
        else:
            page.fill(f"#id_{name}", value)
    page.locator("button.fin-save").click()
    page.wait_for_function("document.querySelector('#id_amount').value === ''")


def test_offline_salary_expenses_and_transfer_then_sync_cost_debt_and_report(
    live_server: Any, phone_page: Any, make_migrant: Any, rates: None
) -> None:
    call_command("finance", "import-rpw", str(shared_data("remittance", "rpw_corridors_to_indonesia.csv")))
    call_command("finance", "load-ceilings")
    user = make_migrant(country="MY", sector="domestic")
    actions.do_create_wallet(owner=user, name="Tunai", kind="cash", currency_code="MYR")
    page, base = phone_page, live_server.url
    _sign_in(page, base, user)

    # Online once: the app installs itself (service worker) and keeps the entry screens on the phone.
    page.goto(base + "/finance/")
    page.wait_for_function(
        "navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=20000
    )
    page.goto(base + "/finance/catat/")
    page.wait_for_function(
        "caches.keys().then(k => Promise.all(k.map(n => caches.open(n).then(c => c.match('/finance/catat/')))))"
        ".then(r => r.some(Boolean))"
    )

    # Offline: the entry screen still opens and entries queue on the phone.
    page.context.set_offline(True)
    page.goto(base + "/finance/catat/")
    assert page.locator("form[data-offline-entry]").is_visible()
    # (Chromium may still say navigator.onLine after an offline navigation; the network is what counts.)
    assert page.evaluate("fetch('/finance/laporan/').then(() => 'online', () => 'offline')") == "offline"
    _write(page, "salary", "1.800")
    _write(page, "food", "120,50")
    _write(page, "phone", "30")
    _write(
        page, "sending_home", "1000", fee="12", provider="Bank X", rate_received="3450", sending_country="MY"
    )
    page.wait_for_function("document.querySelectorAll('[data-queued=pending]').length === 4")
    assert Entry.objects.count() == 0  # nothing left the phone

    # Back online: one tap sends them all, once.
    page.context.set_offline(False)
    page.locator("[data-sync-now]").click()
    page.wait_for_function("document.querySelectorAll('[data-queued]').length === 0")
    assert Entry.objects.filter(owner=user).count() == 4
    salary = Entry.objects.get(category="salary")
    assert (salary.amount_minor, salary.currency, salary.kind) == (180000, "MYR", "in")
    assert Remittance.objects.get().provider == "Bank X"
    page.locator("[data-sync-now]").click()  # sending again adds nothing
    page.wait_for_timeout(500)
    assert Entry.objects.count() == 4

    # The transfer's true cost against the World Bank corridor average.
    page.goto(base + "/finance/kiriman/")
    cost = page.locator("[data-true-cost]").first.inner_text()
    assert cost.startswith("5,4") or cost.startswith("5.4")  # 1.2 % fee + 4.17 % exchange margin
    corridor = page.locator("[data-corridor]").first.inner_text()
    assert "2020Q3" in corridor and ("5,4" in corridor or "5.4" in corridor)

    # A placement fee above the ceiling on record is flagged.
    page.goto(base + "/finance/utang/")
    page.select_option("#id_kind", "placement_fee")
    page.fill("#id_principal", "15.000.000")
    page.select_option("#id_currency", "IDR")
    page.fill("#id_monthly_income", "1800")
    page.fill("#id_instalments", "6")
    assert page.input_value("#id_first_due") == timezone.localdate().isoformat()
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url("**/finance/utang/*/")
    assert page.locator(".fin-alert[role=alert]").is_visible()
    debt = Debt.objects.get()
    assert (debt.destination_country, debt.sector, debt.principal_minor) == ("MY", "domestic", 1_500_000_000)

    # The report shows her month.
    page.goto(base + "/finance/laporan/")
    summary = page.locator("[data-month-summary]").inner_text()
    assert "1.800,00" in summary or "1,800.00" in summary
    assert page.locator("svg.chart").count() >= 2
    assert timezone.localdate().strftime("%Y") in page.locator("h1").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the report is wider than the phone: {width}px"


def test_an_offline_edit_that_conflicts_is_shown_and_she_chooses(
    live_server: Any, phone_page: Any, make_migrant: Any
) -> None:
    user = make_migrant()
    wallet = actions.do_create_wallet(owner=user, name="Tunai", kind="cash", currency_code="MYR")
    entry = actions.EntryItem(id=uuid.uuid4(), wallet=wallet.public_id, category="food",
                              amount="10", occurred_on=timezone.localdate())  # fmt: skip
    actions.do_sync_entries(owner=user, items=[entry])
    page, base = phone_page, live_server.url
    _sign_in(page, base, user)
    page.goto(base + "/finance/")
    page.wait_for_function(
        "navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=20000
    )
    page.goto(base + f"/finance/entri/{entry.id}/")
    assert page.input_value("#id_occurred_on") == timezone.localdate().isoformat()

    page.context.set_offline(True)
    page.fill("#id_amount", "12")
    page.locator("button.fin-save").click()
    page.wait_for_selector("[data-queued=pending]")
    # Meanwhile, from another phone, the same entry is changed.
    actions.do_sync_entries(
        owner=user,
        items=[actions.EntryItem(id=entry.id, base_version=1, wallet=wallet.public_id, category="food",
                                 amount="15", occurred_on=timezone.localdate())],
    )  # fmt: skip

    page.context.set_offline(False)
    page.locator("[data-sync-now]").click()
    conflict = page.locator("[data-queued=conflict]")
    conflict.wait_for()
    assert "15.00" in conflict.inner_text()  # the saved version is shown beside hers
    assert Entry.objects.get().amount_minor == 1500  # nothing overwritten
    conflict.locator("button").first.click()  # "keep mine"
    page.wait_for_function("document.querySelectorAll('[data-queued]').length === 0")
    stored = Entry.objects.get()
    assert stored.amount_minor == 1200 and stored.version == 3

    # Signing out on a shared phone drops her pages kept for offline use (the app's files stay).
    def kept() -> list[str]:
        return page.evaluate(
            "caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(c => c.keys()))))"
            ".then(lists => lists.flat().map(r => new URL(r.url).pathname))"
        )

    assert "/finance/catat/" in kept()
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_url("**/accounts/login/**")
    paths = kept()
    assert not [p for p in paths if p.startswith("/finance/") and p != "/finance/offline/"], paths
    assert any(p.startswith("/static/") for p in paths)
