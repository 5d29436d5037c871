"""A base for `perisai <area> <subcommand>` commands (e.g. `perisai places import-regions DIR`)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class SubcommandCommand(BaseCommand):
    subcommands: dict[str, str] = {}  # name -> help

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, parser_class=_SubParser(self))
        for name, text in self.subcommands.items():
            self.add_subcommand_arguments(name, sub.add_parser(name, help=text))

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        """Override to add the arguments of one subcommand."""

    def handle(self, *args: Any, **options: Any) -> None:
        name = options.pop("subcommand")
        method = getattr(self, "handle_" + name.replace("-", "_"), None)
        if method is None:
            raise CommandError(f"unknown subcommand {name}")
        method(**options)


def _SubParser(command: BaseCommand) -> type[CommandParser]:
    class Parser(CommandParser):
        def __init__(self, **kwargs: Any) -> None:
            kwargs.setdefault("called_from_command_line", getattr(command, "_called_from_command_line", None))
            super().__init__(**kwargs)

    return Parser
