"""Demo cases: synthetic, reproducible, idempotent; a larger count only adds the missing ones."""

from __future__ import annotations

import io

from django.core.management import call_command

from ..demo import create_demo_cases
from ..models import Case, CaseConsent, ServiceProvider
from .conftest import CaseWorld


def test_demo_cases_are_idempotent_and_consistent(cw: CaseWorld) -> None:
    assert create_demo_cases(people=40, seed=7) == 40
    assert create_demo_cases(people=40, seed=7) == 0
    first = list(
        Case.objects.order_by("link_id").values_list("link_id", "case_type", "urgency", "region_code")
    )
    assert create_demo_cases(people=60, seed=7) == 20
    assert Case.objects.filter(link_type="demo").count() == 60
    again = list(
        Case.objects.filter(link_id__in=[row[0] for row in first])
        .order_by("link_id")
        .values_list("link_id", "case_type", "urgency", "region_code")
    )
    assert again == first
    codes = list(Case.objects.values_list("code", flat=True))
    assert len(set(codes)) == len(codes)
    consenting = Case.objects.filter(reporting_consent=True)
    assert CaseConsent.objects.filter(purpose="reporting", granted=True).count() == consenting.count() > 0
    for case in Case.objects.all():
        assert (case.status == "closed") == (case.closed_at is not None)
        assert case.first_contact_minutes is None or case.first_contact_at is not None
    assert ServiceProvider.objects.filter(name__contains="(demo)").exists()


def test_demo_command(cw: CaseWorld) -> None:
    out = io.StringIO()
    call_command("cases", "demo", "--count", "15", "--seed", "3", stdout=out)
    assert "15 created" in out.getvalue()
