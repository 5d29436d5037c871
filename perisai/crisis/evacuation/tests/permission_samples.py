"""URL samples for the permission-matrix test (perisai/core/tests/test_permission_matrix.py)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any


def _objects(world: dict[str, Any]) -> dict[str, Any]:
    """A plan with a published version, a drill (an exercise crisis and its evacuation), a leg with a
    manifest, an evacuee and a scan, made once per world."""
    if "_evacuation" in world:
        return world["_evacuation"]  # type: ignore[no-any-return]
    from perisai.core.roles import Role
    from perisai.crisis.actions import do_draft_alert
    from perisai.crisis.evacuation import actions
    from perisai.crisis.evacuation.models import BoardingScan, Evacuee, Leg, Zone
    from perisai.places.models import Country

    Country.objects.get_or_create(iso2="ID", defaults={"iso3": "IDN", "name": "Indonesia"})
    officer = world["users"][Role.MISSION_OFFICER]
    mission = world["mission"]
    plan = actions.do_create_plan(
        actor=officer, mission=mission, scenario="conflict", title="Rencana konflik"
    )
    zone = actions.do_save_plan_item(
        plan=plan,
        section_key="zones",
        item=None,
        values={"name": "Pusat", "lat": 3.14, "lon": 101.69, "radius_km": 10.0, "notes": ""},
        actor=officer,
    )
    assert isinstance(zone, Zone)
    site = actions.do_save_plan_item(
        plan=plan,
        section_key="sites",
        item=None,
        values={
            "kind": "assembly",
            "name": "Sekolah",
            "zone": zone,
            "address": "",
            "lat": 3.14,
            "lon": 101.69,
            "capacity": 100,
            "contact_name": "",
            "contact_phone": "",
        },
        actor=officer,
    )
    actions.do_save_plan_item(
        plan=plan,
        section_key="transport",
        item=None,
        values={
            "mode": "bus",
            "provider": "PO Bus",
            "seats": 40,
            "trips": 1,
            "lead_time_hours": 2,
            "departs_from": site,
            "destination": "Port",
            "to_indonesia": False,
            "contact_name": "",
            "contact_phone": "",
        },
        actor=officer,
    )
    actions.do_publish_plan(plan=plan, actor=officer)
    drill = actions.do_start_drill(plan=plan, actor=officer)
    operation = drill.operation
    assert operation is not None
    leg = Leg.objects.filter(operation=operation).first()
    assert leg is not None
    evacuee = Evacuee.objects.create(
        operation=operation,
        person=world["person"],
        nationality_id="ID",
        household="p1",
        source="affected",
        eligibility="citizen",
        lat=3.14,
        lon=101.69,
        assigned_leg=leg,
        assigned_site=leg.site,
    )
    actions.do_issue_manifest(leg=leg, actor=officer)
    scan = BoardingScan.objects.create(
        client_uuid=uuid.uuid4(),
        leg=leg,
        evacuee=evacuee,
        method="document",
        scanned_at=leg.departs_at,
        outcome="conflict",
        reason="other_leg",
    )
    alert = do_draft_alert(
        crisis=drill.crisis, actor=officer, body_id="LATIHAN", body_en="EXERCISE", target="areas"
    )
    world["_evacuation"] = {
        "plan": plan,
        "zone": zone,
        "drill": drill,
        "operation": operation,
        "leg": leg,
        "evacuee": evacuee,
        "scan": scan,
        "alert": alert,
    }
    return world["_evacuation"]  # type: ignore[no-any-return]


def _plan(w: dict[str, Any]) -> dict[str, Any]:
    return {"plan_id": _objects(w)["plan"].public_id}


def _item(w: dict[str, Any]) -> dict[str, Any]:
    o = _objects(w)
    return {"plan_id": o["plan"].public_id, "section": "zones", "item_id": o["zone"].pk}


def _drill(w: dict[str, Any]) -> dict[str, Any]:
    return {"drill_id": _objects(w)["drill"].public_id}


def _op(w: dict[str, Any]) -> dict[str, Any]:
    return {"op_id": _objects(w)["operation"].public_id}


def _leg(w: dict[str, Any]) -> dict[str, Any]:
    return {"leg_id": _objects(w)["leg"].public_id}


def _evacuee(w: dict[str, Any]) -> dict[str, Any]:
    return {"evacuee_id": _objects(w)["evacuee"].public_id}


SAMPLES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "evacuation:plan_detail": _plan,
    "evacuation:plan_edit": _plan,
    "evacuation:plan_publish": _plan,
    "evacuation:plan_draft_pdf": _plan,
    "evacuation:plan_version": lambda w: {**_plan(w), "number": 1},
    "evacuation:plan_version_pdf": lambda w: {**_plan(w), "number": 1},
    "evacuation:drill_start": _plan,
    "evacuation:plan_item_add": lambda w: {**_plan(w), "section": "zones"},
    "evacuation:plan_item_edit": _item,
    "evacuation:plan_item_delete": _item,
    "evacuation:drill_detail": _drill,
    "evacuation:drill_level": _drill,
    "evacuation:drill_alert": _drill,
    "evacuation:drill_alert_approve": lambda w: {**_drill(w), "alert_id": _objects(w)["alert"].public_id},
    "evacuation:drill_call_down": _drill,
    "evacuation:drill_finish": _drill,
    "evacuation:operation_detail": _op,
    "evacuation:operation_sync": _op,
    "evacuation:operation_plan": _op,
    "evacuation:operation_people": _op,
    "evacuation:operation_add_person": _op,
    "evacuation:operation_foreign": _op,
    "evacuation:operation_add_foreign": _op,
    "evacuation:operation_add_leg": _op,
    "evacuation:operation_add_site": _op,
    "evacuation:operation_close": _op,
    "evacuation:operation_after": _op,
    "evacuation:operation_cost": _op,
    "evacuation:operation_lesson": _op,
    "evacuation:operation_after_pdf": _op,
    "evacuation:evacuee_detail": _evacuee,
    "evacuation:evacuee_update": _evacuee,
    "evacuation:evacuee_confirm": _evacuee,
    "evacuation:evacuee_stay": _evacuee,
    "evacuation:evacuee_remove": _evacuee,
    "evacuation:evacuee_family": _evacuee,
    "evacuation:leg_detail": _leg,
    "evacuation:leg_issue_manifest": _leg,
    "evacuation:leg_manifest_pdf": lambda w: {**_leg(w), "number": 1},
    "evacuation:leg_manifest_csv": lambda w: {**_leg(w), "number": 1},
    "evacuation:leg_board": _leg,
    "evacuation:leg_board_sync": _leg,
    "evacuation:leg_scan_resolve": lambda w: {**_leg(w), "scan_id": _objects(w)["scan"].pk},
    "evacuation:leg_status": _leg,
    "evacuation:leg_hand_over": _leg,
}

POST_ONLY = {
    "evacuation:plan_publish",
    "evacuation:plan_item_delete",
    "evacuation:drill_start",
    "evacuation:drill_level",
    "evacuation:drill_alert",
    "evacuation:drill_alert_approve",
    "evacuation:drill_call_down",
    "evacuation:drill_finish",
    "evacuation:operation_sync",
    "evacuation:operation_close",
    "evacuation:operation_cost",
    "evacuation:operation_lesson",
    "evacuation:evacuee_update",
    "evacuation:evacuee_confirm",
    "evacuation:evacuee_stay",
    "evacuation:evacuee_remove",
    "evacuation:leg_issue_manifest",
    "evacuation:leg_board_sync",
    "evacuation:leg_scan_resolve",
    "evacuation:leg_status",
    "evacuation:leg_hand_over",
}
