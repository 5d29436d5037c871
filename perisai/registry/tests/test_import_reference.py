"""The import checks each row with the registration form's rules, its reference lookups (countries, "are any
regions loaded", the NIK's regency, the village) asked once per import: the same errors as the form, lookups
that a reload of the regions reaches at the next import, and a number of queries that does not grow with
the rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from perisai.core.models import User
from perisai.places import actions as place_actions
from perisai.places.reference import load_emergency_numbers
from perisai.places.regions import RegionRow, do_import_regions
from perisai.registry import imports
from perisai.registry.actions import PersonInput, RegistryInputError, check_person_input, do_register_person
from perisai.registry.models import Person
from perisai.registry.search import reset_name_index
from perisai.registry.tests.officer_factories import World, make_world
from perisai.registry.validation import ReferenceLookups

HEADER = ["Nama", "NIK", "Negara", "HP", "Kode Desa"]
COLUMNS = {"full_name": "Nama", "nik": "NIK", "country": "Negara", "phone": "HP", "home_village": "Kode Desa"}
GOOD = ["Siti Aminah", "3507014101900001", "Malaysia", "+60123456789", "35.07.01.2001"]
BAD_REGENCY = ["Budi Santoso", "3599011001850002", "Malaysia", "+60123456780", "35.07.01.2001"]
BAD_VILLAGE = ["Desa Hilang", "3507014101900005", "Malaysia", "+60123456705", "35.07.01.9999"]
IN_INDONESIA = ["Di Rumah", "3507014101900006", "Indonesia", "+60123456706", ""]
NO_SUCH_COUNTRY = ["Negeri Dongeng", "3507014101900007", "Atlantis", "+60123456707", ""]
EVERYTHING_WRONG = ["Serba Salah", "3599014101900008", "Atlantis", "+60123456708", "35.99.01.2001"]


@pytest.fixture(autouse=True)
def _fresh_index_and_media(tmp_path: Path) -> Iterator[None]:
    reset_name_index()
    with override_settings(MEDIA_ROOT=tmp_path / "media", LANGUAGE_CODE="en"), translation.override("en"):
        yield
    reset_name_index()


@pytest.fixture
def world(reference: None, make_user: Callable[..., User]) -> World:
    return make_world(make_user)


def _table(rows: list[list[str]]) -> imports.Table:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return imports.read_csv(out.getvalue().encode())


def _import(rows: list[list[str]], **kwargs: Any) -> imports.ImportReport:
    return imports.do_import_people(table=_table(rows), **kwargs)


def _converted(row: list[str], *, default_country: str = "") -> imports.ConvertedRow:
    return imports.convert_row(row, imports.guess_mapping(HEADER), default_country=default_country)


def _form_errors(data: PersonInput) -> dict[str, list[str]]:
    """What the registration form answers for this input (its action, with no import's lookups)."""
    with pytest.raises(RegistryInputError) as error:
        do_register_person(data=data, actor=None)
    return error.value.errors


def _checked_errors(data: PersonInput, reference: ReferenceLookups) -> dict[str, list[str]]:
    with pytest.raises(RegistryInputError) as error:
        check_person_input(data, reference=reference)
    return error.value.errors


def _expected_messages(row: imports.ConvertedRow) -> list[str]:
    """The report's messages for a row the form refuses: the form's errors, then the conversion's."""
    errors = _form_errors(row.data)
    for name, messages in row.errors.items():
        errors.setdefault(name, []).extend(messages)
    return [f"{COLUMNS[name]}: {' '.join(messages)}" for name, messages in errors.items()] + row.notes


def test_import_gives_the_forms_errors_for_unknown_regency_village_and_country(world: World) -> None:
    # Each bad value twice, after a good row has put the same country, regency and village in the lookups.
    bad = [BAD_REGENCY, BAD_VILLAGE, IN_INDONESIA, NO_SUCH_COUNTRY, EVERYTHING_WRONG]
    rows = [GOOD, *bad, *[[f"{row[0]} Lagi", *row[1:]] for row in bad]]
    # Line 1 is the header, line 2 the good row.
    expected = {line: _expected_messages(_converted(row)) for line, row in enumerate(rows[1:], start=3)}
    report = _import(rows, actor=world.officer)
    assert [r.outcome for r in report.rows] == ["created"] + ["skipped"] * 10
    assert {r.line: r.messages for r in report.rows[1:]} == expected
    # The messages are the form's real answers, not empty ones.
    text = {r.line: " ".join(r.messages) for r in report.rows}
    assert "NIK: Digits 3 and 4 of the NIK are not a regency of that province." in text[3]
    assert "Kode Desa: This village code does not exist." in text[4]
    assert "Negara: Lapor diri is for citizens staying abroad" in text[5]
    assert "Negara: Choose the country where you are staying. This country is not recognised." in text[6]
    assert all(s in text[7] for s in ("not a regency", "village code does not exist", "Choose the country"))
    # The second time, from the lookups: the same words.
    assert [text[n] for n in range(8, 13)] == [text[n] for n in range(3, 8)]


def test_shared_lookups_answer_as_the_forms_own_queries(world: World) -> None:
    """check_person_input with one ReferenceLookups for many rows (as an import does, warmed by a chunk's
    bulk look-up) gives, row after row, exactly the errors it gives with its own queries."""
    rows = [_converted(r).data for r in (BAD_REGENCY, BAD_VILLAGE, IN_INDONESIA, NO_SUCH_COUNTRY)]
    no_country = ["Tanpa Negara", "3507014101900009", "", "+60123456709", ""]
    rows += [_converted(no_country, default_country="XX").data]
    rows += [_converted(EVERYTHING_WRONG).data]
    shared = ReferenceLookups()
    shared.load(regencies=["35.07", "35.99", "33.01"], villages=["35.07.01.2001", "35.07.01.9999"])
    for _round in range(2):
        for data in rows:
            assert _checked_errors(data, shared) == _form_errors(data)
    assert check_person_input(_converted(GOOD).data, reference=shared).values["home_village"].code == (
        "35.07.01.2001"
    )


def test_a_reload_of_the_regions_is_seen_by_the_next_import(world: World) -> None:
    """The lookups live for one import: no process-wide cache to go stale after `places import-regions`."""
    report = _import([BAD_REGENCY, BAD_VILLAGE], actor=world.officer)
    assert [r.outcome for r in report.rows] == ["skipped", "skipped"]
    do_import_regions(
        rows=iter(
            [
                RegionRow("35.99", "35", "Kabupaten Baru", 2),
                RegionRow("35.07.01.9999", "35.07.01", "Desa Baru", 4),
            ]
        ),
        retire_missing=False,
    )
    report = _import([BAD_REGENCY, BAD_VILLAGE], actor=world.officer)
    assert [r.outcome for r in report.rows] == ["created", "created"]
    assert Person.objects.get(full_name="Desa Hilang").home_village_id == "35.07.01.9999"


def test_without_regions_the_nik_regency_is_not_checked_by_either(db: None) -> None:
    place_actions.do_load_countries(emergency_numbers=load_emergency_numbers())
    row = [*BAD_REGENCY[:4], ""]  # no village: none is loaded
    data = _converted(row).data
    assert check_person_input(data).nik == "3599011001850002"
    assert check_person_input(data, reference=ReferenceLookups()).nik == "3599011001850002"
    report = _import([row], actor=None)
    assert [r.outcome for r in report.rows] == ["created"]


def _many_rows(count: int, first: int) -> list[list[str]]:
    """Distinct people, each with another village; every fifth row is refused for a regency, a village or a
    country (so the refused rows are counted too)."""
    rows = []
    for n in range(first, first + count):
        row = [f"Orang {n}", f"350701410190{n:04d}", "Malaysia", f"+6012345{n:04d}", f"35.07.01.{2100 + n}"]
        if n % 5 == 1:
            row[1] = f"359901410190{n:04d}"
        elif n % 5 == 2:
            row[4] = f"35.07.01.{8000 + n}"
        elif n % 5 == 3:
            row[2] = "Atlantis"
        rows.append(row)
    return rows


def test_the_queries_of_an_import_do_not_grow_with_its_rows(
    world: World, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    do_import_regions(
        rows=iter([RegionRow(f"35.07.01.{2100 + n}", "35.07.01", f"Desa {n}", 4) for n in range(1, 200)]),
        retire_missing=False,
    )
    small, large = _many_rows(10, 1), _many_rows(150, 20)
    with CaptureQueriesContext(connection) as queries:
        report = _import(small, actor=world.officer)
    assert report.counts == {"created": 4, "updated": 0, "unchanged": 0, "skipped": 6}
    # 14x the rows, 14x the distinct villages: the same queries, give or take a few (before: 4 more a row).
    with django_assert_max_num_queries(len(queries) + 5):
        report = _import(large, actor=world.officer)
    assert report.counts["created"] == 60 and report.counts["skipped"] == 90
