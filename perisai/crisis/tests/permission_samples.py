"""URL kwargs for the permission-matrix test (perisai/core/tests/test_permission_matrix.py)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone


def _crisis(world: dict[str, Any]) -> Any:
    from perisai.crisis.models import Crisis, CrisisArea

    crisis = Crisis.objects.filter(title="Matrix crisis").first()
    if crisis is None:
        crisis = Crisis.objects.create(
            title="Matrix crisis", type="flood", country_id="MY", status="active", declared_at=timezone.now()
        )
        crisis.missions.add(world["mission"])
        CrisisArea.objects.create(
            crisis=crisis,
            name="Kuala Lumpur",
            level=2,
            geometry={"type": "Circle", "coordinates": [101.687, 3.139], "radius_km": 20},
        )
    return crisis


def _alert(world: dict[str, Any]) -> Any:
    from perisai.core.roles import Role
    from perisai.crisis.models import Alert

    crisis = _crisis(world)
    alert = Alert.objects.filter(crisis=crisis).first()
    if alert is None:
        alert = Alert.objects.create(
            crisis=crisis,
            body_id="Apakah Anda aman? {link}",
            body_en="Are you safe? {link}",
            target=Alert.Target.AREAS,
            drafted_by=world["users"][Role.MISSION_OFFICER],
        )
    return alert


def _area(world: dict[str, Any]) -> Any:
    return _crisis(world).areas.first()


def _warden_token(world: dict[str, Any]) -> str:
    from perisai.crisis.models import Warden
    from perisai.crisis.tokens import warden_token

    crisis = _crisis(world)
    warden = Warden.objects.filter(mission=world["mission"]).first() or Warden.objects.create(
        mission=world["mission"], name="Warden", phone="+60123459999"
    )
    return warden_token(crisis.pk, warden.pk)


def _checkin_token(world: dict[str, Any]) -> str:
    from perisai.crisis.tokens import checkin_token

    return checkin_token(_crisis(world).pk, world["person"].pk)


SAMPLES = {
    "crisis:detail": lambda w: {"public_id": _crisis(w).public_id},
    "crisis:set_status": lambda w: {"public_id": _crisis(w).public_id},
    "crisis:area_add": lambda w: {"public_id": _crisis(w).public_id},
    "crisis:area_level": lambda w: {"public_id": _area(w).public_id},
    "crisis:population": lambda w: {"public_id": _crisis(w).public_id},
    "crisis:population_export": lambda w: {"public_id": _crisis(w).public_id},
    "crisis:counts_export": lambda w: {"public_id": _crisis(w).public_id},
    "crisis:unaccounted": lambda w: {"public_id": _crisis(w).public_id},
    "crisis:person": lambda w: {"public_id": _crisis(w).public_id, "person_id": w["person"].public_id},
    "crisis:report": lambda w: {"public_id": _crisis(w).public_id, "person_id": w["person"].public_id},
    "crisis:note": lambda w: {"public_id": _crisis(w).public_id, "person_id": w["person"].public_id},
    "crisis:alert_new": lambda w: {"public_id": _crisis(w).public_id},
    "crisis:call_down": lambda w: {"public_id": _crisis(w).public_id},
    "crisis:alert_detail": lambda w: {"public_id": _alert(w).public_id},
    "crisis:alert_approve": lambda w: {"public_id": _alert(w).public_id},
    "crisis:alert_cancel": lambda w: {"public_id": _alert(w).public_id},
    "crisis:checkin": lambda w: {"token": _checkin_token(w)},
    "crisis:warden_list": lambda w: {"token": _warden_token(w)},
}
POST_ONLY = {
    "crisis:set_status",
    "crisis:area_level",
    "crisis:report",
    "crisis:note",
    "crisis:alert_approve",
    "crisis:alert_cancel",
}
