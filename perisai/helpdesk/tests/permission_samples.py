"""URL samples of the helpdesk pages for the permission-matrix test (perisai/core/tests)."""

from __future__ import annotations

from typing import Any


def _conversation(world: dict[str, Any]) -> Any:
    """A hand-off in the world's mission (made once per world)."""
    if "helpdesk_conversation" not in world:
        from django.utils import timezone

        from perisai.helpdesk.actions import ensure_published
        from perisai.helpdesk.models import Contact, Conversation

        contact = Contact.objects.create(channel="whatsapp", address_index="sample", address_encrypted="")
        world["helpdesk_conversation"] = Conversation.objects.create(
            contact=contact,
            channel="whatsapp",
            flow_version=ensure_published(),
            status=Conversation.Status.HANDOFF,
            handoff_at=timezone.now(),
            mission=world["mission"],
            country="MY",
            topic="wages",
        )
    return world["helpdesk_conversation"]


def _flow(world: dict[str, Any]) -> dict[str, str]:
    from perisai.helpdesk.actions import ensure_published

    return {"slug": ensure_published().flow.slug}


SAMPLES = {
    "helpdesk:conversation": lambda w: {"public_id": _conversation(w).public_id},
    "helpdesk:conversation_reply": lambda w: {"public_id": _conversation(w).public_id},
    "helpdesk:conversation_take": lambda w: {"public_id": _conversation(w).public_id},
    "helpdesk:conversation_close": lambda w: {"public_id": _conversation(w).public_id},
    "helpdesk:conversation_case": lambda w: {"public_id": _conversation(w).public_id},
    "helpdesk:flow_edit": _flow,
    "helpdesk:flow_publish": _flow,
    "helpdesk:flow_discard": _flow,
    "helpdesk:flow_test": _flow,
}
POST_ONLY = {
    "helpdesk:chat_poll",
    "helpdesk:conversation_reply",
    "helpdesk:conversation_take",
    "helpdesk:conversation_close",
    "helpdesk:conversation_case",
    "helpdesk:flow_publish",
    "helpdesk:flow_discard",
}
