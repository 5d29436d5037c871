"""The statistics sources of other modules: cases, crises and finance feed the release through the same
protection as the registry; a source that fails is reported and left out, never faked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from perisai.governance.models import StatCell

from .conftest import make_people, publish

pytestmark = pytest.mark.usefixtures("places")


def _table_is_migrated(model: Any) -> bool:
    with connection.cursor() as cursor:
        columns = {
            c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)
        }
    return {f.column for f in model._meta.concrete_fields} <= columns


def test_finance_means_are_published_only_for_five_people_or_more(
    monkeypatch: pytest.MonkeyPatch, analyst: Client
) -> None:
    from perisai.finance import statistics

    rows = [
        ("35.07.01.2001", "MY", 6, 6 * 4.5),  # 6 people, mean 4.5 %
        ("35.08.01.2001", "MY", 4, 4 * 7.0),
        ("33.01.01.2001", "MY", 9, 9 * 3.0),
        ("33.01.01.2001", "SG", 2, 2 * 9.0),
        ("", "HK", 5, 5 * 2.0),
    ]
    monkeypatch.setattr(statistics, "sdg_10_c_1_rows", lambda **kw: iter(rows))
    monkeypatch.setattr(statistics, "sdg_10_7_1_rows", lambda **kw: iter([]))
    release = publish()
    assert release.sources["finance"]["connected"]
    nation = {c.category: c for c in StatCell.objects.filter(release=release, table="sdg_10_c_1", geo="ID")}
    assert nation["MY"].n == 19 and nation["MY"].value == pytest.approx(6 * 4.5 + 4 * 7.0 + 9 * 3.0)
    assert nation["SG"].hidden and nation["SG"].value is None
    assert not StatCell.objects.filter(release=release, table="sdg_10_c_1", hidden=False, n__lt=5).exists()
    body = analyst.get(reverse("governance:stats_dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "4,5%" in body or "4.5%" in body or "4,4%" in body or "4,2%" in body
    )  # a mean is shown, as a percentage


def test_crisis_rosters_count_consenting_people_of_open_crises(analyst: Client) -> None:
    from perisai.crisis import models as crisis

    if not _table_is_migrated(crisis.RosterEntry) or not _table_is_migrated(crisis.Crisis):
        pytest.skip("the crisis module's tables are being changed")
    from perisai.places.models import Country

    Country.objects.get_or_create(iso2="MY", defaults={"iso3": "MYS", "name": "Malaysia"})
    open_crisis = crisis.Crisis.objects.create(
        title="Banjir Johor", type="flood", country_id="MY", status="active"
    )
    drill = crisis.Crisis.objects.create(
        title="Latihan", type="flood", country_id="MY", status="active", exercise=True
    )
    inside = make_people(village="35.07.01.2001", n=14) + make_people(village="35.07.01.2002", n=7)
    refused = make_people(village="35.07.01.2001", n=3, consent=False)
    statuses = ["safe"] * 12 + ["need_help"] * 6 + ["unknown"] * 3
    for person, status in zip(inside + refused, statuses + ["need_help"] * 3, strict=True):
        crisis.RosterEntry.objects.create(crisis=open_crisis, person=person, status=status)
        crisis.RosterEntry.objects.create(crisis=drill, person=person)
    release = publish()
    assert release.sources["crisis"]["connected"]
    exposure = StatCell.objects.get(release=release, table="crisis_exposure", geo="35.07")
    assert exposure.n == 21  # consenting people only; the exercise is left out
    accounting = {
        c.category.split("|")[1]: c
        for c in StatCell.objects.filter(release=release, table="crisis_accounting", geo="ID").exclude(
            category=""
        )
    }
    assert accounting["safe"].n == 12 and accounting["unknown"].hidden  # 3 with no news: not shown
    assert not StatCell.objects.filter(
        release=release, table="crisis_accounting", hidden=False, n__lt=5
    ).exists()
    body = analyst.get(reverse("governance:stats_dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Banjir Johor: Safe" in body and "Latihan" not in body


def test_cases_by_type_from_consenting_cases(analyst: Client) -> None:
    from perisai.cases.models import Case

    if not _table_is_migrated(Case):
        pytest.skip("the cases module's tables are being changed")
    now = timezone.now()
    for i in range(8):
        Case.objects.create(
            code=f"C-2026-{i:05d}",
            case_type="wages",
            source="walk_in",
            contact_due_at=now,
            reporting_consent=True,
            region_code="35.07.01.2001",
            home_province="35",
            home_regency="35.07",
            opened_at=now - dt.timedelta(days=i),
        )
    Case.objects.create(
        code="C-2026-99999",
        case_type="violence",
        source="call",
        contact_due_at=now,
        reporting_consent=False,
        home_province="35",
        home_regency="35.07",
    )
    release = publish()
    cells = {
        c.category: c for c in StatCell.objects.filter(release=release, table="cases_by_type", geo="35.07")
    }
    assert cells["wages"].n == 8 and "violence" not in cells
    body = analyst.get(reverse("governance:local_profile", kwargs={"code": "35.07"})).content.decode()
    assert 'id="profile-cases">8<' in body


def test_a_failing_source_is_reported_and_left_out(monkeypatch: pytest.MonkeyPatch, analyst: Client) -> None:
    from perisai.governance.sources.finance import FinanceSourceType

    def broken(self: Any, table: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(FinanceSourceType, "rows", broken)
    make_people(village="35.07.01.2001", n=6)
    release = publish()
    assert release.status == "published" and release.sources["finance"].get("failed")
    assert StatCell.objects.get(release=release, table="people_abroad", geo="ID").n == 6
    body = analyst.get(reverse("governance:stats_dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Reading this source failed" in body
