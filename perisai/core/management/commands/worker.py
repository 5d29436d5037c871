from __future__ import annotations

import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from perisai.core.scheduler import enqueue_due_jobs


class Command(BaseCommand):
    help = "Run a background worker for the task queue (django-tasks database backend) and periodic jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queues", default="*", help="Comma-separated queue names, or * for all.")
        parser.add_argument("--batch", action="store_true", help="Run what is queued (and due), then exit.")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--no-scheduler", action="store_true", help="Do not enqueue periodic jobs.")
        parser.add_argument("--scheduler-interval", type=float, default=30.0)

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        if not options["no_scheduler"]:
            enqueue_due_jobs()
            if not options["batch"]:
                thread = threading.Thread(
                    target=self._schedule, args=(stop, options["scheduler_interval"]), daemon=True
                )
                thread.start()
        try:
            call_command(
                "db_worker",
                queue_name=options["queues"],
                batch=options["batch"],
                interval=options["interval"],
                reload=False,
            )
        finally:
            stop.set()

    def _schedule(self, stop: threading.Event, every: float) -> None:
        while not stop.wait(every):
            try:
                enqueue_due_jobs()
            finally:
                close_old_connections()
