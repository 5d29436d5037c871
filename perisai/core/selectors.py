from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from .models import ApiToken, AuditEvent, InboxMessage, User


def list_audit_events(*, filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.all()
    if filters.get("actor"):
        qs = qs.filter(actor_label__icontains=filters["actor"])
    if filters.get("action"):
        qs = qs.filter(action__startswith=filters["action"])
    if filters.get("object_type"):
        qs = qs.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        qs = qs.filter(object_id=filters["object_id"])
    if filters.get("since"):
        qs = qs.filter(at__date__gte=filters["since"])
    if filters.get("until"):
        qs = qs.filter(at__date__lte=filters["until"])
    return qs


def list_tokens(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def access_token_by_id(*, user: User, token_id: int) -> ApiToken | None:
    return ApiToken.objects.filter(user=user, pk=token_id).first()


def list_inbox_messages(*, user: User) -> QuerySet[InboxMessage]:
    """The user's own platform messages, newest first. Nobody else's, whatever the role."""
    return InboxMessage.objects.filter(user=user).order_by("-created_at", "-id")


def count_unread_inbox_messages(*, user: User) -> int:
    return InboxMessage.objects.filter(user=user, read_at=None).count()


def access_inbox_message_by_id(*, user: User, public_id: uuid.UUID) -> InboxMessage | None:
    """One of the user's own messages; another user's is "not found", like one that does not exist."""
    return InboxMessage.objects.filter(user=user, public_id=public_id).first()
