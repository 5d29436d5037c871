"""Her pages, through HTTP: first wallet, quick entry (also without JavaScript), edits and conflicts, budgets,
goals, debts with the placement-fee ceiling, transfers against the corridor average, monthly entries, the
report."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from perisai.core.models import User
from perisai.finance import actions
from perisai.finance.models import Budget, Debt, Entry, Goal, Recurrence, Wallet


def _quick(client: Client, wallet: Wallet, **values: Any) -> Any:
    data = {
        "id": str(uuid.uuid4()),
        "base_version": "0",
        "wallet": str(wallet.public_id),
        "category": "food",
        "amount": "25,50",
        "occurred_on": "2025-03-12",
    }
    data.update(values)
    return client.post(reverse("finance:quick"), data)


def test_first_visit_asks_for_a_wallet_in_her_countrys_currency(client_m: Client) -> None:
    response = client_m.get(reverse("finance:home"))
    assert response.status_code == 302 and response["Location"] == reverse("finance:wallets")
    page = client_m.get(reverse("finance:wallets"))
    assert page.context["form"].initial["currency"] == "MYR"  # she lives in Malaysia (lapor diri)
    created = client_m.post(reverse("finance:wallets"), {"name": "Tunai", "kind": "cash", "currency": "MYR"})
    assert created.status_code == 302
    assert Wallet.objects.get().currency == "MYR"
    home = client_m.get(reverse("finance:home"))
    assert home.status_code == 200 and "Tunai" in home.content.decode()


def test_quick_entry_without_javascript_saves_once_and_gives_a_tip(
    client_m: Client, wallet: Wallet, migrant: User
) -> None:
    entry_id = str(uuid.uuid4())
    response = _quick(client_m, wallet, id=entry_id, category="phone")
    assert response.status_code == 302 and response["Location"] == reverse("finance:quick")
    again = _quick(client_m, wallet, id=entry_id, category="phone")  # a double tap on "Save"
    assert again.status_code == 302
    entry = Entry.objects.get()
    assert entry.amount_minor == 2550 and entry.category == "phone" and entry.owner == migrant
    page = client_m.get(reverse("finance:quick"))
    texts = [str(m) for m in page.context["messages"]]
    from perisai.finance.tips import tip

    assert tip("phone") in texts


def test_a_mistake_keeps_everything_she_typed(client_m: Client, wallet: Wallet) -> None:
    response = _quick(client_m, wallet, amount="12.345.6", note="beras 5 kg")
    assert response.status_code == 200
    form = response.context["form"]
    assert "amount" in form.errors
    body = response.content.decode()
    assert 'value="beras 5 kg"' in body and 'value="12.345.6"' in body
    assert Entry.objects.count() == 0


def test_the_quick_page_has_three_steps_and_labelled_inputs(client_m: Client, wallet: Wallet) -> None:
    body = client_m.get(reverse("finance:quick")).content.decode()
    assert body.count('name="category"') == 17  # one tile per category
    assert "data-offline-entry" in body and 'inputmode="decimal"' in body
    assert 'rel="manifest"' in body
    for name in ("amount", "occurred_on", "note", "fee", "provider", "rate_received", "received"):
        assert f'for="id_{name}"' in body


def test_edit_with_a_stale_version_shows_the_conflict(
    client_m: Client, wallet: Wallet, migrant: User
) -> None:
    _quick(client_m, wallet)
    entry = Entry.objects.get()
    url = reverse("finance:entry_edit", kwargs={"public_id": entry.public_id})
    form = client_m.get(url).context["form"]
    assert form.initial["base_version"] == 1
    # Meanwhile her phone synced another change.
    actions.do_sync_entries(
        owner=migrant,
        items=[
            actions.EntryItem(
                id=entry.public_id,
                base_version=1,
                wallet=wallet.public_id,
                category="food",
                amount="30",
                occurred_on="2025-03-12",
            )
        ],
    )
    data = {"id": str(entry.public_id), "base_version": "1", "wallet": str(wallet.public_id),
            "category": "transport", "amount": "99", "occurred_on": "2025-03-12"}  # fmt: skip
    response = client_m.post(url, data)
    assert response.status_code == 200 and "finance/conflict.html" in [t.name for t in response.templates]
    entry.refresh_from_db()
    assert entry.amount_minor == 3000 and entry.category == "food"  # not overwritten
    keep_mine = client_m.post(url, {**data, "base_version": "2"})
    assert keep_mine.status_code == 302
    entry.refresh_from_db()
    assert entry.amount_minor == 9900 and entry.version == 3


def test_delete_an_entry(client_m: Client, wallet: Wallet) -> None:
    _quick(client_m, wallet)
    entry = Entry.objects.get()
    url = reverse("finance:entry_edit", kwargs={"public_id": entry.public_id})
    data = {"id": str(entry.public_id), "base_version": "1", "wallet": str(wallet.public_id),
            "category": "food", "amount": "25,50", "occurred_on": "2025-03-12", "delete": "1"}  # fmt: skip
    assert client_m.post(url, data).status_code == 302
    assert Entry.objects.count() == 0


def test_another_migrant_cannot_open_her_entry(client_m: Client, wallet: Wallet, make_migrant: Any) -> None:
    from perisai.conftest import login

    _quick(client_m, wallet)
    entry = Entry.objects.get()
    other = login(Client(), make_migrant())
    url = reverse("finance:entry_edit", kwargs={"public_id": entry.public_id})
    assert other.get(url).status_code == 404
    data = {"id": str(entry.public_id), "base_version": "1", "wallet": str(wallet.public_id),
            "category": "food", "amount": "1", "occurred_on": "2025-03-12", "delete": "1"}  # fmt: skip
    assert other.post(url, data).status_code == 404
    assert Entry.objects.get().amount_minor == 2550


def test_budget_shows_what_is_left_to_spend(client_m: Client, wallet: Wallet) -> None:
    url = reverse("finance:budgets") + "?bulan=2025-03"
    assert client_m.post(url, {"category": "food", "amount": "300"}).status_code == 302
    _quick(client_m, wallet, amount="120")
    _quick(client_m, wallet, amount="80,25")
    report = client_m.get(url).context["report"]
    line = report.budgets[0]
    assert line.left.minor == 9975 and not line.over_budget  # RM 300 - 200,25
    _quick(client_m, wallet, amount="100")
    line = client_m.get(url).context["report"].budgets[0]
    assert line.left.minor == -25 and line.over_budget
    assert client_m.post(url, {"category": "food", "amount": ""}).status_code == 302  # removed
    assert Budget.objects.count() == 0


def test_goal_progress_counts_savings_linked_to_it(client_m: Client, wallet: Wallet) -> None:
    response = client_m.post(
        reverse("finance:goals"),
        {"name": "Modal warung", "target": "5000", "currency": "MYR", "saved_before": "500"},
    )
    assert response.status_code == 302
    goal = Goal.objects.get()
    _quick(client_m, wallet, category="savings", amount="750", goal=str(goal.public_id))
    progress = client_m.get(reverse("finance:goals")).context["progress"][0]
    assert progress.saved.minor == 125000 and progress.percent == 25


def test_placement_fee_above_the_ceiling_is_flagged(client_m: Client, migrant: User) -> None:
    call_command("finance", "load-ceilings")
    response = client_m.post(
        reverse("finance:debts"),
        {
            "kind": "placement_fee", "lender": "PT Agensi", "principal": "15.000.000", "currency": "IDR",
            "destination_country": "MY", "sector": "domestic", "monthly_income": "1800", "income_currency": "MYR",
            "instalments": "6", "first_due": "2025-04-25",
        },
    )  # fmt: skip
    debt = Debt.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "finance:debt_detail", kwargs={"public_id": debt.public_id}
    )
    page = client_m.get(response["Location"])
    view = page.context["view"]
    assert view.ceiling.over and view.ceiling.ceiling is not None and not view.ceiling.ceiling.verified
    assert sum(i.amount_minor for i, _done in view.schedule) == debt.principal_minor
    assert len(view.schedule) == 6 and view.next_due is not None
    body = page.content.decode()
    assert 'role="alert"' in body and "BP2MI" in body


def test_no_warning_where_no_ceiling_is_on_record(client_m: Client) -> None:
    client_m.post(
        reverse("finance:debts"),
        {"kind": "placement_fee", "principal": "5000", "currency": "IDR", "destination_country": "SG",
         "sector": "manufacturing", "instalments": "1", "first_due": "2025-04-25"},
    )  # fmt: skip
    view = client_m.get(reverse("finance:debts")).context["debts"][0]
    assert not view.ceiling.over and view.ceiling.ceiling is None


def test_repayments_linked_to_a_debt_reduce_it(client_m: Client, wallet: Wallet, migrant: User) -> None:
    debt, _check = actions.do_create_debt(
        owner=migrant,
        data=actions.DebtInput(kind="family", principal="900", currency="MYR", first_due=dt.date(2025, 3, 1),
                               instalments=3),
    )  # fmt: skip
    _quick(client_m, wallet, category="loan_repayment", amount="300", debt=str(debt.public_id))
    view = client_m.get(reverse("finance:debt_detail", kwargs={"public_id": debt.public_id})).context["view"]
    assert view.paid.minor == 30000 and view.remaining.minor == 60000
    assert [done for _i, done in view.schedule] == [True, False, False]


def test_monthly_entries_are_written_once_by_the_task(
    client_m: Client, wallet: Wallet, migrant: User
) -> None:
    from perisai.finance.tasks import materialise_recurring_entries

    recurrence = actions.do_create_recurrence(
        owner=migrant,
        data=actions.RecurrenceInput(wallet=wallet.public_id, category="salary", amount="1800", day_of_month=31,
                                     starts_on=dt.date(2025, 1, 1)),
    )  # fmt: skip
    assert recurrence.next_on == dt.date(2025, 1, 31)
    assert actions.do_materialise_recurrences(today=dt.date(2025, 3, 30)) == 2  # 31 Jan, 28 Feb
    assert actions.do_materialise_recurrences(today=dt.date(2025, 3, 30)) == 0
    assert sorted(Entry.objects.values_list("occurred_on", flat=True)) == [
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 28),
    ]
    materialise_recurring_entries.call()  # the periodic task (today's date): the months since, once each
    count = Entry.objects.count()
    materialise_recurring_entries.call()
    assert Entry.objects.count() == count
    stop = client_m.post(reverse("finance:recurrence_stop", kwargs={"public_id": recurrence.public_id}))
    assert stop.status_code == 302 and not Recurrence.objects.get().active


def test_recurrence_page_adds_a_monthly_salary(client_m: Client, wallet: Wallet) -> None:
    response = client_m.post(
        reverse("finance:recurrences"),
        {"category": "salary", "amount": "1800", "wallet": str(wallet.public_id), "day_of_month": "25",
         "starts_on": "2026-01-01"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Recurrence.objects.get().amount_minor == 180000
    assert Entry.objects.filter(category="salary").count() >= 10  # January 2026 up to today, written at once


def test_transfers_page_compares_with_the_corridor_and_her_own_past(
    client_m: Client, wallet: Wallet, rates: None
) -> None:
    from perisai.finance.actions import CorridorRow, do_import_corridor_costs

    do_import_corridor_costs(rows=[CorridorRow(2, "MYS", "IDN", "ATCR.CORR", "2020Q3", "5.39142847061157")])
    _quick(client_m, wallet, category="sending_home", amount="1000", fee="10", rate_received="3450",
           provider="Bank X", sending_country="MY", occurred_on="2024-06-01")  # fmt: skip
    _quick(client_m, wallet, category="sending_home", amount="1000", fee="25", rate_received="3400",
           provider="Agen Y", sending_country="MY", occurred_on="2024-07-01")  # fmt: skip
    page = client_m.get(reverse("finance:transfers"))
    latest, first = page.context["transfers"]
    assert first.cost_percent is not None and float(first.cost_percent) == pytest.approx(2.4286, abs=1e-4)
    assert latest.corridor is not None and latest.corridor.quarter == "2020Q3"
    assert float(latest.cost_percent) == pytest.approx(5.3571, abs=1e-4) and latest.above_target
    assert latest.own_average == first.cost_percent
    body = page.content.decode()
    assert "2020Q3" in body and "data-true-cost" in body


def test_report_shows_her_month_in_both_currencies_and_reconciles(
    client_m: Client, wallet: Wallet, migrant: User, rates: None
) -> None:
    idr = actions.do_create_wallet(owner=migrant, name="Rekening BRI", kind="bank", currency_code="IDR")
    _quick(client_m, wallet, category="salary", amount="1800", occurred_on="2025-03-01")
    _quick(client_m, wallet, category="food", amount="120,10", occurred_on="2025-03-05")
    _quick(
        client_m, wallet, category="food", amount="0,35", occurred_on="2025-02-28"
    )  # February: other month
    _quick(client_m, wallet, category="sending_home", amount="1000", fee="12", rate_received="3550",
           sending_country="MY", occurred_on="2025-03-06")  # fmt: skip
    _quick(client_m, idr, category="food", amount="50.000", occurred_on="2025-03-07")
    response = client_m.get(reverse("finance:report") + "?bulan=2025-03")
    report = response.context["report"]
    assert report.money_in.by_currency == {"MYR": 180000}
    assert report.money_out.by_currency == {"MYR": 12010 + 100000 + 1200, "IDR": 5000000}
    # Rupiah: 3,600 a ringgit in March; exact until shown.
    from decimal import Decimal

    assert report.money_out.idr == Decimal("1132.10") * 3600 + 50000
    shown = [line.total.idr_shown for line in report.spending]
    assert sum(shown) == Decimal(round(report.money_out.idr))  # the table adds up to its total
    codes = {line.code for line in report.spending}
    assert codes == {"food", "sending_home", "transfer_fees"}
    assert report.sent_home_year.by_currency == {"MYR": 100000}
    body = response.content.decode()
    assert "<svg" in body and "Rp" in body
    api = client_m.get("/api/v1/finance/summary", {"month": "2025-03"}).json()
    assert api["money_out"] == {"IDR": "50000.00", "MYR": "1132.10"}
    assert Decimal(api["money_out_idr"]) == report.money_out.idr


def test_every_page_renders_for_her(client_m: Client, wallet: Wallet, migrant: User) -> None:
    _quick(client_m, wallet)
    for name in ("home", "quick", "entries", "wallets", "budgets", "goals", "debts", "transfers",
                 "recurrences", "report", "data"):  # fmt: skip
        response = client_m.get(reverse(f"finance:{name}"))
        assert response.status_code == 200, name
        assert b"<h1>" in response.content


def test_date_inputs_carry_iso_dates_for_the_browser(client_m: Client, wallet: Wallet) -> None:
    _quick(client_m, wallet, occurred_on="2025-03-12")
    entry = Entry.objects.get()
    body = client_m.get(reverse("finance:entry_edit", kwargs={"public_id": entry.public_id})).content.decode()
    assert 'type="date"' in body and 'value="2025-03-12"' in body
    assert f'name="base_version" value="{entry.version}"' in body
