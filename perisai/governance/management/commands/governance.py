from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from perisai.core.management.subcommands import SubcommandCommand
from perisai.governance import actions


class Command(SubcommandCommand):
    help = "Governance: indicator frameworks, GCM objectives and published statistics."
    subcommands = {
        "load-frameworks": "Load the SDG 10.7.2 questionnaire, the MGI structure, the 23 GCM objectives and institutions (idempotent).",
        "publish-statistics": "Build and publish a new statistics release from every connected source.",
    }

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        if name == "load-frameworks":
            parser.add_argument(
                "--directory",
                type=Path,
                default=None,
                help="A folder with the same layout as the shipped data.",
            )

    def handle_load_frameworks(self, *, directory: Path | None = None, **options: Any) -> None:
        try:
            report = actions.do_load_frameworks(directory=directory)
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"cannot load frameworks: {exc}") from exc
        self.stdout.write(f"Frameworks, objectives and institutions: {report}.")

    def handle_publish_statistics(self, **options: Any) -> None:
        release = actions.do_publish_statistics()
        self.stdout.write(
            f"Release {release.pk} published: {release.cells} cells, {release.hidden} hidden, {release.seconds:.1f} s."
        )
        for code, state in sorted(release.sources.items()):
            self.stdout.write(f"  {code}: {'connected' if state['connected'] else state['message']}")
