"""Arrival lists of deportees: row-by-row report, the registry's identity rules, idempotent re-import."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from perisai.core.models import AuditEvent
from perisai.registry.models import Person, PersonStatus

from ..imports import case_kind, condition_flags
from ..models import ArrivalBatch, Case, Vulnerability
from .conftest import CaseWorld
from .factories import person as new_person

LIST = (
    "DAFTAR DEPORTAN PMI TIBA DI PELABUHAN TUNON TAKA NUNUKAN\n"
    "No,Nama,L/P,Tgl Lahir,NIK,No Paspor,Kode Desa,Negara,Keterangan,Kasus\n"
    "1,Siti Aminah,P,05/09/1995,3507014509950001,,35.07.01.2001,Malaysia,Hamil 5 bulan,\n"
    "2,Budi Santoso,L,,,,,Malaysia,Sakit TBC,Overstay\n"
    "3,,L,,,,,Malaysia,,\n"
    "4,Rina Wati,P,31/02/1990,,,,Malaysia,,\n"
    "5,Ahmad Yani,L,,350701450995000,,,Malaysia,,\n"
    "6,Dewi Lestari,P,,,B1234567,33.01.01.2001,,korban TPPO,\n"
)


def _post(cw: CaseWorld, content: str | bytes, name: str = "deportan.csv", **fields: str) -> object:
    data = content.encode() if isinstance(content, str) else content
    return cw.client(cw.worker).post(
        reverse("cases:arrivals"),
        {
            "file": SimpleUploadedFile(name, data),
            "entry_point": "nunukan",
            "arrival_date": "2026-03-02",
            "country": "MY",
            "case_type": "reintegration",
            **fields,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_words_of_the_condition_column() -> None:
    assert condition_flags("Hamil 5 bulan, sakit") == int(Vulnerability.PREGNANT | Vulnerability.SICK)
    assert condition_flags("korban TPPO") == int(Vulnerability.TRAFFICKING_INDICATORS)
    assert condition_flags("sehat") == 0
    assert case_kind("Overstay") == "detention" and case_kind("gaji tidak dibayar") == "wages"
    assert case_kind("") is None


def test_an_arrival_list_opens_one_case_per_person_with_a_row_report(cw: CaseWorld) -> None:
    response = _post(cw, LIST)
    assert response.status_code == 302  # type: ignore[attr-defined]
    batch = ArrivalBatch.objects.get()
    assert batch.counts == {"created": 3, "existing": 0, "skipped": 3}
    by_line = {row["line"]: row for row in batch.report}
    assert [by_line[n]["outcome"] for n in (3, 4, 5, 6, 7, 8)] == [
        "created", "created", "skipped", "skipped", "skipped", "created",
    ]  # fmt: skip
    assert "No name on this row." in by_line[5]["messages"]
    assert any("date" in m.lower() for m in by_line[6]["messages"])
    assert any("NIK" in m for m in by_line[7]["messages"])
    assert "Siti" not in str(batch.report)  # the report names cases by code only
    siti = Case.objects.get(code=by_line[3]["case"])
    assert siti.source == "arrival_list" and siti.case_type == "reintegration" and siti.urgency == "high"
    assert siti.vulnerabilities & Vulnerability.PREGNANT and siti.region_code == "35.07.01.2001"
    assert siti.organisation == cw.bp3mi  # her home region is the importer's
    assert siti.person is not None and siti.person.status == PersonStatus.RETURNED
    assert siti.person.source == Person.Source.IMPORT and siti.person.country_id == "MY"
    budi = Case.objects.get(code=by_line[4]["case"])
    assert budi.case_type == "detention" and budi.vulnerabilities & Vulnerability.SICK
    assert budi.region_code == "" and budi.organisation == cw.bp3mi  # home unknown: stays with the importer
    dewi = Case.objects.get(code=by_line[8]["case"])
    assert dewi.case_type == "trafficking" and dewi.home_regency == "33.01"
    assert dewi.organisation is None  # waits for the team of her home region
    assert "Passport not registered" in " ".join(by_line[8]["messages"])
    cilacap = cw.client(cw.other_worker).get(reverse("cases:detail", kwargs={"public_id": dewi.public_id}))
    assert cilacap.status_code == 200
    page = cw.client(cw.worker).get(
        reverse("cases:arrival_batch", kwargs={"batch_id": batch.public_id}), HTTP_ACCEPT_LANGUAGE="en"
    )
    body = page.content.decode()
    assert siti.code in body and "3 cases opened" in body
    csv_report = cw.client(cw.worker).get(
        reverse("cases:arrival_batch", kwargs={"batch_id": batch.public_id}), {"format": "csv"}
    )
    assert siti.code in csv_report.content.decode()
    assert (
        cw.client(cw.other_worker)
        .get(reverse("cases:arrival_batch", kwargs={"batch_id": batch.public_id}))
        .status_code
        == 404
    )
    assert AuditEvent.objects.filter(action="case.arrivals_import").count() == 1


def test_importing_the_same_list_again_opens_nothing_twice(cw: CaseWorld) -> None:
    _post(cw, LIST)
    cases, people = Case.objects.count(), Person.objects.count()
    _post(cw, LIST)
    second = ArrivalBatch.objects.order_by("-pk").first()
    assert second is not None and second.counts == {"created": 0, "existing": 3, "skipped": 3}
    assert Case.objects.count() == cases and Person.objects.count() == people


def test_a_registered_person_is_recognised_by_nik_and_marked_returned(cw: CaseWorld) -> None:
    siti = new_person(nik="3507014509950001", passport_number="")
    assert siti.status == PersonStatus.ACTIVE
    _post(cw, LIST)
    siti.refresh_from_db()
    assert siti.status == PersonStatus.RETURNED
    assert Case.objects.get(person=siti).source == "arrival_list"
    assert Person.objects.filter(nik_index=siti.nik_index).count() == 1


def test_xlsx_lists_and_unreadable_files(cw: CaseWorld, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for line in LIST.splitlines()[1:3]:
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    _post(cw, buffer.getvalue(), name="list.xlsx")
    assert ArrivalBatch.objects.get().counts["created"] == 1
    bad = _post(cw, b"\xd0\xcf\x11\xe0old excel", name="list.xls")
    assert bad.status_code == 200 and ".xls" in bad.content.decode()  # type: ignore[attr-defined]
    no_names = _post(cw, "Kode,Negara\n1,MY\n", name="x.csv")
    assert "No column holds the names" in no_names.content.decode()  # type: ignore[attr-defined]


def test_command_line_import(cw: CaseWorld, tmp_path: Path) -> None:
    source = tmp_path / "deportan.csv"
    source.write_text(LIST, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "cases",
        "import-arrivals",
        str(source),
        "--entry-point",
        "entikong",
        "--date",
        "2026-04-01",
        "--country",
        "MY",
        stdout=out,
    )
    assert "3 cases opened" in out.getvalue()
    assert (
        (tmp_path / "deportan.csv.report.csv").read_text(encoding="utf-8-sig").startswith("line,outcome,case")
    )
