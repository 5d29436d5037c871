"""The sync endpoint of the offline field intake (static/cases/field.js queues records in IndexedDB).

Each record carries a client-generated UUID, so sending it twice opens one case. A record already synced
comes back with the `base` it last received; the server merges (merge.merge3) and records conflicts instead
of overwriting either side. The answer gives, per record, the outcome, the case code and the server's values
(the device's next base).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from perisai.core.models import User
from perisai.core.roles import Cap

from . import actions
from .merge import merge3
from .models import Case, CaseType, ConsentPurpose, Source, SyncConflict, Urgency, Vulnerability
from .selectors import list_cases_visible_to

SYNC_FIELDS = (
    "case_type",
    "urgency",
    "subject_name",
    "contact",
    "sex",
    "birth_year",
    "region_code",
    "summary",
)
MAX_RECORDS = 100


def snapshot(case: Case) -> dict[str, Any]:
    return {
        "case_type": case.case_type,
        "urgency": case.urgency,
        "subject_name": case.subject_name,
        "contact": case.contact,
        "sex": case.sex,
        "birth_year": case.birth_year,
        "region_code": case.region_code,
        "summary": case.summary,
    }


def decode_value(name: str, text: str) -> Any:
    if name == "birth_year":
        return int(text) if text.strip().isdigit() else None
    return text


def _vulnerabilities(values: dict[str, Any]) -> int:
    mask = 0
    known = {flag.name.lower(): int(flag) for flag in Vulnerability if flag.name}
    for item in values.get("vulnerabilities") or []:
        mask |= known.get(str(item).lower(), 0)
    return mask


def _answer(case: Case, outcome: str, **extra: Any) -> dict[str, Any]:
    from .actions import case_url

    return {"outcome": outcome, "code": case.code, "url": case_url(case), "server": snapshot(case), **extra}


def sync_record(*, actor: User, record: dict[str, Any]) -> dict[str, Any]:
    """One record from the device. Never raises for bad input: the answer says what is wrong."""
    try:
        client_uuid = uuid.UUID(str(record.get("client_uuid", "")))
    except ValueError:
        return {"outcome": "invalid", "errors": {"client_uuid": [_("This record has no valid identifier.")]}}
    values = record.get("values")
    base = record.get("base")
    if not isinstance(values, dict) or (base is not None and not isinstance(base, dict)):
        return {
            "client_uuid": str(client_uuid),
            "outcome": "invalid",
            "errors": {"values": [_("Nothing to save.")]},
        }
    answer = {"client_uuid": str(client_uuid)}
    try:
        with transaction.atomic():
            existing = Case.objects.select_for_update().filter(client_uuid=client_uuid).first()
            if existing is None:
                return {**answer, **_create(actor, client_uuid, values)}
            if not list_cases_visible_to(user=actor).filter(pk=existing.pk).exists():
                return {**answer, "outcome": "not_found"}
            if base is None:  # sent again before the first answer arrived: compare with what was sent then
                base = existing.intake_details.get("device") or {}
            return {**answer, **_update(actor, existing, base, values)}
    except actions.CaseInputError as error:
        return {**answer, "outcome": "invalid", "errors": error.errors}


def _create(actor: User, client_uuid: uuid.UUID, values: dict[str, Any]) -> dict[str, Any]:
    clean = actions.check_intake_values({k: values.get(k) for k in SYNC_FIELDS if k in values})
    if not clean.get("subject_name"):
        raise actions.CaseInputError({"subject_name": [_("Write the name of the person.")]})
    if not clean.get("summary"):
        raise actions.CaseInputError({"summary": [_("Write what happened and what they need.")]})
    recorded = str(values.get("recorded_at") or "")[:40]
    case = actions.do_open_case(
        source=Source.WALK_IN,
        case_type=clean.get("case_type") or CaseType.REINTEGRATION,
        urgency=clean.get("urgency") or Urgency.NORMAL,
        summary=clean["summary"],
        subject_name=clean["subject_name"],
        contact=clean.get("contact", ""),
        region_code=clean.get("region_code", ""),
        sex=clean.get("sex", ""),
        birth_year=clean.get("birth_year"),
        vulnerabilities=_vulnerabilities(values),
        details={
            "offline": True,
            "recorded_on_device": recorded,
            "device": {k: clean.get(k) for k in SYNC_FIELDS},
        },
        client_uuid=client_uuid,
        actor=actor,
    )
    if case.assigned_to_id is None and actor.can(Cap.CASE_EDIT):
        actions.do_assign_case(case=case, actor=actor, assignee=actor)
    given_by = str(values.get("given_by") or "person")
    given_by = given_by if given_by in ("person", "caregiver") else "person"
    for purpose in values.get("consents") or []:
        if purpose in ConsentPurpose.values:
            actions.do_set_consent(
                case=case,
                actor=actor,
                purpose=purpose,
                granted=True,
                given_by=given_by,
                giver_name=str(values.get("giver_name") or "")[:200],
            )
    case.refresh_from_db()
    return _answer(case, "created")


def _update(actor: User, case: Case, base: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    device = {k: values[k] for k in SYNC_FIELDS if k in values}
    result = merge3(base=base, device=device, server=snapshot(case), fields=SYNC_FIELDS)
    changed: list[str] = []
    if result.apply:
        changed = actions.do_update_intake(case=case, actor=actor, values=result.apply)
    conflicts = []
    for conflict in result.conflicts:
        seen = SyncConflict.objects.filter(
            case=case, field=conflict.field, device_value=conflict.device, resolved_at=None
        ).exists()
        if not seen:
            SyncConflict.objects.create(
                case=case,
                field=conflict.field,
                device_value=conflict.device,
                server_value=conflict.server,
                created_by=actor,
            )
        conflicts.append({"field": conflict.field, "device": conflict.device, "server": conflict.server})
    if conflicts:
        from perisai.core import audit

        audit.record(
            actor=actor,
            action="case.sync_conflict",
            target=case,
            details={"fields": [c["field"] for c in conflicts]},
        )
    case.refresh_from_db()
    outcome = "conflict" if conflicts else ("updated" if changed else "unchanged")
    return _answer(case, outcome, conflicts=conflicts)


def sync_records(*, actor: User, records: list[Any]) -> list[dict[str, Any]]:
    return [
        sync_record(actor=actor, record=r) if isinstance(r, dict) else {"outcome": "invalid"}
        for r in records[:MAX_RECORDS]
    ]


__all__ = ["SYNC_FIELDS", "decode_value", "snapshot", "sync_record", "sync_records"]
