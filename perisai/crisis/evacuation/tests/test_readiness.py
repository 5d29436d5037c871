"""The readiness checklist: what is missing or stale."""

from __future__ import annotations

import datetime as dt
from typing import Any

from perisai.crisis.evacuation.readiness import call_tree, check_readiness

TODAY = dt.date(2026, 11, 22)
PUBLISHED = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def _content(**changes: Any) -> dict[str, Any]:
    fresh = TODAY.isoformat()
    content: dict[str, Any] = {
        "zones": [{"id": 1, "name": "Centre", "lat": 0, "lon": 0, "radius_km": 5, "checked_on": fresh}],
        "triggers": [{"id": i, "level": i, "checked_on": fresh} for i in (1, 2, 3)],
        "wardens": [{"id": 1, "zone": 1, "checked_on": fresh}],
        "sites": [
            {"id": 1, "kind": "assembly", "name": "School", "zone": 1, "capacity": 50, "checked_on": fresh},
            {
                "id": 2,
                "kind": "safe_haven",
                "name": "Border",
                "zone": None,
                "capacity": 500,
                "checked_on": fresh,
            },
        ],
        "transport": [
            {
                "id": 1,
                "provider": "Bus co",
                "departs_from": 1,
                "seats": 40,
                "trips": 2,
                "to_indonesia": True,
                "checked_on": fresh,
            }
        ],
        "stocks": [{"id": 1, "item": "Water", "expires_on": None, "checked_on": fresh}],
        "partners": [{"id": 1, "partner": "IOM", "valid_until": None, "checked_on": fresh}],
        "roles": [
            {"id": 1, "title": "Head", "reports_to": None, "checked_on": fresh},
            {"id": 2, "title": "Deputy", "reports_to": 1, "checked_on": fresh},
        ],
    }
    content.update(changes)
    return content


def _status(checks: list[Any]) -> dict[str, str]:
    return {c.code: c.status for c in checks}


def test_a_complete_plan_is_ready() -> None:
    checks = check_readiness(_content(), today=TODAY, registered={1: 40}, published_at=PUBLISHED)
    assert all(c.ok for c in checks), [c.message for c in checks if not c.ok]


def test_missing_parts_are_named() -> None:
    content = _content(
        triggers=[{"id": 3, "level": 3, "checked_on": TODAY.isoformat()}],
        wardens=[],
        stocks=[],
        roles=[{"id": 1, "title": "A", "reports_to": None}, {"id": 2, "title": "B", "reports_to": None}],
    )
    content["zones"].append({"id": 2, "name": "North", "lat": 1, "lon": 1, "radius_km": 5})
    checks = check_readiness(content, today=TODAY, published_at=None)
    status = _status(checks)
    assert status["published"] == "missing"
    assert status["triggers"] == "missing"
    assert status["wardens"] == "missing" and status["stocks"] == "missing"
    assert status["assembly_points"] == "missing"  # North has none
    assert status["call_tree"] == "missing"
    message = {c.code: c.message for c in checks}
    assert (
        "Siaga 2" in message["triggers"]
        and "Siaga 1" in message["triggers"]
        and "Siaga 3" not in message["triggers"]
    )
    assert "North" in message["assembly_points"]


def test_short_capacity_and_seats_against_people_registered() -> None:
    checks = check_readiness(_content(), today=TODAY, registered={1: 120}, published_at=PUBLISHED)
    status = _status(checks)
    message = {c.code: c.message for c in checks}
    assert status["capacity"] == "warning" and "120" in message["capacity"] and "50" in message["capacity"]
    assert status["seats"] == "warning" and "40" in message["seats"]  # 80 seats, 120 people: 40 short


def test_stale_and_expired_entries() -> None:
    old = (TODAY - dt.timedelta(days=400)).isoformat()
    content = _content(
        stocks=[{"id": 1, "item": "Water", "expires_on": "2026-01-01", "checked_on": old}],
        partners=[
            {"id": 1, "partner": "Airline", "valid_until": "2025-12-31", "checked_on": TODAY.isoformat()}
        ],
    )
    status = _status(
        check_readiness(
            content,
            today=TODAY,
            published_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
            unpublished_changes=False,
        )
    )
    assert status["stocks"] == "stale" and status["partners"] == "stale" and status["fresh"] == "stale"
    assert status["published"] == "stale"


def test_call_tree_order_and_cycles() -> None:
    roles = [
        {"id": 3, "title": "C", "reports_to": 2},
        {"id": 1, "title": "A", "reports_to": None},
        {"id": 2, "title": "B", "reports_to": 1},
    ]
    assert [(d, r["title"]) for d, r in call_tree(roles)] == [(0, "A"), (1, "B"), (2, "C")]
    cyclic = [{"id": 1, "title": "A", "reports_to": 2}, {"id": 2, "title": "B", "reports_to": 1}]
    status = _status(
        check_readiness(_content(roles=[*cyclic, {"id": 9, "title": "H", "reports_to": None}]), today=TODAY)
    )
    assert status["call_tree"] == "missing"
