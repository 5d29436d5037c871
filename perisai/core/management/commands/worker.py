from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from perisai.core.scheduler import enqueue_due_jobs

_STOP_SIGNALS = [signal.SIGINT, signal.SIGTERM, *([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else [])]


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
        # db_worker installs its own SIGINT/SIGTERM/SIGQUIT handlers for a graceful stop. When it runs inside
        # another process (``--batch`` from a test or a command), the caller's handlers come back afterwards:
        # otherwise they would outlive the worker, and processes forked later would inherit them.
        saved = {sig: signal.getsignal(sig) for sig in _STOP_SIGNALS}
        try:
            call_command(
                "db_worker",
                queue_name=options["queues"],
                batch=options["batch"],
                interval=options["interval"],
                reload=False,
                # The random start-up pause (up to 1 s) spreads a fleet of long-running workers; a batch run
                # starts once, when asked, and should not wait.
                startup_delay=not options["batch"],
            )
        finally:
            stop.set()
            if threading.current_thread() is threading.main_thread():
                for sig, handler in saved.items():
                    signal.signal(sig, handler)

    def _schedule(self, stop: threading.Event, every: float) -> None:
        while not stop.wait(every):
            try:
                enqueue_due_jobs()
            finally:
                close_old_connections()
