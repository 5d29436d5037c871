"""Every page view and every API operation, for every role: allowed exactly when the role table says so.

A new view without a declared capability, or without a sample below, fails this test on purpose.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from perisai.api import api
from perisai.conftest import login
from perisai.core.models import User
from perisai.core.permissions import AUTHENTICATED, PUBLIC
from perisai.core.roles import Role, role_has

SKIP_PREFIXES = ("admin:", "api:", "set_language")


def iter_patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            ns = f"{namespace}{item.namespace}:" if item.namespace else namespace
            yield from iter_patterns(item, ns)
        elif item.name:
            yield f"{namespace}{item.name}", item


def page_views() -> list[tuple[str, URLPattern]]:
    return [(name, p) for name, p in iter_patterns(get_resolver()) if not name.startswith(SKIP_PREFIXES)]


@pytest.fixture
def world(db: None, make_user: Callable[..., User]) -> dict[str, Any]:
    """A mission with one registered person, and a user of every role scoped to it."""
    from perisai.core.actions import do_create_api_token
    from perisai.places.models import Country, Mission
    from perisai.registry.models import Person

    Country.objects.create(iso2="MY", iso3="MYS", name="Malaysia")
    mission = Mission.objects.create(
        code="kbri-kuala-lumpur",
        type="embassy",
        abbr="KBRI",
        name="KBRI Kuala Lumpur",
        city="Kuala Lumpur",
        country_id="MY",
        lat=3.139,
        lon=101.687,
    )
    person = Person.objects.create(
        full_name="Sri Wahyuni", name_key="sri wahyuni", country_id="MY", mission=mission
    )
    users = {role: make_user(role, missions=[mission]) for role in Role.values}
    token, _ = do_create_api_token(
        actor=users[Role.ADMIN], owner=users[Role.ADMIN], name="t", scopes=["tokens.manage"], days=1
    )
    return {"mission": mission, "person": person, "users": users, "token": token}


SAMPLES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "places:mission_detail": lambda w: {"code": w["mission"].code},
    "registry:person_detail": lambda w: {"public_id": w["person"].public_id},
    "core:token_revoke": lambda w: {"token_id": w["token"].pk},
}
POST_ONLY = {"core:logout", "core:token_revoke", "registry:my_gone_home"}


def _collect_app_samples() -> None:
    """Apps add samples for their own URLs in `perisai/<app>/tests/permission_samples.py`: a dict SAMPLES
    (url name -> function of the world returning the URL kwargs; it may create what it needs) and a set
    POST_ONLY."""
    from importlib import import_module

    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith("perisai."):
            continue
        try:
            module = import_module(f"{config.name}.tests.permission_samples")
        except ModuleNotFoundError:
            continue
        SAMPLES.update(getattr(module, "SAMPLES", {}))
        POST_ONLY.update(getattr(module, "POST_ONLY", set()))


_collect_app_samples()


def test_every_view_declares_a_capability() -> None:
    missing = [name for name, p in page_views() if not hasattr(p.callback, "perisai_capability")]
    assert missing == [], f"views without @requires(...): {missing}"


def test_every_api_operation_declares_a_capability() -> None:
    missing = []
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                if not hasattr(operation.view_func, "perisai_capability"):
                    missing.append(f"{operation.methods} {path}")
    assert missing == []


@pytest.mark.parametrize("role", Role.values)
def test_page_permission_matrix(role: str, world: dict[str, Any]) -> None:
    from perisai.core.models import AuditEvent

    user = world["users"][role]
    client = login(Client(), user)
    checked = 0
    for name, pattern in page_views():
        if name == "core:logout":  # would end the session for the rest of the loop; tested in test_auth
            continue
        capability = pattern.callback.perisai_capability  # type: ignore[attr-defined]
        kwargs = SAMPLES[name](world) if pattern.pattern.converters else {}
        url = reverse(name, kwargs=kwargs)
        before = AuditEvent.objects.count()
        response = client.post(url) if name in POST_ONLY else client.get(url)
        allowed = capability in (PUBLIC, AUTHENTICATED) or role_has(role, capability)
        if allowed:
            assert response.status_code in (200, 302, 404), (
                f"{role} should open {name}: {response.status_code}"
            )
        else:
            assert response.status_code == 403, f"{role} must not open {name}: got {response.status_code}"
            assert AuditEvent.objects.count() == before, f"a denied {name} changed the audit log"
        checked += 1
    assert checked >= 10


def test_officer_outside_jurisdiction_gets_not_found(
    world: dict[str, Any], make_user: Callable[..., User]
) -> None:
    from perisai.places.models import Country, Mission

    Country.objects.create(iso2="SA", iso3="SAU", name="Saudi Arabia")
    other = Mission.objects.create(
        code="kjri-jeddah",
        type="consulate_general",
        abbr="KJRI",
        name="KJRI Jeddah",
        city="Jeddah",
        country_id="SA",
        lat=21.5,
        lon=39.2,
    )
    officer = make_user(Role.MISSION_OFFICER, missions=[other])
    client = login(Client(), officer)
    url = reverse("registry:person_detail", kwargs={"public_id": world["person"].public_id})
    assert client.get(url).status_code == 404
    in_scope = login(Client(), world["users"][Role.MISSION_OFFICER])
    response = in_scope.get(url)
    assert response.status_code == 200
    assert "Sri Wahyuni" in response.content.decode()


def test_anonymous_is_sent_to_login_everywhere_but_public_pages(world: dict[str, Any]) -> None:
    client = Client()
    for name, pattern in page_views():
        kwargs = SAMPLES[name](world) if pattern.pattern.converters else {}
        url = reverse(name, kwargs=kwargs)
        response = client.post(url) if name in POST_ONLY else client.get(url)
        if pattern.callback.perisai_capability == PUBLIC:  # type: ignore[attr-defined]
            assert response.status_code in (200, 302)
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


@pytest.mark.parametrize("role", Role.values)
def test_api_permission_matrix(role: str, world: dict[str, Any]) -> None:
    client = login(Client(), world["users"][role])
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                if "GET" not in operation.methods or "{" in path:
                    continue
                capability = operation.view_func.perisai_capability  # type: ignore[attr-defined]
                url = "/api/v1" + _prefix_for(router) + path
                response = client.get(url, {"q": "a", "lat": "3.1", "lon": "101.7"})
                allowed = capability in (PUBLIC, AUTHENTICATED) or role_has(role, capability)
                if allowed:
                    assert response.status_code in (200, 422), f"{role} {url}: {response.status_code}"
                else:
                    assert response.status_code == 403, f"{role} must not call {url}"


def _prefix_for(router: Any) -> str:
    for prefix, candidate in api._routers:
        if candidate is router:
            return "/" + prefix.strip("/") if prefix.strip("/") else ""
    return ""


def _path_value(func: Any, name: str) -> str:
    """A value of the right type for a path parameter (so that the request reaches the capability check)."""
    import typing
    import uuid

    hints = typing.get_type_hints(inspect.unwrap(func))
    kind = hints.get(name, str)
    if kind is uuid.UUID:
        return "00000000-0000-4000-8000-000000000000"
    if kind is int:
        return "1"
    return "x"


def _fill_path(path: str, func: Any) -> str:
    return re.sub(r"{(?:\w+:)?(\w+)}", lambda match: _path_value(func, match.group(1)), path)


@pytest.mark.parametrize("role", Role.values)
def test_every_api_operation_is_refused_to_roles_without_its_capability(
    role: str, world: dict[str, Any]
) -> None:
    """Every operation, whatever its method and parameters: a role without the capability gets no 2xx, and
    nothing is written or audited (403 from the check; 422 where a body the operation would need is absent)."""
    from perisai.core.models import AuditEvent

    client = login(Client(), world["users"][role])
    before = AuditEvent.objects.count()
    checked = 0
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                capability = operation.view_func.perisai_capability  # type: ignore[attr-defined]
                if capability in (PUBLIC, AUTHENTICATED) or role_has(role, capability):
                    continue
                url = "/api/v1" + _prefix_for(router) + _fill_path(path, operation.view_func)
                for method in operation.methods:
                    response = client.generic(method, url, "{}", content_type="application/json")
                    assert response.status_code in (403, 422), (
                        f"{role} {method} {url}: {response.status_code}"
                    )
                    checked += 1
    assert AuditEvent.objects.count() == before
    if role == Role.MIGRANT:
        assert checked >= 30  # the migrant may call almost nothing: the walk really covered the API
