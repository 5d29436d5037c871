from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from perisai.conftest import shared_data
from perisai.places.models import Region
from perisai.places.regions import RegionImportError, do_import_regions, read_lokal, read_region_dir

EXPECTED = {1: 38, 2: 514, 3: 7285, 4: 83762}


def _counts() -> dict[int, int]:
    return {level: Region.objects.filter(level=level, retired_at=None).count() for level in EXPECTED}


@pytest.mark.django_db
def test_lokal_package_gives_the_2025_code_set() -> None:
    report = do_import_regions(rows=read_lokal())
    assert _counts() == EXPECTED
    assert report.added == EXPECTED
    village = Region.objects.get(code="35.07.01.2001")
    assert village.parent_id == "35.07.01" and village.kind in ("desa", "kelurahan") and village.postal_code
    assert Region.objects.get(code="35.78").kind == "kota"  # Kota Surabaya
    assert Region.objects.get(code="35.07").kind == "kabupaten"


@pytest.mark.django_db
def test_import_shared_regions_counts_per_level_and_is_idempotent() -> None:
    folder = shared_data("regions")
    out = io.StringIO()
    call_command("places", "import-regions", str(folder), stdout=out)
    assert _counts() == EXPECTED
    assert "Added 91599" in out.getvalue()
    # Coordinates come with the operator's files.
    assert Region.objects.get(code="11").lat == pytest.approx(4.225729)
    again = io.StringIO()
    call_command("places", "import-regions", str(folder), stdout=again)
    assert "Added 0, renamed 0, moved 0, retired 0" in again.getvalue()
    assert Region.objects.count() == sum(EXPECTED.values())


def _write(folder: Path, provinces: str, regencies: str, districts: str, villages: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "provinces.csv").write_text("code,name\n" + provinces)
    (folder / "regencies.csv").write_text("code,parent_code,name\n" + regencies)
    (folder / "districts.csv").write_text("code,parent_code,name\n" + districts)
    (folder / "villages.csv").write_text("code,parent_code,name,lat,lon,postal_code\n" + villages)
    return folder


@pytest.mark.django_db
def test_reports_added_renamed_and_retired(tmp_path: Path) -> None:
    first = _write(
        tmp_path / "a",
        "35,Jawa Timur\n",
        "35.07,35,Kabupaten Malang\n",
        "35.07.01,35.07,Donomulyo\n",
        "35.07.01.2001,35.07.01,Tulungrejo,-8.3,112.4,65167\n35.07.01.2002,35.07.01,Sumberoto,,,\n",
    )
    report = do_import_regions(rows=read_region_dir(first))
    assert sum(report.added.values()) == 5
    second = _write(
        tmp_path / "b",
        "35,Jawa Timur\n",
        "35.07,35,Kabupaten Malang\n",
        "35.07.01,35.07,Donomulyo\n",
        "35.07.01.2001,35.07.01,Tulungrejo Baru,-8.3,112.4,65167\n",
    )
    report = do_import_regions(rows=read_region_dir(second))
    assert report.renamed == [("35.07.01.2001", "Tulungrejo", "Tulungrejo Baru")]
    assert report.retired == ["35.07.01.2002"]
    assert Region.objects.get(code="35.07.01.2002").retired_at is not None
    report = do_import_regions(rows=read_region_dir(first))
    assert report.restored == ["35.07.01.2002"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("village_line", "message"),
    [
        ("35.07.01.201,35.07.01,X,,,\n", "is not a level-4 code"),
        ("35.07.01.2001,35.07.02,X,,,\n", "does not match"),
        ("35.07.01.2001,35.07.01,X,95,0,\n", "out of range"),
        ("35.07.01.2001,35.07.01,,,,\n", "empty name"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message_and_nothing_changes(
    tmp_path: Path, village_line: str, message: str
) -> None:
    folder = _write(
        tmp_path, "35,Jawa Timur\n", "35.07,35,Kabupaten Malang\n", "35.07.01,35.07,Donomulyo\n", village_line
    )
    with pytest.raises(CommandError, match=message):
        call_command("places", "import-regions", str(folder))
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_wrong_encoding_is_refused(tmp_path: Path) -> None:
    folder = _write(
        tmp_path, "35,Jawa Timur\n", "35.07,35,Kabupaten Malang\n", "35.07.01,35.07,Donomulyo\n", ""
    )
    (folder / "villages.csv").write_bytes(
        "code,parent_code,name\n35.07.01.2001,35.07.01,Sumber\xe9\n".encode("latin-1")
    )
    with pytest.raises(RegionImportError, match="not UTF-8"):
        list(read_region_dir(folder))


@pytest.mark.django_db
def test_import_runs_on_the_real_task_queue(tmp_path: Path) -> None:
    from django_tasks_db.models import DBTaskResult

    folder = _write(
        tmp_path,
        "35,Jawa Timur\n",
        "35.07,35,Kabupaten Malang\n",
        "35.07.01,35.07,Donomulyo\n",
        "35.07.01.2001,35.07.01,Tulungrejo,,,\n",
    )
    out = io.StringIO()
    call_command("places", "import-regions", str(folder), "--background", stdout=out)
    assert "Queued as task" in out.getvalue()
    assert Region.objects.count() == 0  # nothing happens until a worker runs it
    call_command("worker", batch=True, queues="*")
    assert Region.objects.count() == 4
    result = DBTaskResult.objects.get()
    assert result.status == "SUCCESSFUL"
    assert result.return_value is not None and result.return_value["added"] == 4
