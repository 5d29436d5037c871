"""Her finances belong to her alone: no staff role (administrators included) opens them through a page, the
API or the Django admin; every denial leaves everything as it was."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from perisai.conftest import login
from perisai.core.models import AuditEvent, User
from perisai.core.roles import STAFF_ROLES, Role
from perisai.finance import actions
from perisai.finance.models import Budget, Debt, Entry, Goal, Recurrence, Remittance, Wallet

from .conftest import item


@pytest.fixture
def her_data(migrant: User, wallet: Wallet, rates: None) -> dict[str, Any]:
    goal = actions.do_create_goal(
        owner=migrant, data=actions.GoalInput(name="Rumah", target="900", currency="MYR")
    )
    debt, _ = actions.do_create_debt(
        owner=migrant,
        data=actions.DebtInput(
            kind="placement_fee", principal="9000000", currency="IDR", first_due=dt.date(2025, 4, 1)
        ),
    )
    recurrence = actions.do_create_recurrence(
        owner=migrant,
        data=actions.RecurrenceInput(
            wallet=wallet.public_id, category="salary", amount="1800", day_of_month=25
        ),
    )
    entry = item(wallet=wallet.public_id, category="sending_home", amount="500", rate_received="3400")
    actions.do_sync_entries(owner=migrant, items=[entry])
    return {
        "entry": Entry.objects.get(public_id=entry.id),
        "wallet": wallet,
        "goal": goal,
        "debt": debt,
        "recurrence": recurrence,
    }


def _state() -> tuple[Any, ...]:
    return (
        list(Entry.objects.values_list("public_id", "amount_minor", "version")),
        list(Wallet.objects.values_list("public_id", "archived")),
        Goal.objects.count(), Debt.objects.count(), Budget.objects.count(),
        list(Recurrence.objects.values_list("active", flat=True)), Remittance.objects.count(),
    )  # fmt: skip


def _her_urls(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(method, url) for every page that shows or changes her finances."""
    e, w, g, d, r = (data[k].public_id for k in ("entry", "wallet", "goal", "debt", "recurrence"))
    return [
        ("get", reverse("finance:home")),
        ("get", reverse("finance:quick")),
        ("post", reverse("finance:quick")),
        ("get", reverse("finance:entries")),
        ("get", reverse("finance:entry_edit", kwargs={"public_id": e})),
        ("post", reverse("finance:entry_edit", kwargs={"public_id": e})),
        ("get", reverse("finance:wallets")),
        ("post", reverse("finance:wallet_archive", kwargs={"public_id": w})),
        ("get", reverse("finance:budgets")),
        ("post", reverse("finance:budgets")),
        ("get", reverse("finance:goals")),
        ("post", reverse("finance:goal_delete", kwargs={"public_id": g})),
        ("get", reverse("finance:debts")),
        ("get", reverse("finance:debt_detail", kwargs={"public_id": d})),
        ("post", reverse("finance:debt_delete", kwargs={"public_id": d})),
        ("get", reverse("finance:transfers")),
        ("get", reverse("finance:recurrences")),
        ("post", reverse("finance:recurrence_stop", kwargs={"public_id": r})),
        ("get", reverse("finance:report")),
        ("get", reverse("finance:data")),
        ("get", reverse("finance:export")),
        ("post", reverse("finance:import")),
        ("post", reverse("finance:erase")),
    ]


@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_no_staff_role_opens_or_changes_her_finances(
    role: str, her_data: dict[str, Any], make_user: Any
) -> None:
    staff = make_user(role)  # an administrator is also a Django superuser
    client = login(Client(), staff)
    before, audit_before = _state(), AuditEvent.objects.count()
    for method, url in _her_urls(her_data):
        payload = {
            "confirm": "on",
            "id": str(her_data["entry"].public_id),
            "delete": "1",
            "base_version": "1",
        }
        response = client.post(url, payload) if method == "post" else client.get(url)
        assert response.status_code == 403, f"{role} {method} {url}: {response.status_code}"
    for url in ("/api/v1/finance/wallets", "/api/v1/finance/entries", "/api/v1/finance/summary"):
        assert client.get(url).status_code == 403, url
    sync = client.post(
        "/api/v1/finance/sync",
        json.dumps({"items": [{"id": str(her_data["entry"].public_id), "deleted": True, "base_version": 1}]}),
        content_type="application/json",
    )
    assert sync.status_code == 403
    assert _state() == before and AuditEvent.objects.count() == audit_before


def test_an_administrator_token_cannot_reach_them_either(her_data: dict[str, Any], make_user: Any) -> None:
    from perisai.core.actions import do_create_api_token

    admin_user = make_user(Role.ADMIN)
    _token, raw = do_create_api_token(
        actor=admin_user, owner=admin_user, name="x", scopes=["self.service", "tokens.manage"], days=1
    )
    response = Client().get("/api/v1/finance/entries", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 403


def test_finance_records_are_not_in_the_django_admin() -> None:
    registered = {model._meta.app_label for model in admin.site._registry}
    assert "finance" not in registered


def test_another_migrant_gets_not_found(her_data: dict[str, Any], make_migrant: Any) -> None:
    other = login(Client(), make_migrant())
    before = _state()
    for method, url in _her_urls(her_data):
        if "<" in url or not any(str(her_data[k].public_id) in url for k in her_data):
            continue
        response = other.post(url, {"confirm": "on"}) if method == "post" else other.get(url)
        assert response.status_code == 404, url
    assert _state() == before
    # Her lists show him nothing of hers.
    assert other.get(reverse("finance:wallets")).context["balances"] == []
    exported = b"".join(other.get(reverse("finance:export")).streaming_content)  # type: ignore[attr-defined]
    assert str(her_data["entry"].public_id).encode() not in exported


def test_anonymous_visitors_are_sent_to_sign_in(her_data: dict[str, Any]) -> None:
    client = Client()
    for method, url in _her_urls(her_data):
        response = client.post(url) if method == "post" else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert client.get("/api/v1/finance/entries").status_code == 401


def test_opening_a_record_is_audited_for_her_own_trail(client_m: Client, her_data: dict[str, Any]) -> None:
    url = reverse("finance:debt_detail", kwargs={"public_id": her_data["debt"].public_id})
    assert client_m.get(url).status_code == 200
    event = AuditEvent.objects.filter(action="view", object_type="finance.debt").latest("at")
    assert event.object_id == str(her_data["debt"].pk) and event.details == {}


def test_public_ids_only_in_urls(client_m: Client, her_data: dict[str, Any]) -> None:
    body = client_m.get(reverse("finance:home")).content.decode()
    assert str(uuid.UUID(str(her_data["entry"].public_id))) in body
    assert f"/entri/{her_data['entry'].pk}/" not in body
