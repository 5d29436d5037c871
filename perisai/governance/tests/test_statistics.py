"""Published statistics through HTTP: consent, figures, exports, and a proof that nothing an analyst can see
or download reveals a group smaller than 5 (an attacker who solves every published equation exactly)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse
from scipy.optimize import linprog

from perisai.core.models import AuditEvent
from perisai.governance.models import StatCell, StatRelease
from perisai.governance.sources import all_tables

from .conftest import make_people, publish

pytestmark = pytest.mark.usefixtures("places")


def _population() -> None:
    """A realistic mix: large groups and a few small ones (3 in Taiwan, 2 in Saudi Arabia, 4 men in Malaysia,
    1 in Hong Kong, 2 returnees), people of unknown origin, and people who did not consent."""
    make_people(village="35.07.01.2001", country="MY", n=40, sex="F", sector="domestic")
    make_people(village="35.07.01.2001", country="HK", n=25, sex="F", sector="domestic")
    make_people(village="35.07.01.2001", country="MY", n=12, sex="M", sector="plantation")
    make_people(village="35.07.01.2001", country="TW", n=3, sex="F", sector="care")
    make_people(village="35.07.01.2002", country="MY", n=15, sex="M", sector="manufacturing", year=2024)
    make_people(village="35.07.01.2002", country="SA", n=2, sex="F", sector="domestic", year=2024)
    make_people(village="35.07.01.2002", country="HK", n=8, sex="F", sector="domestic")
    make_people(village="35.08.01.2001", country="HK", n=30, sex="F", sector="domestic")
    make_people(village="35.08.01.2001", country="MY", n=4, sex="M", sector="construction")
    make_people(village="35.08.01.2001", country="MY", n=10, sex="F", sector="domestic")
    make_people(village="33.01.01.2001", country="TW", n=60, sex="M", sector="manufacturing", year=2023)
    make_people(village="33.01.01.2001", country="MY", n=20, sex="F", sector="domestic")
    make_people(village="33.01.01.2001", country="HK", n=1, sex="F", sector="domestic")
    make_people(village=None, country="MY", n=7, sex="F", sector="domestic")
    make_people(village="35.07.01.2001", country="MY", n=9, sex="F", status="returned")
    make_people(village="35.08.01.2001", country="HK", n=6, sex="F", status="returned")
    make_people(village="33.01.01.2001", country="HK", n=2, sex="F", status="returned")
    make_people(village="35.07.01.2001", country="MY", n=50, sex="M", consent=False)  # never counted


ABROAD_3507 = 40 + 25 + 12 + 3 + 15 + 2 + 8
ABROAD = ABROAD_3507 + 30 + 4 + 10 + 60 + 20 + 1 + 7


def test_publishing_counts_only_consenting_people_and_is_audited(analyst: Client) -> None:
    _population()
    release = publish()
    assert release.status == StatRelease.Status.PUBLISHED and release.sources["registry"]["connected"]
    total = StatCell.objects.get(release=release, table="people_abroad", geo="ID")
    assert total.n == ABROAD  # the 50 without consent are not there
    regency = StatCell.objects.get(release=release, table="people_abroad", geo="35.07", category="")
    assert regency.n == ABROAD_3507
    assert AuditEvent.objects.filter(action="statistics.publish", object_id=str(release.pk)).exists()
    # Every published count is at least 5; hidden cells carry no count at all.
    assert not StatCell.objects.filter(release=release, hidden=False, n__lt=5).exists()
    assert not StatCell.objects.filter(release=release, hidden=True).exclude(n=None).exists()


def test_revoking_consent_removes_a_person_from_the_next_release(analyst: Client) -> None:
    from perisai.registry.models import Consent

    people = make_people(village="35.07.01.2001", country="MY", n=9)
    assert StatCell.objects.get(release=publish(), table="people_abroad", geo="35.07", category="").n == 9
    Consent.objects.filter(person=people[0]).update(granted=False)
    assert StatCell.objects.get(release=publish(), table="people_abroad", geo="35.07", category="").n == 8


NUMBER = re.compile(r'<td class="num">\s*([^<]*?)\s*</td>')


def _shown_numbers(html: str) -> list[str]:
    return [m for m in NUMBER.findall(html) if m and m not in ("\u2013",)]


def test_no_dashboard_shows_a_group_smaller_than_five(analyst: Client) -> None:
    _population()
    publish()
    pages = [reverse("governance:stats_dashboard"), reverse("governance:local_index")]
    for place in ("35", "35.07", "35.08", "33", "33.01"):
        pages.append(reverse("governance:stats_dashboard") + f"?place={place}")
        pages.append(reverse("governance:local_profile", kwargs={"code": place}))
    for village in ("35.07.01.2001", "35.07.01.2002", "35.08.01.2001", "33.01.01.2001"):
        pages.append(reverse("governance:local_profile", kwargs={"code": village}))
    seen_hidden = False
    for url in pages:
        response = analyst.get(url)
        assert response.status_code == 200, url
        for shown in _shown_numbers(response.content.decode()):
            if shown == "\u00d7":
                seen_hidden = True
                continue
            value = int(shown.replace(".", ""))
            assert value >= 5, f"{url} shows {value}"
    assert seen_hidden  # the scenario has small groups: they are hidden, not absent


def _export_rows(client: Client, table: str, fmt: str = "csv") -> list[dict[str, str]]:
    response = client.get(reverse("governance:stats_export", kwargs={"table": table, "fmt": fmt}))
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    header, body = lines[0], lines[1:]
    if fmt == "hxl":
        assert all(tag.startswith("#") for tag in body[0])
        body = body[1:]
    return [dict(zip(header, row, strict=True)) for row in body]


def _geo(row: dict[str, str]) -> str:
    return row["adm4_code"] or row["adm2_code"] or row["adm1_code"] or "ID"


def test_exports_list_only_groups_of_five_and_an_attacker_solving_every_equation_learns_no_small_group(
    analyst: Client,
) -> None:
    """The attacker downloads every table, knows every equation the published structure implies (a total is
    the sum of its categories; a place is the sum of its parts; the same group in two tables is one number)
    and, to make it harder for us, even which groups are empty. Solving with linear programming, no small
    group can be pinned down, and no equation exposes a hidden group smaller than 5."""
    from perisai.governance.release import assemble
    from perisai.governance.sources.registry import RegistrySourceType

    _population()
    publish()
    specs = {code: spec for code, spec in all_tables().items() if spec.source == "registry"}
    published: dict[Any, int] = {}
    for code, spec in specs.items():
        rows = _export_rows(analyst, code)
        assert rows, code
        for row in rows:
            count = int(row["count"])
            assert count >= 5, (code, row)
            key = (spec.source, _geo(row), spec.key(row.get("category", "")))
            assert published.setdefault(key, count) == count  # one group, one answer everywhere
    source = RegistrySourceType()
    truth = assemble([(spec, list(source.rows(spec))) for spec in specs.values()])
    assert set(published) <= set(truth.counts) and all(truth.counts[k] == v for k, v in published.items())
    hidden = sorted((k for k in truth.counts if k not in published), key=repr)
    assert any(0 < truth.counts[k] < 5 for k in hidden)
    index = {k: i for i, k in enumerate(hidden)}
    a_rows, b = [], []
    for eq in truth.equations:
        coeffs = np.zeros(len(hidden))
        constant = 0.0
        for key, sign in [(eq.total, 1.0)] + [(p, -1.0) for p in eq.parts]:
            if key in index:
                coeffs[index[key]] += sign
            else:
                constant += sign * published[key]
        if coeffs.any():
            a_rows.append(coeffs)
            b.append(-constant)
        else:
            assert abs(constant) < 1e-9  # the published figures add up
        if eq.total not in index:  # the hidden parts of a published total: a group of 0 or at least 5
            group = sum(truth.counts[p] for p in eq.parts if p in index)
            assert group == 0 or group >= 5, (eq.total, group)
    a_eq, b_eq = np.array(a_rows), np.array(b)
    for key in hidden:
        if not 0 < truth.counts[key] < 5:
            continue
        c = np.zeros(len(hidden))
        c[index[key]] = 1
        low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=[(0, None)] * len(hidden))
        high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=[(0, 10**6)] * len(hidden))
        assert low.status == 0 and high.status == 0
        assert -high.fun - low.fun >= 1, f"{key} can be worked out: between {low.fun} and {-high.fun}"


def test_xlsx_and_hxl_exports_carry_the_same_cells_and_a_dictionary(analyst: Client) -> None:
    from openpyxl import load_workbook

    _population()
    publish()
    plain = _export_rows(analyst, "people_abroad_by_country")
    tagged = _export_rows(analyst, "people_abroad_by_country", "hxl")
    assert plain == tagged
    response = analyst.get(
        reverse("governance:stats_export", kwargs={"table": "people_abroad_by_country", "fmt": "xlsx"})
    )
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["people_abroad_by_country"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["release_date", "table", "place_level"] and len(values) == len(plain) + 1
    assert len(book.sheetnames) == 2  # the table and its dictionary
    exports = AuditEvent.objects.filter(action="statistics.export")
    assert exports.count() == 3 and {e.details["format"] for e in exports} == {"csv", "hxl", "xlsx"}
    dictionary = analyst.get(reverse("governance:stats_dictionary") + "?format=csv")
    assert b"people_abroad_by_country" in dictionary.content and b"#country+code+dest" in dictionary.content


def test_hxl_hashtags_are_from_the_core_schema(analyst: Client) -> None:
    from perisai.conftest import shared_data
    from perisai.governance.exports import columns

    hashtags = {row[0] for row in csv.reader(shared_data("hxl", "hashtag.hxl.csv").open(encoding="utf-8"))}
    attributes = {
        row[0] for row in csv.reader(shared_data("hxl", "attribute.hxl.csv").open(encoding="utf-8"))
    }
    custom: set[str] = set()
    for spec in all_tables().values():
        for column in columns(spec):
            tag, *attrs = re.findall(r"[#+][a-z0-9_]+", column.hxl)
            assert tag in hashtags, column.hxl
            assert all(a in attributes or a in custom for a in attrs), column.hxl


def test_dashboard_before_any_release_and_sources_not_connected_say_so(analyst: Client) -> None:
    body = analyst.get(reverse("governance:stats_dashboard")).content.decode()
    assert "No statistics have been published yet." in body or "Belum ada statistik" in body
    make_people(village="35.07.01.2001", n=6)
    release = publish()
    body = analyst.get(reverse("governance:stats_dashboard")).content.decode()
    if not release.sources["finance"]["connected"]:
        assert "Not connected yet" in body or "Belum terhubung" in body


def test_publishing_from_the_page_goes_through_the_worker(
    analyst: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.management import call_command

    make_people(village="35.07.01.2001", n=6)
    with django_capture_on_commit_callbacks(execute=True):
        response = analyst.post(reverse("governance:stats_publish"))
    assert response.status_code == 302
    call_command("worker", batch=True, queues="*", no_scheduler=True)
    release = StatRelease.objects.get()
    assert release.status == "published" and release.created_by == analyst.user  # type: ignore[attr-defined]


def test_officer_may_read_statistics_but_not_publish(client_for: Any) -> None:
    officer = client_for("mission_officer")
    assert officer.get(reverse("governance:stats_dashboard")).status_code == 200
    before = AuditEvent.objects.count()
    assert officer.post(reverse("governance:stats_publish")).status_code == 403
    assert AuditEvent.objects.count() == before and not StatRelease.objects.exists()


def test_api_lists_only_published_groups(analyst: Client) -> None:
    _population()
    publish()
    body = analyst.get(
        "/api/v1/governance/statistics/tables/people_abroad_by_country", {"place": "35.07"}
    ).json()
    assert body["total"]["count"] == ABROAD_3507
    assert body["rows"] and all(r["count"] >= 5 and not r["hidden"] for r in body["rows"])
    listed = {r["category"] for r in body["rows"]}
    assert "TW" not in listed and "SA" not in listed  # 3 and 2 people: not listed at all
