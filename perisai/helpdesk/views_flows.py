"""Staff with Cap.HELPDESK_EDIT_FLOWS: edit a flow's texts in both languages, try them, publish."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from perisai.core.models import User
from perisai.core.permissions import requires
from perisai.core.roles import Cap

from . import actions, selectors
from .actions import TEST_CHANNEL
from .forms import ChatForm, FlowTextsForm
from .models import FlowVersion
from .views_chat import handle_chat_post


@requires(Cap.HELPDESK_EDIT_FLOWS)
def flows(request: HttpRequest) -> HttpResponse:
    actions.ensure_published()
    rows = []
    for flow in selectors.list_flows():
        versions = list(flow.versions.all())
        rows.append(
            {
                "flow": flow,
                "published": next((v for v in versions if v.status == FlowVersion.Status.PUBLISHED), None),
                "draft": next((v for v in versions if v.status == FlowVersion.Status.DRAFT), None),
                "versions": versions[:10],
            }
        )
    return render(request, "helpdesk/flows/list.html", {"rows": rows})


@requires(Cap.HELPDESK_EDIT_FLOWS)
@require_http_methods(["GET", "POST"])
def flow_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    flow = selectors.get_flow(slug)
    version = selectors.editable_version(flow)
    if version is None:
        messages.error(request, _("This flow has no version to start from."))
        return redirect("helpdesk:flows")
    form = FlowTextsForm(request.POST or None, definition=version.definition)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        changed = form.changed_texts()
        if not changed:
            messages.info(request, _("Nothing was changed."))
            return redirect("helpdesk:flow_edit", slug=slug)
        try:
            draft, problems = actions.do_save_flow_texts(flow=flow, texts=changed, actor=user)
        except actions.HelpdeskError as error:
            problems = [str(error)]
        else:
            if not problems:
                messages.success(
                    request, _("Saved as draft version %(n)d. Try it, then publish it.") % {"n": draft.number}
                )
                return redirect("helpdesk:flow_edit", slug=slug)
    return render(
        request,
        "helpdesk/flows/edit.html",
        {"flow": flow, "version": version, "form": form, "problems": problems},
        status=200,
    )


@requires(Cap.HELPDESK_EDIT_FLOWS)
@require_POST
def flow_publish(request: HttpRequest, slug: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    flow = selectors.get_flow(slug)
    try:
        version = actions.do_publish_flow(flow=flow, actor=user)
    except actions.HelpdeskError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Version %(n)d is published. New conversations use it; those in progress keep theirs.")
            % {"n": version.number},
        )
    return redirect("helpdesk:flows")


@requires(Cap.HELPDESK_EDIT_FLOWS)
@require_POST
def flow_discard(request: HttpRequest, slug: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    flow = selectors.get_flow(slug)
    if actions.do_discard_draft(flow=flow, actor=user):
        messages.success(request, _("The draft was discarded."))
    return redirect("helpdesk:flows")


@requires(Cap.HELPDESK_EDIT_FLOWS)
@require_http_methods(["GET", "POST"])
def flow_test(request: HttpRequest, slug: str) -> HttpResponse:
    """Test mode: chat with the draft (or the published version). Nothing is sent, no case is opened."""
    flow = selectors.get_flow(slug)
    version = selectors.test_version(flow)
    if version is None:
        return redirect("helpdesk:flows")
    form = ChatForm(request.POST or None)
    result: dict[str, object] = {"token": "", "after": 0, "items": [], "options": []}
    if request.method == "POST" and "restart" not in request.POST and form.is_valid():
        result = handle_chat_post(
            form, language=request.LANGUAGE_CODE[:2], channel=TEST_CHANNEL, flow_version=version
        )
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(result)
    conversation = (
        selectors.chat_conversation(token=str(result["token"]), channel=TEST_CHANNEL)
        if result["token"]
        else None
    )
    return render(
        request,
        "helpdesk/flows/test.html",
        {
            **result,
            "flow": flow,
            "version": version,
            "history": selectors.chat_history(conversation),
            "conversation": conversation,
        },
    )
