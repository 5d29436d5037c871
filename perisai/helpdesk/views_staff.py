"""Staff: the hand-off queue, a conversation (audited), answering her over her channel, closing, cases."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from perisai.core.models import User
from perisai.core.permissions import requires
from perisai.core.roles import Cap

from . import actions, casebridge, selectors
from .forms import OpenCaseForm, QueueFilterForm, ReplyForm
from .models import Conversation


def _topic_labels(language: str) -> dict[str, str]:
    from .flows.definition import load_default

    topics = load_default().get("topics", {})
    return {k: str(v["label"].get(language) or v["label"]["id"]) for k, v in topics.items()}


@requires(Cap.HELPDESK_ANSWER)
def queue(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    labels = _topic_labels(request.LANGUAGE_CODE[:2])
    form = QueueFilterForm(request.GET or None, topics=labels)
    filters = form.cleaned_data if form.is_valid() else {}
    items = list(
        selectors.list_handoff_queue(
            user=user,
            topic=filters.get("topic") or "",
            urgency=filters.get("urgency") or "",
            mine=bool(filters.get("mine")),
        )[:200]
    )
    for item in items:
        item.topic_label = labels.get(item.topic, item.topic)  # type: ignore[attr-defined]
    template = (
        "helpdesk/staff/_queue_rows.html"
        if request.headers.get("HX-Request")
        else "helpdesk/staff/queue.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "items": items,
            "labels": labels,
            "counts": selectors.queue_counts(user=user),
            "cases_available": casebridge.available(),
        },
    )


@requires(Cap.HELPDESK_ANSWER)
def conversation(request: HttpRequest, public_id: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    item = selectors.access_conversation_by_id(user=user, public_id=public_id)
    return _render_conversation(request, item, ReplyForm())


def _render_conversation(
    request: HttpRequest, item: Conversation, form: ReplyForm, status: int = 200
) -> HttpResponse:
    blocked = actions.message_block(item)
    return render(
        request,
        "helpdesk/staff/conversation.html",
        {
            "item": item,
            "shown": selectors.conversation_messages(item),
            "location": selectors.conversation_location(item),
            "address": selectors.contact_address(item),
            "form": form,
            "case_form": OpenCaseForm(),
            "blocked": actions.block_reason(blocked) if blocked else "",
            "topic_label": _topic_labels(request.LANGUAGE_CODE[:2]).get(item.topic, item.topic),
            "cases_available": casebridge.available(),
        },
        status=status,
    )


@requires(Cap.HELPDESK_ANSWER)
@require_POST
def conversation_reply(request: HttpRequest, public_id: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    item = selectors.access_conversation_by_id(user=user, public_id=public_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            actions.do_reply_to_conversation(conversation=item, actor=user, text=form.cleaned_data["text"])
        except actions.HelpdeskError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, _("Your answer was sent."))
            return redirect("helpdesk:conversation", public_id=item.public_id)
    # What was written stays in the box, with the reason it could not go.
    return _render_conversation(request, item, form, status=200)


@requires(Cap.HELPDESK_ANSWER)
@require_POST
def conversation_take(request: HttpRequest, public_id: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    item = selectors.access_conversation_by_id(user=user, public_id=public_id)
    actions.do_take_conversation(conversation=item, actor=user)
    messages.success(request, _("You are answering this conversation."))
    return redirect("helpdesk:conversation", public_id=item.public_id)


@requires(Cap.HELPDESK_ANSWER)
@require_POST
def conversation_close(request: HttpRequest, public_id: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    item = selectors.access_conversation_by_id(user=user, public_id=public_id)
    closed = actions.do_close_conversation(conversation=item, actor=user)
    if closed.followup_due_at:
        messages.success(request, _("Closed. The bot will ask how she is, at the time she chose."))
    else:
        messages.success(request, _("Closed."))
    return redirect("helpdesk:queue")


@requires(Cap.HELPDESK_ANSWER)
@require_POST
def conversation_case(request: HttpRequest, public_id: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    item = selectors.access_conversation_by_id(user=user, public_id=public_id)
    form = OpenCaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the kind of case."))
    else:
        try:
            code = actions.do_open_case_for_conversation(
                conversation=item, actor=user, case_type=form.cleaned_data["case_type"]
            )
        except actions.HelpdeskError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Case %(code)s is open.") % {"code": code})
    return redirect("helpdesk:conversation", public_id=item.public_id)
