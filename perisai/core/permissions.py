"""Every view and API operation declares the capability it needs; the permission-matrix test checks them all."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from .models import User

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"  # no login needed
AUTHENTICATED = "authenticated"  # any signed-in user


def requires(capability: str) -> Callable[[F], F]:
    """Guard a page view: PUBLIC, AUTHENTICATED or a capability from perisai.core.roles.Cap."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if capability != PUBLIC:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                if capability != AUTHENTICATED and not request.user.can(capability):  # type: ignore[union-attr]
                    raise PermissionDenied
            return view(request, *args, **kwargs)  # type: ignore[no-any-return]

        wrapper.perisai_capability = capability  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def request_user(request: HttpRequest) -> User:
    """The signed-in user of a view guarded by @requires (typed as the project's User)."""
    return request.user  # type: ignore[return-value]
