from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from perisai.core.demo import DEMO_PASSWORD, ensure_demo_users


class Command(BaseCommand):
    help = (
        "Migrate, load reference data (places, governance frameworks, fee ceilings) and, optionally, demo data"
        " (people, users, cases, a statistics release). Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--demo-people", type=int, default=0, help="Synthetic people to create (0: none)."
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        call_command("places", "load-reference", stdout=self.stdout)
        call_command("governance", "load-frameworks", stdout=self.stdout)
        call_command("finance", "load-ceilings", stdout=self.stdout)
        if options["demo_people"]:
            call_command("demo-data", people=options["demo_people"], seed=options["seed"], stdout=self.stdout)
            users = ensure_demo_users()
            cases = max(100, options["demo_people"] // 20)
            call_command("cases", "demo", count=cases, seed=options["seed"], stdout=self.stdout)
            from perisai.governance.models import StatRelease

            if not StatRelease.objects.exists():  # the worker publishes the next ones daily
                call_command("governance", "publish-statistics", stdout=self.stdout)
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS(f"Demo sign-ins (password for all: {DEMO_PASSWORD})"))
            for user, key in users:
                line = f"  {user.role:<16} {user.username:<16}"
                if key and settings.PERISAI_REQUIRE_2FA:
                    line += (
                        f" two-factor key {key} (current code: .venv/bin/perisai totp-code {user.username})"
                    )
                self.stdout.write(line)
