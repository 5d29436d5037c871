"""Reads of the help desk. Conversations are protected records: staff see those of their missions (and those
assigned to them); a supervisor also sees the ones not yet located; opening one is audited."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from perisai.core import audit, crypto
from perisai.core.models import OutboxMessage, User
from perisai.core.roles import Role
from perisai.core.scopes import scope_for

from .actions import TEST_CHANNEL, _address_index
from .conf import webchat_channel
from .models import Contact, Conversation, Flow, FlowVersion, Message, Urgency

URGENCY_ORDER = Case(
    When(urgency=Urgency.EMERGENCY, then=Value(0)),
    When(urgency=Urgency.HIGH, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def conversation_scope_q(user: User) -> Q:
    scope = scope_for(user)
    if scope.everything:
        return Q()
    q = Q(assigned_to_id=user.pk) if user.is_authenticated else Q(pk__in=[])
    if scope.mission_ids:
        q |= Q(mission_id__in=scope.mission_ids)
    if scope.country_codes:
        q |= Q(mission__isnull=True, country__in=scope.country_codes)
    if user.role == Role.SUPERVISOR:
        q |= Q(mission__isnull=True, country="")  # not located yet: the national desk places it
    return q


def list_conversations_visible_to(*, user: User) -> QuerySet[Conversation]:
    if not user.is_authenticated:
        return Conversation.objects.none()
    return Conversation.objects.filter(conversation_scope_q(user), test_mode=False)


def list_handoff_queue(
    *, user: User, topic: str = "", urgency: str = "", mine: bool = False
) -> QuerySet[Conversation]:
    """Hand-offs waiting for staff: emergencies first, then high urgency, then the longest waiting."""
    qs = (
        list_conversations_visible_to(user=user)
        .filter(status=Conversation.Status.HANDOFF)
        .select_related("mission", "assigned_to")
        .annotate(urgency_rank=URGENCY_ORDER)
    )
    if topic:
        qs = qs.filter(topic=topic)
    if urgency:
        qs = qs.filter(urgency=urgency)
    if mine:
        qs = qs.filter(assigned_to_id=user.pk)
    return qs.order_by("urgency_rank", "-needs_reply", "handoff_at", "pk")


def access_conversation_by_id(*, user: User, public_id: uuid.UUID | str) -> Conversation:
    """The only way staff open a conversation. Not found and forbidden look the same; the view is audited."""
    try:
        conversation = (
            list_conversations_visible_to(user=user)
            .select_related("contact", "mission", "assigned_to", "flow_version")
            .get(public_id=public_id)
        )
    except (Conversation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    audit.record_view(actor=user, target=conversation)
    return conversation


@dataclass(frozen=True)
class ShownMessage:
    pk: int
    author: str
    staff_name: str
    text: str
    has_location: bool
    intent: str
    created_at: dt.datetime
    delivery: str


def conversation_messages(conversation: Conversation, *, limit: int = 300) -> list[ShownMessage]:
    """The kept messages, decrypted, with the delivery state of those that went out through the outbox."""
    messages = list(conversation.messages.select_related("staff").order_by("-created_at", "-id")[:limit])
    messages.reverse()
    states = dict(
        OutboxMessage.objects.filter(
            object_type="helpdesk.message",
            object_id__in=[str(m.pk) for m in messages if m.direction == "out"],
        ).values_list("object_id", "status")
    )
    return [
        ShownMessage(
            pk=m.pk,
            author=m.author,
            staff_name=str(m.staff) if m.staff else "",
            text=crypto.decrypt(m.text_encrypted) if m.text_encrypted else "",
            has_location=m.has_location,
            intent=m.intent,
            created_at=m.created_at,
            delivery=states.get(str(m.pk), ""),
        )
        for m in messages
    ]


def conversation_location(conversation: Conversation) -> tuple[float, float] | None:
    if not conversation.location_encrypted:
        return None
    point = json.loads(crypto.decrypt(conversation.location_encrypted))
    return float(point["lat"]), float(point["lon"])


def contact_address(conversation: Conversation) -> str:
    contact = conversation.contact
    return crypto.decrypt(contact.address_encrypted) if contact.address_encrypted else ""


# ---- the web chat (the token in the form is the only key to a web-chat conversation) ----


def chat_conversation(
    *, token: str, channel: str | None = None, open_only: bool = True
) -> Conversation | None:
    """The latest (open) conversation of a web-chat or test-mode token, or None."""
    if not token:
        return None
    channel = channel or webchat_channel()
    contact = Contact.objects.filter(channel=channel, address_index=_address_index(channel, token)).first()
    if contact is None:
        return None
    qs = Conversation.objects.filter(contact=contact)
    if open_only:
        qs = qs.exclude(status=Conversation.Status.CLOSED)
    return qs.order_by("-created_at").first()


def chat_history(conversation: Conversation | None, *, limit: int = 40) -> list[ShownMessage]:
    """What the no-JavaScript page shows again after each message (nothing is kept in the browser)."""
    if conversation is None:
        return []
    return conversation_messages(conversation, limit=limit)


def new_staff_messages(*, conversation: Conversation | None, after: int) -> list[Message]:
    if conversation is None:
        return []
    return list(conversation.messages.filter(author=Message.Author.STAFF, pk__gt=after).order_by("pk")[:20])


def decrypt_text(message: Message) -> str:
    return crypto.decrypt(message.text_encrypted) if message.text_encrypted else ""


# ---- flows ----


def list_flows() -> QuerySet[Flow]:
    return Flow.objects.order_by("slug").prefetch_related("versions")


def get_flow(slug: str) -> Flow:
    flow = Flow.objects.filter(slug=slug).first()
    if flow is None:
        raise Http404
    return flow


def editable_version(flow: Flow) -> FlowVersion | None:
    """The draft if there is one, else the published version (the editor starts from it)."""
    return (
        flow.versions.filter(status=FlowVersion.Status.DRAFT).first()
        or flow.versions.filter(status=FlowVersion.Status.PUBLISHED).first()
    )


def test_version(flow: Flow) -> FlowVersion | None:
    return editable_version(flow)


def queue_counts(*, user: User) -> dict[str, int]:
    """Operational counts for staff (not statistics: no suppression, never shown outside the desk)."""
    qs = list_conversations_visible_to(user=user).filter(status=Conversation.Status.HANDOFF)
    return {
        "emergency": qs.filter(urgency=Urgency.EMERGENCY).count(),
        "waiting": qs.filter(needs_reply=True).count(),
        "all": qs.count(),
    }


__all__ = [
    "TEST_CHANNEL",
    "ShownMessage",
    "access_conversation_by_id",
    "chat_conversation",
    "chat_history",
    "contact_address",
    "conversation_location",
    "conversation_messages",
    "conversation_scope_q",
    "decrypt_text",
    "editable_version",
    "get_flow",
    "list_conversations_visible_to",
    "list_flows",
    "list_handoff_queue",
    "new_staff_messages",
    "queue_counts",
    "test_version",
]
