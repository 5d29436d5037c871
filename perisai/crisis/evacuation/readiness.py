"""The readiness checklist of a plan: what is missing or stale, read from the plan's JSON (a draft or a
published version), so that the page, the API and the PDF say the same thing.

``registered`` (people registered in each zone, from the registry) lets it compare capacity and seats with
the people who may need them; without it those checks are skipped.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

OK = "ok"
MISSING = "missing"
STALE = "stale"
WARNING = "warning"


@dataclass(frozen=True)
class Check:
    code: str
    status: str  # ok | missing | stale | warning
    message: str

    @property
    def ok(self) -> bool:
        return self.status == OK


def stale_days() -> int:
    return int(getattr(settings, "PERISAI_EVACUATION_STALE_DAYS", 180))


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def check_readiness(
    content: dict[str, Any],
    *,
    today: dt.date,
    registered: dict[int, int] | None = None,
    published_at: dt.datetime | None = None,
    unpublished_changes: bool = False,
) -> list[Check]:
    checks: list[Check] = []

    def add(code: str, status: str, message: str) -> None:
        checks.append(Check(code, status, message))

    zones = content.get("zones", [])
    triggers = content.get("triggers", [])
    wardens = content.get("wardens", [])
    sites = content.get("sites", [])
    points = [s for s in sites if s.get("kind") == "assembly"]
    havens = [s for s in sites if s.get("kind") == "safe_haven"]
    transport = content.get("transport", [])
    stocks = content.get("stocks", [])
    partners = content.get("partners", [])
    roles = content.get("roles", [])

    # Publishing
    if published_at is None:
        add("published", MISSING, _("The plan has never been published."))
    elif unpublished_changes:
        add("published", WARNING, _("The draft has changes that are not published yet."))
    elif (today - published_at.date()).days > 365:
        add("published", STALE, _("The plan was last published more than a year ago: review it."))
    else:
        add("published", OK, _("Published."))

    # Triggers
    levels = {int(t.get("level", 0)) for t in triggers}
    missing_levels = [n for n in (3, 2, 1) if n not in levels]
    if missing_levels:
        add(
            "triggers",
            MISSING,
            _("No trigger for %(levels)s.") % {"levels": ", ".join(f"Siaga {n}" for n in missing_levels)},
        )
    else:
        add("triggers", OK, _("Triggers for Siaga 3, 2 and 1."))

    # Zones and wardens
    if not zones:
        add("zones", MISSING, _("No zone: mark the areas where citizens live."))
    else:
        add("zones", OK, ngettext("%(n)d zone.", "%(n)d zones.", len(zones)) % {"n": len(zones)})
    covered = {w.get("zone") for w in wardens}
    uncovered = [z["name"] for z in zones if z["id"] not in covered]
    if not wardens:
        add("wardens", MISSING, _("No warden: each zone needs a community leader who relays messages."))
    elif uncovered:
        add("wardens", MISSING, _("Zones without a warden: %(zones)s.") % {"zones": ", ".join(uncovered)})
    else:
        add("wardens", OK, _("Every zone has a warden."))

    # Assembly points and safe havens
    if not points:
        add("assembly_points", MISSING, _("No assembly point."))
    else:
        without = [z["name"] for z in zones if not any(p.get("zone") == z["id"] for p in points)]
        if without:
            add(
                "assembly_points",
                MISSING,
                _("Zones without an assembly point: %(zones)s.") % {"zones": ", ".join(without)},
            )
        else:
            add("assembly_points", OK, _("Every zone has an assembly point."))
    if registered:
        short = []
        for z in zones:
            people = registered.get(z["id"], 0)
            capacity = sum(int(p.get("capacity") or 0) for p in points if p.get("zone") == z["id"])
            if people > capacity:
                short.append(
                    _("%(zone)s: %(people)d registered, room for %(capacity)d")
                    % {"zone": z["name"], "people": people, "capacity": capacity}
                )
        if short:
            add(
                "capacity", WARNING, _("Assembly capacity is short in %(list)s.") % {"list": "; ".join(short)}
            )
        else:
            add("capacity", OK, _("Assembly points have room for everyone registered in their zone."))
    if not havens:
        add("safe_havens", MISSING, _("No safe haven."))
    else:
        add(
            "safe_havens",
            OK,
            ngettext("%(n)d safe haven.", "%(n)d safe havens.", len(havens)) % {"n": len(havens)},
        )

    # Transport
    if not transport:
        add("transport", MISSING, _("No transport option."))
    else:
        point_ids = {p["id"] for p in points}
        loose = [t["provider"] for t in transport if t.get("departs_from") not in point_ids]
        if loose:
            add(
                "transport",
                MISSING,
                _("Transport without an assembly point to leave from: %(list)s.")
                % {"list": ", ".join(loose)},
            )
        else:
            add("transport", OK, _("Every transport option leaves from an assembly point."))
        if not any(t.get("to_indonesia") for t in transport):
            add("to_indonesia", WARNING, _("No transport option goes to Indonesia."))
        if registered:
            seats = sum(int(t.get("seats") or 0) * int(t.get("trips") or 1) for t in transport)
            people = sum(registered.values())
            if seats < people:
                add(
                    "seats",
                    WARNING,
                    _("Seats for %(seats)d of %(people)d people registered in the zones (%(short)d short).")
                    % {"seats": seats, "people": people, "short": people - seats},
                )
            else:
                add("seats", OK, _("Enough seats for everyone registered in the zones."))

    # Stocks, partners, roles
    if not stocks:
        add("stocks", MISSING, _("No stock recorded (water, food, medicine, fuel)."))
    else:
        expired = [s["item"] for s in stocks if (_date(s.get("expires_on")) or dt.date.max) < today]
        if expired:
            add("stocks", STALE, _("Expired stock: %(list)s.") % {"list": ", ".join(expired)})
        else:
            add("stocks", OK, _("Stocks recorded."))
    if not partners:
        add("partners", MISSING, _("No partner agreement (other states, IOM, airlines)."))
    else:
        ended = [p["partner"] for p in partners if (_date(p.get("valid_until")) or dt.date.max) < today]
        if ended:
            add("partners", STALE, _("Agreements that have ended: %(list)s.") % {"list": ", ".join(ended)})
        else:
            add("partners", OK, _("Partner agreements in force."))
    if not roles:
        add("roles", MISSING, _("No role in the crisis team."))
    else:
        heads = [r for r in roles if not r.get("reports_to")]
        if len(heads) != 1:
            add(
                "call_tree",
                MISSING,
                _("The call tree must start from one head; it has %(n)d.") % {"n": len(heads)},
            )
        elif _has_cycle(roles):
            add("call_tree", MISSING, _("The call tree goes round in a circle."))
        else:
            add("call_tree", OK, _("One call tree from the head of the crisis team."))

    # Freshness of what was recorded
    limit = stale_days()
    old: Counter[str] = Counter()
    for key in ("zones", "triggers", "wardens", "sites", "transport", "stocks", "partners", "roles"):
        for item in content.get(key, []):
            checked = _date(item.get("checked_on"))
            if checked is not None and (today - checked).days > limit:
                old[key] += 1
    if old:
        add(
            "fresh",
            STALE,
            _("%(n)d entries not checked for more than %(days)d days (contacts, capacities).")
            % {"n": sum(old.values()), "days": limit},
        )
    else:
        add("fresh", OK, _("Everything was checked in the last %(days)d days.") % {"days": limit})
    return checks


def _has_cycle(roles: list[dict[str, Any]]) -> bool:
    parent = {r["id"]: r.get("reports_to") for r in roles}
    for start in parent:
        seen = set()
        node = start
        while node is not None:
            if node in seen:
                return True
            seen.add(node)
            node = parent.get(node)
    return False


def call_tree(roles: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """The roles in call order, each with its depth (the head at 0). Roles in a cycle come last."""
    children: dict[Any, list[dict[str, Any]]] = {}
    ids = {r["id"] for r in roles}
    for r in roles:
        parent = r.get("reports_to") if r.get("reports_to") in ids else None
        children.setdefault(parent, []).append(r)
    out: list[tuple[int, dict[str, Any]]] = []
    seen: set[Any] = set()

    def walk(parent: Any, depth: int) -> None:
        for r in children.get(parent, []):
            if r["id"] in seen:
                continue
            seen.add(r["id"])
            out.append((depth, r))
            walk(r["id"], depth + 1)

    walk(None, 0)
    out.extend((0, r) for r in roles if r["id"] not in seen)
    return out
