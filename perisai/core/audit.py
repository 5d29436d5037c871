"""The audit log: who did what to which record, when, from where. Append-only.

Never put personal data in `details`: record identifiers and field names, not values.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from . import context
from .models import AuditEvent, User


def record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    sensitive: bool = False,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
    ctx = context.current()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=(actor.get_username() if is_user and actor is not None else "system"),
        actor_role=(actor.role if is_user and actor is not None else ""),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        sensitive=sensitive,
        ip_address=ctx.ip_address,
        user_agent=ctx.user_agent[:200],
        request_id=ctx.request_id,
        details=details or {},
    )


def record_view(*, actor: User, target: models.Model, sensitive: bool = True) -> AuditEvent:
    """Opening a sensitive record is logged as well as changing it."""
    return record(actor=actor, action="view", target=target, sensitive=sensitive)
