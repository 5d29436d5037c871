from __future__ import annotations

import base64
import io
import uuid
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from perisai.registry.selectors import count_people_by_mission, list_people_visible_to

from . import actions, audit, selectors
from .forms import AuditFilterForm, OtpForm, TokenForm
from .models import User
from .permissions import AUTHENTICATED, PUBLIC, requires
from .roles import Cap, Role
from .stats import suppress


class PerisaiLoginView(LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


perisai_login = requires(PUBLIC)(PerisaiLoginView.as_view())


@requires(PUBLIC)
@require_POST
def perisai_logout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("core:login")


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@requires(AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second factor: set up a TOTP device on first use, then verify a code each session."""
    user: User = request.user  # type: ignore[assignment]
    confirmed = [d for d in devices_for_user(user, confirmed=True) if isinstance(d, TOTPDevice)]
    setup = not confirmed
    device: TOTPDevice | None = None
    if setup:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="default", confirmed=False
        )
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        candidates = [device] if device is not None else confirmed
        for candidate in candidates:
            if candidate is not None and candidate.verify_token(token):
                if not candidate.confirmed:
                    candidate.confirmed = True
                    candidate.save(update_fields=["confirmed"])
                    audit.record(actor=user, action="otp.enrol", target=candidate)
                otp_login(request, candidate)
                audit.record(actor=user, action="otp.verify")
                return redirect(request.GET.get("next") or "core:home")
        form.add_error("token", _("That code is not valid. Check the time on your phone and try again."))
    context: dict[str, Any] = {"form": form, "setup": setup}
    if setup and device is not None:
        context["qr"] = _qr_svg(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "core/otp.html", context)


HOME_TEMPLATES = {
    Role.MIGRANT: "core/home_migrant.html",
    Role.MISSION_OFFICER: "core/home_officer.html",
    Role.CASE_WORKER: "core/home_case_worker.html",
    Role.SUPERVISOR: "core/home_supervisor.html",
    Role.ANALYST: "core/home_analyst.html",
    Role.ADMIN: "core/home_admin.html",
}


@requires(AUTHENTICATED)
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context: dict[str, Any] = {"role_label": Role(user.role).label}
    if user.role == Role.MIGRANT:
        context["person"] = list_people_visible_to(user=user).select_related("mission", "country").first()
        context["latest_messages"] = list(selectors.list_inbox_messages(user=user)[:3])
        context["unread_messages"] = selectors.count_unread_inbox_messages(user=user)
    if user.role in (Role.MISSION_OFFICER, Role.SUPERVISOR):
        context["missions"] = list(user.missions.select_related("country").order_by("name"))
        context["people_by_mission"] = count_people_by_mission(user=user)
    if user.role in (Role.CASE_WORKER, Role.SUPERVISOR):
        context["regions"] = list(user.regions.order_by("code"))
        context["organisation"] = user.organisation
    if user.role == Role.ANALYST:
        context["by_country"] = _people_by_country()
    if user.role == Role.ADMIN:
        context["recent_audit"] = selectors.list_audit_events(filters={})[:10]
        context["users_by_role"] = list(User.objects.values("role").annotate(n=Count("id")).order_by("role"))
    return render(request, HOME_TEMPLATES[Role(user.role)], context)


def _people_by_country() -> list[dict[str, Any]]:
    from perisai.registry.models import Person, PersonStatus

    rows = (
        Person.objects.filter(status=PersonStatus.ACTIVE)
        .values("country_id", "country__name")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return suppress(rows)


@requires(Cap.STATS_VIEW)
def statistics(request: HttpRequest) -> HttpResponse:
    return render(request, "core/statistics.html", {"by_country": _people_by_country()})


@requires(Cap.AUDIT_VIEW)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.list_audit_events(filters=filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_log.html", {"form": form, "page": page, "query": query.urlencode()})


@requires(Cap.TOKENS_MANAGE)
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        _token, new_secret = actions.do_create_api_token(
            actor=user,
            owner=user,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            days=form.cleaned_data["days"],
        )
        form = TokenForm()
    return render(
        request,
        "core/tokens.html",
        {"form": form, "tokens": selectors.list_tokens(user=user), "new_secret": new_secret},
    )


@requires(Cap.TOKENS_MANAGE)
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    token = selectors.access_token_by_id(user=user, token_id=token_id)
    if token is not None:
        actions.do_revoke_api_token(actor=user, token=token)
        messages.success(request, _("Token revoked."))
    return HttpResponseRedirect(reverse("core:tokens"))


@requires(AUTHENTICATED)
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's messages in the platform (the `platform` channel): her own, whatever her role."""
    user: User = request.user  # type: ignore[assignment]
    page = Paginator(selectors.list_inbox_messages(user=user), 20).get_page(request.GET.get("page"))
    return render(request, "core/inbox.html", {"page": page})


@requires(AUTHENTICATED)
def inbox_message(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    message = selectors.access_inbox_message_by_id(user=user, public_id=public_id)
    if message is None:
        raise Http404
    actions.do_mark_inbox_message_read(message=message)
    return render(request, "core/inbox_message.html", {"message": message})


@requires(PUBLIC)
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
