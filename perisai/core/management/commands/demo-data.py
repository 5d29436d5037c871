from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Demo only: create a synthetic population of Indonesians abroad (people, households, consents), "
        "reproducible by seed. Re-running tops up to --people and never duplicates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people", type=int, default=10_000, help="Total demo people wanted (default 10,000)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            default=None,
            help="Reference date (YYYY-MM-DD) for ages, stays and passport expiry; default today.",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Generator processes (default: cores, at most 2; 1: none).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on a production registry)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from perisai.registry.demo import do_generate_demo_people

        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "demo-data writes synthetic people into the registry: it runs only with DEBUG on (or --force)."
            )
        if options["people"] < 0:
            raise CommandError("--people must not be negative.")
        if options["seed"] < 0:
            raise CommandError("--seed must not be negative.")
        verbosity = int(options["verbosity"])

        def progress(message: str) -> None:
            if verbosity >= 1:
                self.stdout.write(f"  {message}")

        try:
            report = do_generate_demo_people(
                people=options["people"],
                seed=options["seed"],
                as_of=options["as_of"],
                workers=options["workers"],
                progress=progress,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Demo data: {report}")
