"""`perisai bootstrap` (what `make run` calls) can run twice: the second run adds nothing and fails nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from perisai.cases.models import Case
from perisai.core.models import User
from perisai.governance.models import Framework, StatRelease
from perisai.places.models import Country, Mission, Region
from perisai.registry.models import Consent, Household, Person


def _counts() -> dict[str, int]:
    models = (Country, Region, Mission, Framework, Person, Household, Consent, User, Case, StatRelease)
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_bootstrap_twice_adds_nothing_the_second_time(settings: Any) -> None:
    settings.DEBUG = True  # demo data is written only with DEBUG on, as under `make run`
    out = io.StringIO()
    call_command("bootstrap", demo_people=300, seed=11, stdout=out)
    first = _counts()
    assert first["Region"] > 90_000 and first["Mission"] > 100 and first["Framework"] >= 2
    assert first["Person"] >= 300 and first["Case"] >= 100 and first["StatRelease"] == 1
    assert "officer.kl" in out.getvalue() and "perisai-demo-2026" in out.getvalue()
    again = io.StringIO()
    call_command("bootstrap", demo_people=300, seed=11, stdout=again)
    assert _counts() == first
    assert "officer.kl" in again.getvalue()
