"""Every governance page for every role: allowed exactly when the role table says so; a denial changes nothing.

(The project-wide matrix in perisai/core/tests covers every app; this one runs on its own, with the samples in
permission_samples.py, so the module can be checked while others are still being built.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from perisai.conftest import login
from perisai.core.models import AuditEvent, User
from perisai.core.permissions import AUTHENTICATED, PUBLIC
from perisai.core.roles import Role, role_has

from .permission_samples import POST_ONLY, SAMPLES


def _patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            ns = f"{namespace}{item.namespace}:" if item.namespace else namespace
            yield from _patterns(item, ns)
        elif item.name:
            yield f"{namespace}{item.name}", item


def governance_views() -> list[tuple[str, URLPattern]]:
    return [(n, p) for n, p in _patterns(get_resolver()) if n.startswith("governance:")]


def test_every_governance_view_declares_a_capability_and_has_a_sample() -> None:
    views = governance_views()
    assert len(views) > 30
    for name, pattern in views:
        assert hasattr(pattern.callback, "perisai_capability"), name
        if pattern.pattern.converters:
            assert name in SAMPLES, f"no permission sample for {name}"


@pytest.mark.parametrize("role", Role.values)
def test_governance_permission_matrix(role: str, make_user: Callable[..., User]) -> None:
    from perisai.governance.models import Assessment, Participant, PlanAction, ProgressReport

    client = login(Client(), make_user(role))
    world: dict[str, Any] = {}
    for name, pattern in governance_views():
        capability = pattern.callback.perisai_capability  # type: ignore[attr-defined]
        url = reverse(name, kwargs=SAMPLES[name](world) if pattern.pattern.converters else {})
        before = (
            AuditEvent.objects.count(),
            Assessment.objects.filter(status="draft").count(),
            ProgressReport.objects.count(),
            Participant.objects.count(),
            PlanAction.objects.count(),
        )
        response = client.post(url) if name in POST_ONLY else client.get(url)
        allowed = capability in (PUBLIC, AUTHENTICATED) or role_has(role, capability)
        if allowed:
            assert response.status_code in (200, 302, 404), (
                f"{role} should open {name}: {response.status_code}"
            )
        else:
            assert response.status_code == 403, f"{role} must not open {name}: {response.status_code}"
            after = (
                AuditEvent.objects.count(),
                Assessment.objects.filter(status="draft").count(),
                ProgressReport.objects.count(),
                Participant.objects.count(),
                PlanAction.objects.count(),
            )
            assert after == before, f"a denied {name} changed something"


def test_anonymous_is_sent_to_login(db: None) -> None:
    client = Client()
    for name, pattern in governance_views():
        url = reverse(name, kwargs=SAMPLES[name]({}) if pattern.pattern.converters else {})
        response = client.post(url) if name in POST_ONLY else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
