from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from perisai.core.roles import Role
from perisai.places.models import Mission
from perisai.registry.tests import conftest as registry_conftest

reference = registry_conftest.reference  # countries, missions, a few villages


@pytest.fixture
def kyiv(reference: None) -> Mission:
    return Mission.objects.get(code="kbri-kyiv")


@pytest.fixture
def staff(kyiv: Mission, client_for: Callable[..., Client]) -> Callable[..., Client]:
    """A signed-in client of a role at KBRI Kyiv, speaking English (the catalogue's msgids)."""

    def make(role: str = Role.MISSION_OFFICER, **kwargs: Any) -> Client:
        kwargs.setdefault("missions", [kyiv])
        client = client_for(role, **kwargs)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make
