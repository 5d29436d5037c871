"""The offline queue's sync call: idempotent by UUID, edits carry a version, conflicts are answered, a bad
item never stops the others, and nothing is lost (property-based)."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perisai.core.models import AuditEvent, User
from perisai.finance import actions
from perisai.finance.models import Entry, Remittance, Wallet

from .conftest import item

URL = "/api/v1/finance/sync"


def _sync(client: Client, items: list[dict[str, Any]]) -> Any:
    response = client.post(
        URL, json.dumps({"items": items}), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200, response.content
    return response.json()


def _payload(wallet: Wallet, **values: Any) -> dict[str, Any]:
    base = {
        "id": str(uuid.uuid4()),
        "wallet": str(wallet.public_id),
        "category": "food",
        "amount": "12,50",
        "occurred_on": "2025-03-10",
        "note": "pasar",
    }
    base.update(values)
    return base


def test_sync_creates_once_however_often_it_is_sent(client_m: Client, wallet: Wallet) -> None:
    entry = _payload(wallet)
    first = _sync(client_m, [entry])
    assert first["results"][0]["status"] == "created" and first["results"][0]["version"] == 1
    assert first["results"][0]["tip"]  # a literacy tip tied to what she did
    again = _sync(client_m, [entry, entry])  # the answer was lost, the phone sends it again (twice)
    assert [r["status"] for r in again["results"]] == ["unchanged", "unchanged"]
    stored = Entry.objects.get()
    assert str(stored.public_id) == entry["id"] and stored.amount_minor == 1250 and stored.currency == "MYR"
    assert stored.kind == "out" and stored.note == "pasar"


def test_an_edit_against_the_current_version_applies_and_an_old_one_conflicts(
    client_m: Client, wallet: Wallet
) -> None:
    entry = _payload(wallet)
    _sync(client_m, [entry])
    edited = _sync(client_m, [{**entry, "amount": "15", "base_version": 1}])["results"][0]
    assert edited["status"] == "updated" and edited["version"] == 2
    # A second phone edits the first version, offline: shown as a conflict, nothing overwritten.
    stale = _sync(client_m, [{**entry, "amount": "99", "base_version": 1}])["results"][0]
    assert stale["status"] == "conflict" and stale["version"] == 2
    assert stale["server"]["amount"] == "15.00" and stale["server"]["version"] == 2
    assert Entry.objects.get().amount_minor == 1500
    # She chooses hers: sent again against the version she was shown.
    kept = _sync(client_m, [{**entry, "amount": "99", "base_version": 2}])["results"][0]
    assert kept["status"] == "updated" and Entry.objects.get().amount_minor == 9900


def test_delete_needs_the_current_version_and_an_edit_of_a_deleted_entry_is_shown(
    client_m: Client, wallet: Wallet
) -> None:
    entry = _payload(wallet)
    _sync(client_m, [entry])
    refused = _sync(client_m, [{**entry, "deleted": True, "base_version": 0}])["results"][0]
    assert refused["status"] == "conflict" and Entry.objects.count() == 1
    gone = _sync(client_m, [{**entry, "deleted": True, "base_version": 1}])["results"][0]
    assert gone["status"] == "deleted" and Entry.objects.count() == 0
    assert (
        _sync(client_m, [{**entry, "deleted": True, "base_version": 1}])["results"][0]["status"] == "deleted"
    )
    late_edit = _sync(client_m, [{**entry, "amount": "3", "base_version": 1}])["results"][0]
    assert late_edit["status"] == "conflict" and late_edit["server"] is None
    assert Entry.objects.count() == 0  # never recreated silently


def test_a_bad_item_is_reported_and_the_others_are_saved(client_m: Client, wallet: Wallet) -> None:
    good, bad = _payload(wallet), _payload(wallet, amount="12.345.6", category="nonsense")
    body = _sync(client_m, [bad, good])
    statuses = {r["id"]: r for r in body["results"]}
    assert statuses[good["id"]]["status"] == "created"
    problem = statuses[bad["id"]]
    assert problem["status"] == "invalid" and set(problem["errors"]) == {"amount", "category"}
    assert body["counts"] == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "conflict": 0,
        "invalid": 1,
    }
    assert Entry.objects.count() == 1


def test_errors_are_translated(client_m: Client, wallet: Wallet) -> None:
    response = client_m.post(
        URL,
        json.dumps({"items": [_payload(wallet, amount="")]}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="id",
    )
    from django.utils import translation

    with translation.override("id"):
        expected = translation.gettext("Enter an amount.")
    assert response.json()["results"][0]["errors"]["amount"] == [expected]


def test_someone_elses_entry_id_cannot_be_taken_over(
    client_m: Client, wallet: Wallet, make_migrant: Any
) -> None:
    from perisai.conftest import login

    entry = _payload(wallet)
    _sync(client_m, [entry])
    other = make_migrant()
    other_wallet = actions.do_create_wallet(owner=other, name="Cash", kind="cash", currency_code="MYR")
    body = _sync(
        login(Client(), other), [{**entry, "wallet": str(other_wallet.public_id), "base_version": 1}]
    )
    assert body["results"][0]["status"] == "invalid"
    assert Entry.objects.get().owner_id != other.pk and Entry.objects.get().amount_minor == 1250


def test_a_transfer_home_records_its_true_cost(client_m: Client, wallet: Wallet, rates: None) -> None:
    transfer = _payload(
        wallet, category="sending_home", amount="1000", fee="10", rate_received="3450",
        provider="Bank X", sending_country="MY", occurred_on="2024-06-01",
    )  # fmt: skip
    assert _sync(client_m, [transfer])["results"][0]["status"] == "created"
    remittance = Remittance.objects.get()
    assert remittance.received_minor == 345000000  # Rp 3.450.000,00
    assert remittance.reference_rate == Decimal(3500)
    assert remittance.cost_percent is not None
    assert remittance.cost_percent.quantize(Decimal("0.0001")) == Decimal("2.4286")
    # Given as rupiah received instead of a rate: the same cost.
    other = _payload(wallet, category="sending_home", amount="1000", fee="10", received="3.450.000",
                     sending_country="MY", occurred_on="2024-06-02")  # fmt: skip
    _sync(client_m, [other])
    second = Remittance.objects.get(entry__public_id=other["id"])
    assert second.rate_received == Decimal(3450) and second.cost_percent == remittance.cost_percent
    # A rate without an amount received is asked for.
    missing = _payload(wallet, category="sending_home", provider="Bank X", occurred_on="2024-06-02")
    assert _sync(client_m, [missing])["results"][0]["errors"] == {
        "rate_received": ["Enter the exchange rate you got, or the rupiah your family received."]
    }


def test_sync_is_audited_without_amounts(client_m: Client, wallet: Wallet) -> None:
    _sync(client_m, [_payload(wallet, note="rahasia")])
    event = AuditEvent.objects.filter(action="finance.sync").get()
    assert event.details["created"] == 1
    assert "rahasia" not in json.dumps(event.details) and "12" not in json.dumps(event.details)


def test_sync_refuses_a_batch_that_is_too_large(client_m: Client, wallet: Wallet) -> None:
    items = [_payload(wallet) for _ in range(actions.MAX_BATCH + 1)]
    response = client_m.post(URL, json.dumps({"items": items}), content_type="application/json")
    assert response.status_code == 422 and Entry.objects.count() == 0


def test_sync_needs_csrf_from_the_browser(migrant: User, wallet: Wallet) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(migrant)
    response = client.post(URL, json.dumps({"items": [_payload(wallet)]}), content_type="application/json")
    assert response.status_code in (401, 403) and Entry.objects.count() == 0


# ---- nothing lost: whatever the order and repetition, the stored state is the last accepted write ----

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.lists(
        st.tuples(amounts, st.sampled_from(["food", "salary", "phone", "rent"])), min_size=1, max_size=12
    ),
    repeats=st.lists(st.integers(min_value=0, max_value=11), max_size=12),
)
def test_property_sync_loses_nothing_and_duplicates_nothing(
    migrant: User, wallet: Wallet, values: list[tuple[Decimal, str]], repeats: list[int]
) -> None:
    Entry.objects.filter(owner=migrant).delete()
    items = [item(wallet=wallet.public_id, amount=str(a), category=c) for a, c in values]
    resent = [items[i % len(items)] for i in repeats]  # the phone resends some (lost answers)
    actions.do_sync_entries(owner=migrant, items=items)
    actions.do_sync_entries(owner=migrant, items=resent + items)
    stored = {e.public_id: e for e in Entry.objects.filter(owner=migrant)}
    assert len(stored) == len(items)
    for sent, (amount, category) in zip(items, values, strict=True):
        entry = stored[sent.id]
        assert Decimal(entry.amount_minor) / 100 == amount and entry.category == category
        assert entry.version == 1
    # The wallet balance reconciles exactly with what was sent.
    expected = sum((a if c == "salary" else -a) for a, c in values)
    balance = sum((e.amount_minor if e.kind == "in" else -e.amount_minor) for e in stored.values())
    assert Decimal(balance) / 100 == expected


@pytest.mark.parametrize("n", [3])
def test_the_same_new_entry_twice_in_one_batch_keeps_the_later(migrant: User, wallet: Wallet, n: int) -> None:
    first = item(wallet=wallet.public_id, amount="1")
    later = item(id=first.id, wallet=wallet.public_id, amount=str(n))
    summary = actions.do_sync_entries(owner=migrant, items=[first, later])
    assert [r.status for r in summary.results] == ["created", "created"]
    assert Entry.objects.get().amount_minor == n * 100
