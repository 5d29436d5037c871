from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from perisai.core.management.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = "Help-desk tools."
    subcommands = {
        "classify": 'Read JSON lines {"text": ...} on standard input; write one classification per line.',
    }

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--strict", action="store_true", help="Exit with status 1 if any input line was bad."
        )

    def handle_classify(self, *, strict: bool = False, **options: Any) -> None:
        from perisai.helpdesk.nlu import classify_jsonl

        errors = classify_jsonl(sys.stdin, sys.stdout)
        sys.stdout.flush()
        if strict and errors:
            raise SystemExit(1)
