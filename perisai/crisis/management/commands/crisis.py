from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from perisai.core.management.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = "Crisis tools: parse a feed file, plan an evacuation from a JSON input."
    subcommands = {
        "parse-feed": "Print the normalised events of a CAP, GDACS, USGS or ReliefWeb file as JSON lines.",
        "plan-evacuation": "Plan an evacuation from INPUT.json and print the plan as JSON.",
    }

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        parser.add_argument("file")

    def _exit(self, code: int) -> None:
        if code:
            sys.stdout.flush()
            raise SystemExit(code)

    def handle_parse_feed(self, *, file: str, **options: Any) -> None:
        from perisai.crisis.feeds import cli

        try:
            code = cli.main([file], sys.stdout, sys.stderr)
        except BrokenPipeError:  # the reader went away (e.g. `| head`): not an error of ours
            sys.stderr.close()
            code = 0
        self._exit(code)

    def handle_plan_evacuation(self, *, file: str, **options: Any) -> None:
        from perisai.crisis import planning

        self._exit(planning.main([file], sys.stdout, sys.stderr))
