"""The JSON API root: /api/v1, OpenAPI at /api/v1/openapi.json. Each app mounts its own router."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from perisai.cases.api import router as cases_router
from perisai.core.api import router as core_router
from perisai.core.api_auth import AUTH
from perisai.crisis.api import router as crisis_router
from perisai.crisis.evacuation.api import router as evacuation_router
from perisai.finance.api import router as finance_router
from perisai.governance.api import router as governance_router
from perisai.helpdesk.api import router as helpdesk_router
from perisai.places.api import router as places_router
from perisai.registry.api import router as registry_router

api = NinjaAPI(
    title="Perisai API",
    version="1",
    description="Protection platform for Indonesian citizens and migrant workers abroad.",
    auth=AUTH,
    urls_namespace="api",
)


def error_response(
    request: HttpRequest, status: int, code: str, message: str, details: Any = None
) -> HttpResponse:
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return api.create_response(request, body, status=status)


ERROR_MESSAGES = {
    400: ("bad_request", lambda: _("The request could not be understood.")),
    401: ("unauthorised", lambda: _("Sign in or send a valid token.")),
    403: ("forbidden", lambda: _("You may not do this.")),
    404: ("not_found", lambda: _("Not found.")),
    409: ("conflict", lambda: _("This conflicts with the current state of the record.")),
    422: ("invalid", lambda: _("Some fields are not valid.")),
    429: ("throttled", lambda: _("Too many requests. Try again later.")),
}


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {"field": ".".join(str(p) for p in err.get("loc", [])[1:]), "message": err.get("msg", "")}
        for err in exc.errors
    ]
    return error_response(request, 422, "invalid", _("Some fields are not valid."), details)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, message = ERROR_MESSAGES.get(exc.status_code, ("error", lambda: str(exc)))
    text = message() if exc.status_code in ERROR_MESSAGES and str(exc) in (code, "") else str(exc)
    return error_response(request, exc.status_code, code, text)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "unauthorised", _("Sign in or send a valid token."))


@api.exception_handler(PermissionDenied)
def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, "forbidden", _("You may not do this."))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", _("Not found."))


api.add_router("/core", core_router)
api.add_router("/places", places_router)
api.add_router("/registry", registry_router)
api.add_router("/crisis", crisis_router)
api.add_router("/evacuation", evacuation_router)
api.add_router("/helpdesk", helpdesk_router)
api.add_router("/cases", cases_router)
api.add_router("/finance", finance_router)
api.add_router("/governance", governance_router)
