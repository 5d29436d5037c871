"""`flush` wipes the whole database, audit log included: the append-only triggers are lifted for it alone.

This is an operator's (and the test runner's) command, never reachable from the application.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from perisai.core.db import audit_triggers


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        audit_triggers.remove(connection)
        try:
            super().handle(**options)
        finally:
            audit_triggers.install(connection)
