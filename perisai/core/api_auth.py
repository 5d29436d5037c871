"""API authentication (browser session or scoped token) and per-operation capability checks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyHeader, SessionAuth

from .actions import authenticate_api_token
from .middleware import needs_second_factor

F = TypeVar("F", bound=Callable[..., Any])


class BrowserSession(SessionAuth):
    """The browser's session (with CSRF on unsafe methods); staff must have passed two-factor."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or needs_second_factor(request):
            return None
        return user


class BearerToken(APIKeyHeader):
    """`Authorization: Bearer psk_...` — a scoped, revocable integration token."""

    param_name = "Authorization"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not key or not key.startswith("Bearer "):
            return None
        token = authenticate_api_token(key.removeprefix("Bearer ").strip())
        if token is None:
            return None
        request.user = token.user
        request.api_token = token  # type: ignore[attr-defined]
        return token.user


AUTH = [BrowserSession(), BearerToken()]


def capability(cap: str) -> Callable[[F], F]:
    """Require a capability for an API operation. A token additionally needs the capability in its scopes."""

    def decorator(func: F) -> F:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            user = request.auth  # type: ignore[attr-defined]
            if user is None or not user.can(cap):
                raise HttpError(403, "forbidden")
            token = getattr(request, "api_token", None)
            if token is not None and cap not in token.scopes:
                raise HttpError(403, "forbidden")
            return func(request, *args, **kwargs)

        wrapper.perisai_capability = cap  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator
