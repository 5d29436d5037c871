"""`perisai finance import-rpw|import-rates|load-ceilings|materialise`: the finance module's reference data
from the command line (as the system). Nothing here reads or prints anyone's own finances."""

from __future__ import annotations

import csv
import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from perisai.core.management.subcommands import SubcommandCommand

DEFAULT_CEILINGS = Path(__file__).resolve().parents[2] / "data" / "placement_fee_ceilings.json"
RPW_COLUMNS = {"sending_iso3", "receiving_iso3", "series_code", "quarter", "avg_total_cost_pct"}


class Command(SubcommandCommand):
    help = "Money: reference data (World Bank corridor costs, exchange rates, placement-fee ceilings)."
    subcommands = {
        "import-rpw": "Import World Bank Remittance Prices Worldwide corridor averages (CSV). Idempotent.",
        "import-rates": "Import reference exchange rates: CSV currency,valid_on,idr_per_unit[,source]. Idempotent.",
        "load-ceilings": "Load placement-fee ceilings (JSON; default: the authored file, to be verified).",
        "materialise": "Write the monthly entries that are due now (what the periodic task does).",
    }

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        if name in ("import-rpw", "import-rates"):
            parser.add_argument("file", type=Path)
        elif name == "load-ceilings":
            parser.add_argument("file", type=Path, nargs="?", default=DEFAULT_CEILINGS)
            parser.add_argument(
                "--overwrite",
                action="store_true",
                help="Also replace rows an administrator edited or verified.",
            )

    def _open(self, file: Path) -> list[dict[str, str]]:
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        with file.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))

    def handle_import_rpw(self, *, file: Path, **options: Any) -> None:
        from perisai.finance.actions import CorridorRow, do_import_corridor_costs

        rows = self._open(file)
        missing = RPW_COLUMNS - set(rows[0]) if rows else RPW_COLUMNS
        if missing:
            raise CommandError(f"{file}: missing columns {', '.join(sorted(missing))}")
        report = do_import_corridor_costs(
            rows=[
                CorridorRow(
                    i + 2,
                    r["sending_iso3"],
                    r["receiving_iso3"],
                    r["series_code"],
                    r["quarter"],
                    r["avg_total_cost_pct"],
                )
                for i, r in enumerate(rows)
            ]
        )
        self._report("corridor costs", report)

    def handle_import_rates(self, *, file: Path, **options: Any) -> None:
        from perisai.finance.actions import do_import_rates
        from perisai.finance.views_reference import read_rates_csv

        if not file.exists():
            raise CommandError(f"No such file: {file}")
        try:
            rows = read_rates_csv(file.read_bytes())
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        self._report("exchange rates", do_import_rates(rows=rows, actor=None, source=file.name[:120]))

    def handle_load_ceilings(self, *, file: Path, overwrite: bool = False, **options: Any) -> None:
        from perisai.finance.actions import do_load_ceilings

        if not file.exists():
            raise CommandError(f"No such file: {file}")
        records = json.loads(file.read_text(encoding="utf-8")).get("ceilings", [])
        self._report("placement-fee ceilings", do_load_ceilings(records=records, overwrite=overwrite))

    def handle_materialise(self, **options: Any) -> None:
        from perisai.finance.actions import do_materialise_recurrences

        self.stdout.write(f"monthly entries written: {do_materialise_recurrences()}")

    def _report(self, what: str, report: Any) -> None:
        self.stdout.write(f"{what}: {report}")
        for line, message in report.errors[:50]:
            self.stderr.write(f"  line {line}: {message}")
        if report.errors:
            self.stderr.write(f"  {len(report.errors)} rows rejected; the others were imported.")
