from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from .permissions import AUTHENTICATED
from .roles import CAPABILITIES

router = Router(tags=["core"])


class MeOut(Schema):
    username: str
    display_name: str
    role: str
    capabilities: list[str]
    missions: list[str]


def _me(request: HttpRequest) -> MeOut:
    user = request.auth  # type: ignore[attr-defined]
    caps = sorted(CAPABILITIES.get(user.role, frozenset()))
    token = getattr(request, "api_token", None)
    if token is not None:
        caps = sorted(set(caps) & set(token.scopes))
    return MeOut(
        username=user.get_username(),
        display_name=user.display_name,
        role=user.role,
        capabilities=caps,
        missions=list(user.missions.values_list("code", flat=True)),
    )


_me.perisai_capability = AUTHENTICATED  # type: ignore[attr-defined]
router.get("/me", response=MeOut, operation_id="user_me", summary="The signed-in user and what they may do")(
    _me
)
