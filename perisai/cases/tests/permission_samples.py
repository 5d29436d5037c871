"""URL samples for the permission-matrix test (perisai/core/tests/test_permission_matrix.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone


def _case(world: dict[str, Any]) -> Any:
    if "case" not in world:
        from perisai.cases.intake import open_case

        world["case"] = open_case(
            source="call",
            case_type="wages",
            urgency="normal",
            summary="Gaji ditahan",
            mission=world["mission"],
        )
    return world["case"]


def _referral(world: dict[str, Any]) -> Any:
    if "referral" not in world:
        from perisai.cases.models import Referral, ServiceProvider

        provider = ServiceProvider.objects.create(name="Shelter", services=["shelter"], region_code="35")
        world["referral"] = Referral.objects.create(case=_case(world), provider=provider, service="shelter")
    return world["referral"]


def _transfer(world: dict[str, Any]) -> Any:
    if "transfer" not in world:
        from perisai.cases.models import Transfer

        world["transfer"] = Transfer.objects.create(
            case=_case(world), to_mission=world["mission"], reason="test"
        )
    return world["transfer"]


def _task(world: dict[str, Any]) -> Any:
    from perisai.cases.models import CaseTask

    return CaseTask.objects.create(
        case=_case(world), title="Call", due_at=timezone.now() + dt.timedelta(days=1)
    )


def _approval(world: dict[str, Any]) -> Any:
    from perisai.cases.models import Approval

    return Approval.objects.create(case=_case(world), kind="plan")


def _conflict(world: dict[str, Any]) -> Any:
    from perisai.cases.models import SyncConflict

    return SyncConflict.objects.create(case=_case(world), field="contact", device_value="a", server_value="b")


def _document(world: dict[str, Any]) -> Any:
    from perisai.cases.models import CaseDocument

    return CaseDocument.objects.create(
        case=_case(world), title="x", stored_name=f"missing{CaseDocument.objects.count()}", content_type="application/pdf",
        extension=".pdf", size=1, sha256="0" * 64,
    )  # fmt: skip


def _batch(world: dict[str, Any]) -> Any:
    from perisai.cases.models import ArrivalBatch

    return ArrivalBatch.objects.create(entry_point="nunukan", arrival_date=dt.date(2026, 1, 5))


def _on_case(
    **extra: Callable[[dict[str, Any]], dict[str, Any]],
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def sample(world: dict[str, Any]) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"public_id": _case(world).public_id}
        for build in extra.values():
            kwargs.update(build(world))
        return kwargs

    return sample


SAMPLES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    **{
        f"cases:{name}": _on_case()
        for name in (
            "detail",
            "reveal_name",
            "reveal_sensitive",
            "sensitive_edit",
            "contact",
            "take",
            "edit",
            "assessment",
            "consent",
            "note",
            "member_add",
            "task_add",
            "plan_submit",
            "closure_request",
            "reopen",
            "document_add",
            "refer",
            "transfer",
        )
    },
    "cases:task_done": _on_case(task=lambda w: {"task_id": _task(w).pk}),
    "cases:conflict_resolve": _on_case(conflict=lambda w: {"conflict_id": _conflict(w).pk}),
    "cases:document": _on_case(document=lambda w: {"document_id": _document(w).pk}),
    "cases:referral_done": _on_case(referral=lambda w: {"referral_id": _referral(w).public_id}),
    "cases:approval_decide": lambda w: {"approval_id": _approval(w).pk},
    "cases:referral": lambda w: {"referral_id": _referral(w).public_id},
    "cases:transfer_detail": lambda w: {"transfer_id": _transfer(w).public_id},
    "cases:arrival_batch": lambda w: {"batch_id": _batch(w).public_id},
    "cases:dashboard_export": lambda w: {"table": "open_by_type"},
}
POST_ONLY = {
    f"cases:{name}"
    for name in (
        "reveal_name", "reveal_sensitive", "sensitive_edit", "contact", "take", "consent", "note", "member_add",
        "task_add", "task_done", "plan_submit", "closure_request", "reopen", "conflict_resolve", "document_add",
        "referral_done", "approval_decide",
    )
}  # fmt: skip
