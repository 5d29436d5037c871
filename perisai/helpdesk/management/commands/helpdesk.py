from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from perisai.core.management.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = "Help-desk tools."
    subcommands = {
        "classify": 'Read JSON lines {"text": ...} on standard input; write one classification per line.',
        "export-flow": "Write a flow's published definition (JSON) to standard output.",
        "load-flow": "Load a flow definition (JSON file) as a new draft; --publish to publish it.",
        "set-webhook": "Register a Telegram channel's webhook URL (with its secret token) with Telegram.",
    }

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        if name == "classify":
            parser.add_argument(
                "--strict", action="store_true", help="Exit with status 1 if any input line was bad."
            )
        if name in ("export-flow", "load-flow"):
            parser.add_argument("--slug", default="", help="The flow (default: PERISAI_HELPDESK_FLOW, main).")
        if name == "load-flow":
            parser.add_argument("path", help="A JSON file with the flow definition.")
            parser.add_argument("--publish", action="store_true", help="Publish it at once.")
        if name == "set-webhook":
            parser.add_argument("channel", help="The channel name in PERISAI_CHANNELS, e.g. telegram.")
            parser.add_argument(
                "url", help="The public https URL of /api/v1/helpdesk/channels/<name>/webhook."
            )

    def handle_classify(self, *, strict: bool = False, **options: Any) -> None:
        from perisai.helpdesk.nlu import classify_jsonl

        errors = classify_jsonl(sys.stdin, sys.stdout)
        sys.stdout.flush()
        if strict and errors:
            raise SystemExit(1)

    def handle_export_flow(self, *, slug: str = "", **options: Any) -> None:
        from perisai.helpdesk.actions import ensure_published

        try:
            version = ensure_published(slug or None)
        except Exception as exc:
            raise CommandError(f"no published flow {slug!r}") from exc
        self.stdout.write(json.dumps(version.definition, ensure_ascii=False, indent=1))

    def handle_load_flow(self, *, path: str, slug: str = "", publish: bool = False, **options: Any) -> None:
        from perisai.helpdesk.actions import HelpdeskError, do_load_flow
        from perisai.helpdesk.conf import default_flow

        try:
            definition = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"{path}: cannot read a JSON flow ({exc})") from exc
        try:
            version = do_load_flow(slug=slug or default_flow(), definition=definition, publish=publish)
        except HelpdeskError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        self.stdout.write(f"{version.flow.slug} version {version.number} ({version.status})")

    def handle_set_webhook(self, *, channel: str, url: str, **options: Any) -> None:
        from perisai.core.messaging.base import DeliveryError
        from perisai.helpdesk.channels.types.telegram import TelegramType
        from perisai.helpdesk.channels.webhook import bot_channel

        found = bot_channel(channel)
        if not isinstance(found, TelegramType):
            raise CommandError(
                f"{channel!r} is not a Telegram channel (WhatsApp webhooks are set in Meta's app dashboard; "
                "the SMS gateway is given the URL by its operator)"
            )
        try:
            found.set_webhook(url)
        except DeliveryError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"webhook of {channel} set")
