"""URL samples for the permission-matrix test (perisai/core/tests/test_permission_matrix.py). The records
belong to the matrix's migrant, so that she opens them (200) and every staff role is refused (403)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def _migrant(world: dict[str, Any]) -> Any:
    from perisai.core.roles import Role

    return world["users"][Role.MIGRANT]


def _wallet(world: dict[str, Any]) -> Any:
    from perisai.finance.actions import do_create_wallet
    from perisai.finance.models import Wallet

    user = _migrant(world)
    return Wallet.objects.filter(owner=user).first() or do_create_wallet(
        owner=user, name="Cash", kind="cash", currency_code="MYR"
    )


def _entry(world: dict[str, Any]) -> dict[str, Any]:
    import uuid

    from perisai.finance.actions import EntryItem, do_sync_entries

    entry_id = uuid.uuid4()
    wallet = _wallet(world)
    do_sync_entries(
        owner=_migrant(world),
        items=[
            EntryItem(
                id=entry_id, wallet=wallet.public_id, category="food", amount="5", occurred_on="2025-03-01"
            )
        ],
    )
    return {"public_id": entry_id}


def _goal(world: dict[str, Any]) -> dict[str, Any]:
    from perisai.finance.actions import GoalInput, do_create_goal

    goal = do_create_goal(owner=_migrant(world), data=GoalInput(name="Rumah", target="100", currency="MYR"))
    return {"public_id": goal.public_id}


def _debt(world: dict[str, Any]) -> dict[str, Any]:
    from perisai.finance.actions import DebtInput, do_create_debt

    debt, _check = do_create_debt(
        owner=_migrant(world),
        data=DebtInput(kind="family", principal="100", currency="MYR", first_due=dt.date(2025, 4, 1)),
    )
    return {"public_id": debt.public_id}


def _recurrence(world: dict[str, Any]) -> dict[str, Any]:
    from perisai.finance.actions import RecurrenceInput, do_create_recurrence

    recurrence = do_create_recurrence(
        owner=_migrant(world),
        data=RecurrenceInput(wallet=_wallet(world).public_id, category="salary", amount="10", day_of_month=1),
    )
    return {"public_id": recurrence.public_id}


def _ceiling(world: dict[str, Any]) -> dict[str, Any]:
    from perisai.finance.models import PlacementFeeCeiling

    ceiling, _created = PlacementFeeCeiling.objects.get_or_create(
        country="MY", sector="", defaults={"amount_minor": 0, "legal_basis": "test"}
    )
    return {"pk": ceiling.pk}


SAMPLES = {
    "finance:entry_edit": _entry,
    "finance:wallet_archive": lambda w: {"public_id": _wallet(w).public_id},
    "finance:goal_delete": _goal,
    "finance:debt_detail": _debt,
    "finance:debt_delete": _debt,
    "finance:recurrence_stop": _recurrence,
    "finance:ceiling_edit": _ceiling,
}
POST_ONLY = {
    "finance:wallet_archive",
    "finance:goal_delete",
    "finance:debt_delete",
    "finance:recurrence_stop",
    "finance:import",
    "finance:erase",
}
