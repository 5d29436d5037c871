"""`perisai cases demo|import-arrivals`: protection cases from the command line (as the system, unscoped)."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from perisai.core.management.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = "Protection cases: demo data and arrival lists."
    subcommands = {
        "demo": "Create synthetic demo cases (idempotent for a seed).",
        "import-arrivals": "Import an arrival list of deportees (CSV or XLSX); writes a row report.",
    }

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        if name == "demo":
            parser.add_argument("--count", type=int, default=1000, help="Number of demo cases.")
            parser.add_argument("--seed", type=int, default=2026)
        elif name == "import-arrivals":
            parser.add_argument("file", type=Path)
            parser.add_argument(
                "--entry-point",
                required=True,
                help="tanjung_pinang, nunukan, entikong, soekarno_hatta, other",
            )
            parser.add_argument("--date", required=True, help="Arrival date, YYYY-MM-DD.")
            parser.add_argument(
                "--country", default="", help="ISO code of the country deported from (e.g. MY)."
            )
            parser.add_argument("--case-type", default="reintegration")
            parser.add_argument("--encoding", default="")
            parser.add_argument("--report", type=Path, help="Where to write the row report (CSV).")

    def handle_demo(self, *, count: int = 1000, seed: int = 2026, **options: Any) -> None:
        from perisai.cases.demo import create_demo_cases

        if count < 0:
            raise CommandError("--count must be zero or more")
        created = create_demo_cases(people=count, seed=seed)
        self.stdout.write(f"Demo cases: {created} created (seed {seed}, {count} wanted).")

    def handle_import_arrivals(
        self,
        *,
        file: Path,
        entry_point: str,
        date: str,
        country: str = "",
        case_type: str = "reintegration",
        encoding: str = "",
        report: Path | None = None,
        **options: Any,
    ) -> None:
        import csv

        from perisai.cases import imports

        if not file.exists():
            raise CommandError(f"No such file: {file}")
        try:
            arrival_date = dt.date.fromisoformat(date)
        except ValueError as exc:
            raise CommandError("--date must be YYYY-MM-DD") from exc
        try:
            result = imports.do_import_arrivals(
                path=file,
                actor=None,
                entry_point=entry_point,
                arrival_date=arrival_date,
                default_country=country,
                case_type=case_type,
                encoding=encoding,
            )
        except imports.ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        target = report or file.with_name(file.name + ".report.csv")
        with target.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(["line", "outcome", "case", "messages"])
            for row in result.rows:
                writer.writerow([row.line, row.outcome, row.case, " | ".join(row.messages)])
        self.stdout.write(result.summary())
        self.stdout.write(f"Row report: {target}")
