"""Export: content (CSV, XLSX, HXL), scope, filters, audit, no identity documents, formulas neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from perisai.conftest import shared_data
from perisai.core.models import AuditEvent, User
from perisai.registry.exports import HXL_TAGS, safe_cell
from perisai.registry.search import reset_name_index
from perisai.registry.tests.officer_factories import World, make_world, register

NIK = "3507014101900001"


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    reset_name_index()
    yield
    reset_name_index()


@pytest.fixture
def world(reference: None, make_user: Callable[..., User]) -> World:
    return make_world(make_user)


@pytest.fixture
def people(world: World) -> None:
    register(
        "Siti Aminah",
        nik=NIK,
        phone="+60123456789",
        sector="domestic",
        home_village="35.07.01.2001",
        immigration_status="Overstay",
        vulnerabilities=1,
    )
    register('=HYPERLINK("http://evil")', phone="+60123456780", sector="plantation")
    register("Agus Salim", country="SA", phone="+966501234567", city_name="Jeddah")


def _rows(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def _export(world: World, user: User, **params: str) -> Any:
    return world.client(user).get(reverse("registry:person_export"), params)


def test_csv_export_in_scope_without_identity_documents(world: World, people: None) -> None:
    response = _export(world, world.officer, format="csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    header, records = rows[0], {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert (
        "nik" not in header and "passport" not in " ".join(header) and "immigration" not in " ".join(header)
    )
    assert set(records) == {"Siti Aminah", '\'=HYPERLINK("http://evil")'}  # Agus is in Jeddah's jurisdiction
    siti = records["Siti Aminah"]
    assert (siti["phone"], siti["country"], siti["country_iso3"], siti["mission_code"]) == (
        "+60123456789",
        "MY",
        "MYS",
        "kbri-kuala-lumpur",
    )
    assert (siti["province"], siti["regency_code"], siti["village"]) == ("Jawa Timur", "35.07", "Tulungrejo")
    assert siti["vulnerabilities"] == "Hamil" or siti["vulnerabilities"] == "Pregnant"
    text = "\n".join(",".join(r) for r in rows)
    assert NIK not in text and "Overstay" not in text


def test_export_is_audited_with_count_and_filters_but_no_names(world: World, people: None) -> None:
    _export(world, world.officer, format="csv", sector="domestic")
    event = AuditEvent.objects.get(action="person.export")
    assert event.actor == world.officer
    assert event.details == {
        "format": "csv",
        "count": 1,
        "filters": {"status": "active", "sector": "domestic"},
    }
    assert "Siti" not in str(event.details)


def test_xlsx_export(world: World, people: None) -> None:
    from openpyxl import load_workbook

    response = _export(world, world.officer, format="xlsx")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ["public_id", "full_name"]
    names = sorted(r[1] for r in rows[1:])
    assert names == ['\'=HYPERLINK("http://evil")', "Siti Aminah"]  # stays text, never a formula


def test_hxl_export_uses_only_core_schema_hashtags_and_attributes(world: World, people: None) -> None:
    rows = _rows(_export(world, world.officer, format="hxl"))
    assert rows[1] == HXL_TAGS and rows[1][0] == "#meta+id"
    hashtags_file = shared_data("hxl", "hashtag.hxl.csv")
    attributes_file = shared_data("hxl", "attribute.hxl.csv")
    with hashtags_file.open(encoding="utf-8") as handle:
        hashtags = {row[0] for row in csv.reader(handle) if row and row[0].startswith("#")}
    with attributes_file.open(encoding="utf-8") as handle:
        attributes = {row[0] for row in csv.reader(handle) if row and row[0].startswith("+")}
    used = [tag for tag in rows[1] if tag]
    assert len(used) >= 20
    for tag in used:
        hashtag, *attrs = tag.split("+")
        assert hashtag in hashtags, tag
        for attr in attrs:
            assert "+" + attr in attributes, tag
    assert len(rows) == 4  # header, hashtags, two people


def test_filters_and_the_api(world: World, people: None) -> None:
    rows = _rows(_export(world, world.admin, format="csv", country="SA"))
    assert [r[1] for r in rows[1:]] == ["Agus Salim"]
    api = world.client(world.officer).get(
        "/api/v1/registry/people/export", {"format": "hxl", "sector": "plantation"}
    )
    assert api.status_code == 200
    assert [r[1] for r in _rows(api)[2:]] == ['\'=HYPERLINK("http://evil")']
    assert AuditEvent.objects.filter(action="person.export").count() == 2


def test_who_may_export(world: World, people: None) -> None:
    before = AuditEvent.objects.count()
    for user in (world.supervisor, world.analyst):
        assert _export(world, user, format="csv").status_code == 403
        assert world.client(user).get("/api/v1/registry/people/export").status_code == 403
    assert AuditEvent.objects.count() == before
    empty = _rows(_export(world, world.other_officer, format="csv", mission="kbri-kuala-lumpur"))
    assert len(empty) == 1  # another mission's officer gets the header only


def test_export_form_page(world: World, people: None) -> None:
    page = _export(world, world.officer)
    body = page.content.decode()
    assert page.status_code == 200 and '<label for="format">' in body and "KBRI Kuala Lumpur" in body
    assert not AuditEvent.objects.filter(action="person.export").exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+60123456789", "+60123456789"),
        ("-5", "-5"),
        ("Siti", "Siti"),
        ("a\x00b", "ab"),
        (5, 5),
    ],
)
def test_safe_cell(value: object, expected: object) -> None:
    assert safe_cell(value) == expected


def test_export_command(world: World, people: None, tmp_path: Path) -> None:
    target = tmp_path / "people.hxl.csv"
    call_command(
        "registry", "export", str(target), "--format", "hxl", "--country", "MY", stdout=io.StringIO()
    )
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8").lstrip("\ufeff"))))
    assert rows[1][0] == "#meta+id" and len(rows) == 4
    event = AuditEvent.objects.get(action="person.export")
    assert event.actor is None and event.details["count"] == 2 and event.details["format"] == "hxl"
    xlsx = tmp_path / "people.xlsx"
    call_command("registry", "export", str(xlsx), "--format", "xlsx", stdout=io.StringIO())
    assert xlsx.read_bytes()[:2] == b"PK"
