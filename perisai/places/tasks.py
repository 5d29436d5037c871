"""Background work for places: large imports run on the task queue, not in a request."""

from __future__ import annotations

from pathlib import Path

from django_tasks import task

from . import regions


@task(queue_name="imports")
def import_regions_task(directory: str, retire_missing: bool = True) -> dict[str, object]:
    report = regions.do_import_regions(
        rows=regions.read_region_dir(Path(directory)), retire_missing=retire_missing
    )
    return {
        "summary": report.summary(),
        "added": sum(report.added.values()),
        "renamed": len(report.renamed),
        "retired": len(report.retired),
    }
