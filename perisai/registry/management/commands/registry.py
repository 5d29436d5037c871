"""`perisai registry import|export|duplicates`: the registry from the command line (as the system, unscoped)."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from perisai.core.management.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = "The registry of citizens abroad: bulk import and export of people."
    subcommands = {
        "import": "Import people from a CSV or XLSX file (upsert on NIK, else passport); writes a row report.",
        "export": "Export people (never NIK, passport or immigration status) as CSV, XLSX or HXL.",
    }

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        if name == "import":
            parser.add_argument("file", type=Path)
            parser.add_argument("--mapping", type=Path, help='JSON file: {"column header": "field", ...}.')
            parser.add_argument("--dry-run", action="store_true", help="Check and report; save nothing.")
            parser.add_argument(
                "--country", default="", help="ISO code for rows that name no country (e.g. MY)."
            )
            parser.add_argument(
                "--encoding", default="", help="Encoding of a CSV that is not UTF-8: cp1252 or latin-1."
            )
            parser.add_argument("--sheet", default="", help="Sheet of a workbook (default: the first).")
            parser.add_argument("--report", type=Path, help="Where to write the row report (CSV).")
        elif name == "export":
            parser.add_argument("output", type=Path, help="File to write (- for standard output, CSV only).")
            parser.add_argument("--format", choices=["csv", "xlsx", "hxl"], default="csv")
            parser.add_argument("--status", default="active", help='A status, or "" for any.')
            parser.add_argument("--country", default="")
            parser.add_argument("--mission", default="", help="Mission code.")
            parser.add_argument("--sector", default="")

    def handle_import(
        self,
        *,
        file: Path,
        mapping: Path | None = None,
        dry_run: bool = False,
        country: str = "",
        encoding: str = "",
        sheet: str = "",
        report: Path | None = None,
        **options: Any,
    ) -> None:
        from perisai.places.models import Country
        from perisai.registry import imports

        if not file.exists():
            raise CommandError(f"No such file: {file}")
        country = country.upper()
        if country and not Country.objects.filter(iso2=country).exists():
            raise CommandError(f"Unknown country code: {country}")
        try:
            table = imports.open_table(file, encoding=encoding, sheet=sheet)
            columns = imports.guess_mapping(table.header)
            if mapping is not None:
                columns = imports.apply_mapping_overrides(
                    table.header, columns, imports.read_mapping_file(mapping)
                )
            self.stdout.write(f"Header on line {table.header_line}. Columns:")
            for i, header in enumerate(table.header):
                self.stdout.write(
                    f"  {header or '#' + str(i + 1)!r:40} -> {columns.get(i, '(not imported)')}"
                )

            def progress(rows: int) -> None:
                if int(options.get("verbosity", 1)) >= 1 and rows % 10_000 < imports.CHUNK:
                    self.stdout.write(f"  {rows:,} rows")

            result = imports.do_import_people(
                table=table,
                actor=None,
                mapping=columns,
                default_country=country,
                dry_run=dry_run,
                progress=progress,
            )
        except imports.ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        suffix = ".dry-run.report.csv" if dry_run else ".report.csv"
        target = report or file.with_name(file.name + suffix)
        result.write_csv(target)
        self.stdout.write(result.summary())
        self.stdout.write(f"Row report: {target}")
        for row in [r for r in result.rows if r.outcome == "skipped"][:20]:
            self.stdout.write(f"  line {row.line}: {' | '.join(row.messages)}")

    def handle_export(
        self,
        *,
        output: Path,
        format: str = "csv",  # the option's name
        status: str = "active",
        country: str = "",
        mission: str = "",
        sector: str = "",
        **options: Any,
    ) -> None:
        from perisai.registry import exports
        from perisai.registry.models import Person, PersonStatus

        if status and status not in PersonStatus.values:
            raise CommandError(f"Unknown status: {status}")
        filters = exports.ExportFilters(status=status, country=country, mission=mission, sector=sector)
        people = Person.objects.exclude(status__in=[PersonStatus.MERGED, PersonStatus.ERASED])
        queryset = exports.filter_people(people, filters)
        from perisai.core import audit

        audit.record(
            actor=None,
            action="person.export",
            object_type=Person._meta.label_lower,
            details={"format": format, "count": queryset.count(), "filters": filters.as_details()},
        )
        if format == "xlsx":
            if str(output) == "-":
                raise CommandError("XLSX cannot be written to standard output.")
            exports.write_xlsx(queryset, output)
        else:
            handle = sys.stdout if str(output) == "-" else output.open("w", newline="", encoding="utf-8")
            try:
                for chunk in exports.iter_csv(queryset, hxl=format == "hxl"):
                    handle.write(chunk)
            finally:
                if handle is not sys.stdout:
                    handle.close()
        if str(output) != "-":
            self.stdout.write(f"Exported to {output}.")
