"""Bulk import: good and broken files, every row reported, idempotent re-import, the page (upload, mapping,
preview, import, background task), the API and the command."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from perisai.core import crypto
from perisai.core.models import AuditEvent, User
from perisai.registry import imports
from perisai.registry.models import Person
from perisai.registry.search import reset_name_index
from perisai.registry.tests.officer_factories import World, make_world, register

NEXT_YEAR = (timezone.localdate() + dt.timedelta(days=400)).strftime("%d/%m/%Y")
HEADER = ["No", "Nama Lengkap", "NIK", "No Paspor", "Masa Berlaku Paspor", "Tgl Lahir", "L/P", "Negara Tujuan",
          "Kota", "No. HP", "Sektor", "Majikan", "Agensi/P3MI", "Kode Desa", "Alamat"]  # fmt: skip
GOOD = [
    ["1", "Siti Aminah", "3507014101900001", "C1234567", NEXT_YEAR, "01/01/1990", "P", "Malaysia",
     "Kuala Lumpur", "012-345 6789", "PLRT", "Tan Ah Kow", "PT Maju Jaya", "35.07.01.2001", ""],
    ["2", "Budi Santoso", "3507011001850002", "", "", "10-01-1985", "L", "MALAYSIA", "Shah Alam",
     "+60 12-345 6780", "Perkebunan sawit", "Felda", "PT Maju Jaya", "3301012001", ""],
]  # fmt: skip


@pytest.fixture(autouse=True)
def _fresh_index_and_media(tmp_path: Path) -> Iterator[None]:
    reset_name_index()
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield
    reset_name_index()


@pytest.fixture
def world(reference: None, make_user: Callable[..., User]) -> World:
    return make_world(make_user)


def _csv(
    rows: list[list[str]], *, title: bool = True, delimiter: str = ";", encoding: str = "utf-8"
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    if title:
        writer.writerow(["DAFTAR PENEMPATAN PMI - PT MAJU JAYA"])
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def _import(
    data: bytes, *, actor: User | None = None, dry_run: bool = False, encoding: str = "", country: str = ""
) -> imports.ImportReport:
    table = imports.read_csv(data, encoding=encoding)
    return imports.do_import_people(table=table, actor=actor, dry_run=dry_run, default_country=country)


def test_good_rows_are_created_with_converted_values(world: World) -> None:
    report = _import(_csv(GOOD), actor=world.officer)
    assert report.header_line == 2
    assert [(r.line, r.outcome) for r in report.rows] == [(3, "created"), (4, "created")]
    siti = Person.objects.get(full_name="Siti Aminah")
    assert crypto.decrypt(siti.nik_encrypted) == "3507014101900001"
    assert crypto.decrypt(siti.passport_encrypted) == "C1234567"
    assert (siti.sex, siti.birth_date, siti.phone) == ("F", dt.date(1990, 1, 1), "+60123456789")
    assert (siti.sector, siti.employer, siti.agency) == ("domestic", "Tan Ah Kow", "PT Maju Jaya")
    assert (siti.home_village_id, siti.home_province) == ("35.07.01.2001", "35")
    assert siti.source == Person.Source.IMPORT and siti.mission_id == world.kl.pk
    assert siti.city_name == "Kuala Lumpur" and siti.lat is not None and siti.h3_r6 is not None
    budi = Person.objects.get(full_name="Budi Santoso")
    assert (budi.sector, budi.home_village_id, budi.birth_date) == (
        "plantation",
        "33.01.01.2001",
        dt.date(1985, 1, 10),
    )
    creates = AuditEvent.objects.filter(action="person.create", actor=world.officer)
    assert creates.count() == 2 and creates.first().details["source"] == "import"  # type: ignore[union-attr]
    summary = AuditEvent.objects.get(action="person.import")
    assert summary.details["created"] == 2 and "Siti" not in json.dumps(summary.details)


BROKEN = [
    ["1", "Nik Pendek", "350701410190000", "", "", "", "P", "Malaysia", "", "+60123456701", "", "", "", "", ""],
    ["2", "Paspor Habis", "", "B7654321", "01/01/2020", "", "P", "Malaysia", "", "+60123456702", "", "", "", "",
     ""],
    ["3", "Tanpa Kode Negara", "3507014101900003", "", "", "", "P", "Malaysia", "", "012-345 6703", "", "", "",
     "", ""],
    ["4", "Nomor Indonesia", "3507014101900004", "", "", "", "P", "Malaysia", "", "0812 3456 7890 12", "", "",
     "", "", ""],
    ["5", "Desa Hilang", "3507014101900005", "", "", "", "P", "Malaysia", "", "+60123456705", "", "", "",
     "99.99.99.9999", ""],
    ["6", "Alamat Panjang", "3507014101900006", "", "", "", "P", "Malaysia", "", "+60123456706", "", "", "", "",
     "x" * (10 * 1024 * 1024)],
    ["7", "Tanggal Aneh", "3507014101900007", "", "", "31/31/31", "P", "Malaysia", "", "+60123456707", "", "",
     "", "", ""],
]  # fmt: skip


def test_broken_rows_are_skipped_with_reasons_and_good_ones_kept(world: World) -> None:
    data = _csv([*BROKEN[:5], [], BROKEN[5], BROKEN[6], GOOD[0]])
    with override_settings(LANGUAGE_CODE="en"):
        report = _import(data, actor=world.officer)
    outcome = {r.line: (r.outcome, " ".join(r.messages)) for r in report.rows}
    assert sorted(outcome) == list(range(3, 12))  # every line of the file, blank included
    assert outcome[3][0] == "skipped" and "NIK: A NIK has exactly 16 digits (you entered 15)" in outcome[3][1]
    assert (
        outcome[4][0] == "skipped"
        and "Masa Berlaku Paspor: This passport expired on 2020-01-01" in outcome[4][1]
    )
    assert outcome[5] == ("created", "")  # a number without +: read as a number of the country of stay
    assert Person.objects.get(full_name="Tanpa Kode Negara").phone == "+60123456703"
    assert (
        outcome[6][0] == "skipped"
        and "No. HP: This phone number is not valid for its country" in outcome[6][1]
    )
    assert outcome[7][0] == "skipped" and "Kode Desa: This village code does not exist" in outcome[7][1]
    assert outcome[8] == ("skipped", "Empty row.")
    assert outcome[9][0] == "skipped" and "Alamat: This is too long (10485760 characters" in outcome[9][1]
    assert outcome[10][0] == "skipped" and "Tgl Lahir: This date is not understood" in outcome[10][1]
    assert outcome[11][0] == "created"
    assert set(Person.objects.values_list("full_name", flat=True)) == {"Tanpa Kode Negara", "Siti Aminah"}
    out = io.StringIO()
    report.write_to(out)
    assert "x" * 100 not in out.getvalue() and len(out.getvalue()) < 5000  # no values in the report


def test_a_huge_cell_in_an_ignored_column_does_not_matter(world: World) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Nama", "NIK", "HP", "Catatan"])
    writer.writerow(["Siti Aminah", "3507014101900001", "+60123456789", "y" * (10 * 1024 * 1024)])
    report = _import(out.getvalue().encode(), actor=world.officer, country="MY")
    assert [r.outcome for r in report.rows] == ["created"]


def test_cp1252_file_gets_a_clear_message_then_imports_with_the_encoding(world: World) -> None:
    rows = [[*GOOD[0][:11], "Café Rosé", *GOOD[0][12:]]]
    data = _csv(rows, encoding="cp1252")
    with override_settings(LANGUAGE_CODE="en"), pytest.raises(imports.ImportFileError) as error:
        _import(data, actor=world.officer)
    assert "not in UTF-8" in str(error.value) and "Windows-1252 (cp1252)" in str(error.value)
    assert "line 3" in str(error.value)
    assert not Person.objects.exists()
    report = _import(data, actor=world.officer, encoding="cp1252")
    assert report.counts["created"] == 1
    assert Person.objects.get().employer == "Café Rosé"


def test_reimport_is_idempotent_and_updates_only_what_the_file_gives(world: World) -> None:
    _import(_csv(GOOD), actor=world.officer)
    before = AuditEvent.objects.filter(action__in=["person.create", "person.edit"]).count()
    again = _import(_csv(GOOD), actor=world.officer)
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 2, "skipped": 0}
    assert AuditEvent.objects.filter(action__in=["person.create", "person.edit"]).count() == before
    assert Person.objects.count() == 2
    siti = Person.objects.get(full_name="Siti Aminah")
    siti.email = "siti@example.org"  # registered since by the citizen herself
    siti.save()
    changed = [[*GOOD[0][:11], "Keluarga Lim", *GOOD[0][12:]]]
    changed[0][9] = ""  # an empty phone cell does not clear the phone
    report = _import(_csv(changed), actor=world.officer)
    assert [(r.outcome, r.fields) for r in report.rows] == [("updated", ["employer"])]
    siti.refresh_from_db()
    assert (siti.employer, siti.phone, siti.email) == ("Keluarga Lim", "+60123456789", "siti@example.org")
    # Same person twice in one file (by passport this time): one record.
    twice = [[*GOOD[1]], [*GOOD[1][:3], "C7777777", NEXT_YEAR, *GOOD[1][5:]]]
    with translation.override("en"):
        report = _import(_csv(twice), actor=world.officer)
    assert [r.outcome for r in report.rows] == ["unchanged", "updated"]
    assert "Same person as line 3." in report.rows[1].messages
    assert Person.objects.count() == 2


def test_dry_run_saves_nothing_but_reports_the_same(world: World) -> None:
    data = _csv([*GOOD, GOOD[0]])
    preview = _import(data, actor=world.officer, dry_run=True)
    assert [r.outcome for r in preview.rows] == ["created", "created", "unchanged"]
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="person.create").exists()
    real = _import(data, actor=world.officer)
    assert [r.outcome for r in real.rows] == ["created", "created", "unchanged"]


def test_officer_cannot_import_into_another_mission(world: World) -> None:
    register("Agus Salim", country="SA", nik="3507011203880004", phone="+966501234567", city_name="Jeddah")
    rows = [
        ["1", "Agus Salim", "3507011203880004", "", "", "", "L", "Arab Saudi", "Jeddah", "+966501234568", "", "", "",
         "", ""],
        ["2", "Rahmat Hidayat", "3507011203880005", "", "", "", "L", "Arab Saudi", "Jeddah", "+966501234569", "", "",
         "", "", ""],
    ]  # fmt: skip
    with override_settings(LANGUAGE_CODE="en"):
        report = _import(_csv(rows), actor=world.officer)
    assert [r.outcome for r in report.rows] == ["skipped", "skipped"]
    assert "not yours" in report.rows[0].messages[0] and "KJRI Jeddah" in report.rows[1].messages[0]
    assert Person.objects.get(full_name="Agus Salim").phone == "+966501234567"
    assert not Person.objects.filter(full_name="Rahmat Hidayat").exists()
    assert _import(_csv(rows), actor=world.other_officer).counts == {
        "created": 1, "updated": 1, "unchanged": 0, "skipped": 0,
    }  # fmt: skip


def test_xlsx_with_title_rows_dates_and_numbers(world: World, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Data WNI KBRI Kuala Lumpur 2019"])
    sheet.append([])
    sheet.append(["Nama", "NIK", "Tanggal Lahir", "Jenis Kelamin", "Negara", "HP", "Pekerjaan"])
    sheet.append(
        [
            "Siti Aminah",
            "3507014101900001",
            dt.datetime(1990, 1, 1),
            "Perempuan",
            "MY",
            60123456789,
            "Pembantu rumah tangga",
        ]
    )
    sheet.append(
        ["Budi Santoso", 3507011001850002, 31057, "Laki-laki", "Malaysia", "+60 12-345 6780", "Sopir"]
    )
    path = tmp_path / "lama.xlsx"
    workbook.save(path)
    table = imports.open_table(path)
    assert table.header_line == 3
    report = imports.do_import_people(table=table, actor=world.officer)
    assert [r.outcome for r in report.rows] == ["created", "created"]
    siti = Person.objects.get(full_name="Siti Aminah")
    assert (siti.birth_date, siti.sex, siti.phone, siti.sector) == (
        dt.date(1990, 1, 1),
        "F",
        "+60123456789",
        "domestic",
    )
    budi = Person.objects.get(full_name="Budi Santoso")
    assert budi.birth_date == dt.date(1985, 1, 10) and budi.sector == "services"
    assert any("format the column as text" in m or "kolom" in m for m in report.rows[1].messages)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("01/02/1990", dt.date(1990, 2, 1)),
        ("12/31/1990", dt.date(1990, 12, 31)),  # impossible as DD/MM: read as MM/DD
        ("1990-02-01", dt.date(1990, 2, 1)),
        ("1 Februari 1990", dt.date(1990, 2, 1)),
        ("01-Feb-90", dt.date(1990, 2, 1)),
        ("17 Agustus 1945", dt.date(1945, 8, 17)),
        (32874, dt.date(1990, 1, 1)),
        ("", None),
    ],
)
def test_dates(value: object, expected: dt.date | None) -> None:
    assert imports.parse_date(value, today=dt.date(2025, 1, 1)) == expected


def test_header_guessing_and_mapping_overrides() -> None:
    header = ["No.", "NAMA TKW", "No. HP", "Agensi / P3MI", "Negara Penempatan", "Tgl. Lahir", "HP"]
    mapping = imports.guess_mapping(header)
    assert mapping == {2: "phone", 3: "agency", 4: "country", 5: "birth_date"}
    overridden = imports.apply_mapping_overrides(
        header, mapping, {"nama tkw": "full_name", "#3": "", "#7": "phone"}
    )
    assert overridden == {1: "full_name", 3: "agency", 4: "country", 5: "birth_date", 6: "phone"}
    with pytest.raises(imports.ImportFileError):
        imports.apply_mapping_overrides(header, mapping, {"Nama": "full_name"})
    with pytest.raises(imports.ImportFileError):
        imports.apply_mapping_overrides(header, mapping, {"NAMA TKW": "nickname"})


# ---- the page ----------------------------------------------------------------------------------------------------


def test_page_upload_mapping_preview_import_and_report(world: World) -> None:
    client = world.client(world.officer)
    upload = SimpleUploadedFile("penempatan.csv", _csv(GOOD), content_type="text/csv")
    response = client.post(
        reverse("registry:person_import"), {"file": upload, "encoding": "", "country": "MY"}
    )
    assert response.status_code == 302
    job_url = response["Location"]
    page = client.get(job_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nama Lengkap" in page and 'value="full_name" selected' in page and "Preview" in page
    columns = {f"col-{i}": imports.field_for_header(h) or "" for i, h in enumerate(HEADER)}
    columns["col-11"] = ""  # do not import the employer
    preview = client.post(
        job_url,
        {"action": "preview", "columns": len(HEADER), "encoding": "", "country": "MY", **columns},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert preview.status_code == 200
    assert "2 rows: 2 created" in preview.content.decode()
    assert not Person.objects.exists()
    done = client.post(job_url, {"action": "import"})
    assert done.status_code == 302
    assert Person.objects.count() == 2 and Person.objects.get(full_name="Siti Aminah").employer == ""
    result = client.get(job_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 created" in result
    report = client.get(
        reverse("registry:import_report", kwargs={"job_id": job_url.rstrip("/").split("/")[-1]})
    )
    lines = b"".join(report.streaming_content).decode("utf-8-sig").splitlines()  # type: ignore[attr-defined]
    assert lines[0] == "line,outcome,person,fields,messages" and lines[1].startswith("3,created,")
    job = imports.ImportJob.load(job_url.rstrip("/").split("/")[-1])
    assert job is not None and not job.source.exists()  # the upload is deleted once imported
    # Another officer cannot see this job.
    assert world.client(world.other_officer).get(job_url).status_code == 404


def test_page_refuses_a_cp1252_file_with_advice(world: World) -> None:
    client = world.client(world.officer)
    upload = SimpleUploadedFile("lama.csv", _csv([[*GOOD[0][:11], "Café", *GOOD[0][12:]]], encoding="cp1252"))
    response = client.post(
        reverse("registry:person_import"), {"file": upload, "encoding": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "Windows-1252" in response.content.decode()
    upload = SimpleUploadedFile("lama.csv", _csv([[*GOOD[0][:11], "Café", *GOOD[0][12:]]], encoding="cp1252"))
    assert (
        client.post(reverse("registry:person_import"), {"file": upload, "encoding": "cp1252"}).status_code
        == 302
    )


def test_large_import_from_the_page_runs_on_the_task_queue(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(imports, "INLINE_ROWS", 1)
    client = world.client(world.officer)
    upload = SimpleUploadedFile("besar.csv", _csv(GOOD))
    job_url = client.post(reverse("registry:person_import"), {"file": upload, "country": "MY"})["Location"]
    client.post(job_url, {"action": "preview", "columns": 0})
    assert client.post(job_url, {"action": "import"}).status_code == 302
    assert not Person.objects.exists()
    queued = DBTaskResult.objects.get()
    assert queued.queue_name == "imports" and queued.task_path.endswith("import_people_task")
    waiting = client.get(job_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "running in the background" in waiting and 'http-equiv="refresh"' in waiting
    # What the worker does (`perisai worker` runs db_worker, which closes connections: not inside a test).
    queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    assert Person.objects.count() == 2
    assert "2 created" in client.get(job_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_who_may_import(world: World) -> None:
    before = AuditEvent.objects.count()
    for user in (world.supervisor, world.analyst):
        client = world.client(user)
        upload = SimpleUploadedFile("x.csv", _csv(GOOD))
        assert client.post(reverse("registry:person_import"), {"file": upload}).status_code == 403
        upload = SimpleUploadedFile("x.csv", _csv(GOOD))
        assert client.post("/api/v1/registry/people/import", {"file": upload}).status_code == 403
    assert not Person.objects.exists() and AuditEvent.objects.count() == before


def test_api_import_dry_run_then_import(world: World) -> None:
    client = world.client(world.officer)
    upload = SimpleUploadedFile("x.csv", _csv(GOOD))
    body = client.post("/api/v1/registry/people/import", {"file": upload, "dry_run": "true"}).json()
    assert body["dry_run"] is True and body["counts"]["created"] == 2 and not Person.objects.exists()
    upload = SimpleUploadedFile("x.csv", _csv(GOOD))
    body = client.post("/api/v1/registry/people/import", {"file": upload}).json()
    assert body["counts"]["created"] == 2 and [r["line"] for r in body["rows"]] == [3, 4]
    assert Person.objects.count() == 2
    bad = SimpleUploadedFile("x.csv", _csv(GOOD, encoding="utf-16"))
    assert (
        client.post("/api/v1/registry/people/import", {"file": bad, "encoding": "cp1252"}).status_code == 400
    )


def test_command_with_a_mapping_file_and_a_report(world: World, tmp_path: Path) -> None:
    source = tmp_path / "agency.csv"
    source.write_text(
        "Nama TKW,Nomor Induk,Telp\nSiti Aminah,3507014101900001,+60123456789\n", encoding="utf-8"
    )
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps({"columns": {"Nama TKW": "full_name", "Nomor Induk": "nik", "Telp": "phone"}})
    )
    out = io.StringIO()
    with translation.override("en"):
        call_command(
            "registry",
            "import",
            str(source),
            "--mapping",
            str(mapping),
            "--country",
            "MY",
            "--dry-run",
            stdout=out,
        )
    assert "1 created" in out.getvalue() and not Person.objects.exists()
    report = tmp_path / "r.csv"
    call_command(
        "registry",
        "import",
        str(source),
        "--mapping",
        str(mapping),
        "--country",
        "MY",
        "--report",
        str(report),
        stdout=io.StringIO(),
    )
    assert Person.objects.get().full_name == "Siti Aminah"
    assert report.read_text(encoding="utf-8-sig").splitlines()[1].startswith("2,created,")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="UTF-8"):
        source.write_bytes("Nama;NIK\nJosé;3507014101900001\n".encode("cp1252"))
        call_command("registry", "import", str(source), stdout=io.StringIO())
