"""The public web chat: a page, an embeddable page, and the neutral page of the quick exit.

No cookie and no URL carries the conversation: a random token travels in the form. The page works without
JavaScript (each message posts the form and the page comes back with the conversation); with JavaScript
(static/helpdesk/chat.js) the same view answers in JSON and the page only appends. The view is exempt from
CSRF on purpose: it acts with no ambient authority (no session, no cookie), only with the token in the body.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import activate
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from perisai.core.permissions import PUBLIC, requires

from . import actions, selectors
from .conf import MAX_TEXT, exit_url, webchat_channel
from .flows.engine import Reply
from .forms import ChatForm
from .whereabouts import warm_up


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _reply_item(reply: Reply) -> dict[str, Any]:
    return {
        "who": "bot",
        "text": reply.text,
        "options": [{"key": o.key, "label": o.label} for o in reply.options],
        "ask_location": reply.ask_location,
    }


def handle_chat_post(
    form: ChatForm, *, language: str, channel: str | None = None, flow_version: Any = None
) -> dict[str, Any]:
    """Run one posted chat form: what the page (JSON or HTML) shows next. Shared with the flow test page."""
    channel = channel or webchat_channel()
    token = form.cleaned_data["token"]
    text = form.message()
    location = form.location()
    after = form.cleaned_data.get("after") or 0
    items: list[dict[str, Any]] = []
    erased = truncated = False
    options: list[dict[str, str]] = []
    ask_location = False
    conversation: Any = None
    looked_up = False
    if text.strip() or location is not None:
        token = token or actions.new_webchat_token()
        received = actions.do_receive_message(
            channel=channel,
            sender=token,
            text=text,
            location=location,
            language=language,
            flow_version=flow_version,
        )
        items.append({"who": "me", "text": text if text.strip() else _("(my location)")})
        items.extend(_reply_item(r) for r in received.replies)
        erased, truncated = received.erased, received.truncated
        conversation, looked_up = received.conversation, True
        if received.replies:
            options = items[-1]["options"]
            ask_location = any(r.ask_location for r in received.replies)
        if erased:
            token = ""
    staff = []
    if token and not looked_up:
        conversation = selectors.chat_conversation(token=token, channel=channel, open_only=False)
    # Staff can only have written in a conversation handed off to them.
    if conversation is not None and conversation.handoff_at is not None:
        for message in selectors.new_staff_messages(conversation=conversation, after=after):
            staff.append(
                {
                    "who": "staff",
                    "text": selectors.decrypt_text(message),
                    "options": [],
                    "ask_location": False,
                }
            )
            after = max(after, message.pk)
    return {
        "token": token,
        "after": after,
        "items": items + staff,
        "erased": erased,
        "truncated": truncated,
        "options": options,
        "ask_location": ask_location,
    }


def _chat(request: HttpRequest, *, embed: bool) -> HttpResponse:
    warm_up()
    language = request.GET.get("lang") or request.POST.get("lang") or ""
    if language in ("id", "en"):
        activate(language)
    language = (request.LANGUAGE_CODE if language not in ("id", "en") else language)[:2]
    form = ChatForm(request.POST or None)
    result: dict[str, Any] = {"token": "", "after": 0, "items": [], "options": [], "ask_location": False}
    kept = ""
    if request.method == "POST":
        if form.is_valid():
            result = handle_chat_post(form, language=language)
        else:
            kept = str(request.POST.get("text", ""))[: MAX_TEXT * 10]
            result["error"] = _("Your message could not be sent. Please try again.")
    if _wants_json(request):
        status = 400 if result.get("error") else 200
        return JsonResponse({k: v for k, v in result.items()}, status=status)
    conversation = selectors.chat_conversation(token=result["token"]) if result["token"] else None
    history = selectors.chat_history(conversation)
    context = {
        **result,
        "history": history,
        "kept_text": kept,
        "embed": embed,
        "exit_url": exit_url() or reverse("helpdesk:neutral"),
        "action": reverse("helpdesk:chat_embed" if embed else "helpdesk:chat"),
        "language": language,
        "max_text": MAX_TEXT,
    }
    template = "helpdesk/chat/embed.html" if embed else "helpdesk/chat/page.html"
    return render(request, template, context)


@requires(PUBLIC)
@csrf_exempt
@require_http_methods(["GET", "POST"])
def chat(request: HttpRequest) -> HttpResponse:
    return _chat(request, embed=False)


@requires(PUBLIC)
@csrf_exempt
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def chat_embed(request: HttpRequest) -> HttpResponse:
    """The chat alone, for an <iframe> on another site (see perisai/helpdesk/README.md)."""
    return _chat(request, embed=True)


@requires(PUBLIC)
@csrf_exempt
@xframe_options_exempt
@require_POST
def chat_poll(request: HttpRequest) -> HttpResponse:
    """Staff answers since `after`, for the page's periodic check (JSON)."""
    form = ChatForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["token"]:
        return JsonResponse({"items": [], "after": 0})
    after = form.cleaned_data.get("after") or 0
    conversation = selectors.chat_conversation(token=form.cleaned_data["token"], open_only=False)
    items = []
    for message in selectors.new_staff_messages(conversation=conversation, after=after):
        items.append(
            {"who": "staff", "text": selectors.decrypt_text(message), "options": [], "ask_location": False}
        )
        after = max(after, message.pk)
    return JsonResponse({"items": items, "after": after})


@requires(PUBLIC)
@xframe_options_exempt
def neutral(request: HttpRequest) -> HttpResponse:
    """Where the quick exit goes: an ordinary page that says nothing about help."""
    return render(request, "helpdesk/neutral.html")
