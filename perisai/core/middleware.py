from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import context
from .roles import SENSITIVE_ROLES

TWO_FACTOR_EXEMPT_PREFIXES = ("/static/", "/i18n/", "/accounts/", "/favicon.ico")


def client_ip(request: HttpRequest) -> str | None:
    # Behind a trusted proxy, the deployment sets REMOTE_ADDR correctly (docs/deploy.md); never trust XFF here.
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = context.set_current(
            context.RequestContext(
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
                request_id=uuid.uuid4().hex[:16],
            )
        )
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        # Pages with personal data must not be kept by shared or browser caches.
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


def needs_second_factor(request: HttpRequest) -> bool:
    user = request.user
    if not settings.PERISAI_REQUIRE_2FA or not user.is_authenticated:
        return False
    if getattr(request, "api_token", None) is not None:
        return False
    return user.role in SENSITIVE_ROLES and not user.is_verified()  # type: ignore[union-attr,attr-defined]


class StaffTwoFactorMiddleware:
    """Roles that can open sensitive records must pass TOTP before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_second_factor(request) and not request.path.startswith(TWO_FACTOR_EXEMPT_PREFIXES):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "error": {
                            "code": "two_factor_required",
                            "message": _("Two-factor verification required."),
                        }
                    },
                    status=403,
                )
            return HttpResponseRedirect(reverse("core:otp"))
        return self.get_response(request)
