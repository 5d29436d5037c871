"""The helpdesk module's JSON API, mounted at /api/v1/helpdesk.

- provider webhooks (public; each checks the provider's own signature): channels/{name}/webhook
- the web chat for other front ends (public; the token is the conversation's only key): chat, chat/poll
- the hand-off queue and replies for staff (Cap.HELPDESK_ANSWER)
"""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from perisai.core.api_auth import capability
from perisai.core.permissions import PUBLIC
from perisai.core.roles import Cap

from . import actions, selectors
from .channels import webhook
from .conf import webchat_channel

router = Router(tags=["helpdesk"])

F = TypeVar("F", bound=Callable[..., Any])


def public(func: F) -> F:
    """An operation anyone may call (its own check is inside: a provider signature, a chat token)."""
    func.perisai_capability = PUBLIC  # type: ignore[attr-defined]
    return func


@router.api_operation(
    ["GET", "POST"], "/channels/{name}/webhook", auth=None, operation_id="channel_webhook_receive"
)
@public
def channel_webhook_receive(request: HttpRequest, name: str) -> HttpResponse:
    """A provider's webhook (Telegram, WhatsApp Cloud API, the SMS gateway). GET answers WhatsApp's check."""
    return webhook.receive(request, name)


class OptionOut(Schema):
    key: str
    label: str


class ReplyOut(Schema):
    text: str
    options: list[OptionOut]
    ask_location: bool


class ChatIn(Schema):
    token: str = Field("", max_length=64, description="Empty on the first message; then the token returned.")
    text: str = Field("", max_length=20000)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    language: str = Field("", max_length=8)


class ChatOut(Schema):
    token: str
    replies: list[ReplyOut]
    erased: bool
    truncated: bool


class PollIn(Schema):
    token: str = Field(..., max_length=64)
    after: int = 0


class StaffMessageOut(Schema):
    id: int
    text: str
    at: dt.datetime


def _token(value: str) -> str:
    return (
        value
        if value and 20 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum()
        else ""
    )


@router.post("/chat", auth=None, response=ChatOut, operation_id="chat_send")
@public
def chat_send(request: HttpRequest, payload: ChatIn) -> dict[str, Any]:
    """Send one web-chat message and get the bot's replies. No cookie: keep the token for the next one."""
    token = _token(payload.token) or actions.new_webchat_token()
    location = (payload.lat, payload.lon) if payload.lat is not None and payload.lon is not None else None
    language = payload.language if payload.language in ("id", "en") else (get_language() or "id")[:2]
    received = actions.do_receive_message(
        channel=webchat_channel(), sender=token, text=payload.text, location=location, language=language
    )
    return {
        "token": token,
        "replies": [
            {
                "text": r.text,
                "options": [{"key": o.key, "label": o.label} for o in r.options],
                "ask_location": r.ask_location,
            }
            for r in received.replies
        ],
        "erased": received.erased,
        "truncated": received.truncated,
    }


@router.post("/chat/poll", auth=None, response=list[StaffMessageOut], operation_id="chat_poll")
@public
def chat_poll(request: HttpRequest, payload: PollIn) -> list[dict[str, Any]]:
    """Staff answers written since the message id `after`."""
    conversation = selectors.chat_conversation(token=_token(payload.token), open_only=False)
    return [
        {"id": m.pk, "text": selectors.decrypt_text(m), "at": m.created_at}
        for m in selectors.new_staff_messages(conversation=conversation, after=payload.after)
    ]


class HandoffOut(Schema):
    id: uuid.UUID
    code: str
    topic: str
    urgency: str
    channel: str
    mission: str | None
    handoff_at: dt.datetime | None
    needs_reply: bool
    assigned: bool
    case_code: str


@router.get("/handoffs", response=list[HandoffOut], operation_id="handoff_list")
@capability(Cap.HELPDESK_ANSWER)
def handoff_list(request: HttpRequest, topic: str = "", urgency: str = "") -> list[dict[str, Any]]:
    """The hand-off queue the caller may see: emergencies first, then by waiting time. No message text."""
    items = selectors.list_handoff_queue(user=request.auth, topic=topic, urgency=urgency)[:200]  # type: ignore[attr-defined]
    return [
        {
            "id": c.public_id,
            "code": c.short_code,
            "topic": c.topic,
            "urgency": c.urgency,
            "channel": c.channel,
            "mission": c.mission.code if c.mission else None,
            "handoff_at": c.handoff_at,
            "needs_reply": c.needs_reply,
            "assigned": c.assigned_to_id is not None,
            "case_code": c.case_code,
        }
        for c in items
    ]


class ReplyIn(Schema):
    text: str = Field(..., max_length=20000)


class ReplyCreated(Schema):
    id: int


@router.post(
    "/conversations/{public_id}/replies", response={201: ReplyCreated}, operation_id="conversation_reply"
)
@capability(Cap.HELPDESK_ANSWER)
def conversation_reply(
    request: HttpRequest, public_id: uuid.UUID, payload: ReplyIn
) -> Status[dict[str, int]]:
    """Answer her over the channel she used (refused outside WhatsApp's 24-hour window, or after STOP)."""
    user = request.auth  # type: ignore[attr-defined]
    conversation = selectors.access_conversation_by_id(user=user, public_id=public_id)
    try:
        message = actions.do_reply_to_conversation(conversation=conversation, actor=user, text=payload.text)
    except actions.HelpdeskError as exc:
        raise HttpError(409, str(exc)) from exc
    return Status(201, {"id": message.pk})
