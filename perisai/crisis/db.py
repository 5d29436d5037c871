"""The crisis timeline, check-ins and notes are append-only at the database level (as the audit log):
UPDATE and DELETE are refused by triggers.

The triggers hold exactly while the audit log's own triggers are installed: the operator's (and the test
runner's) ``flush`` lifts the audit triggers for itself (perisai.core.management.commands.flush), and these
stand aside with them, so a flush empties every table. Nothing in the application removes either.
"""

from __future__ import annotations

from typing import Any

TABLES = ("crisis_timelineentry", "crisis_checkin", "crisis_personnote")


_SQLITE_GUARD = (
    "EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'core_auditevent_no_delete')"
)
_PG_GUARD = "EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'core_auditevent_no_change')"


def _sqlite_forward(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} WHEN {_SQLITE_GUARD}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} WHEN {_SQLITE_GUARD}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;""",
    ]


def _pg_forward(table: str) -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
            BEGIN
              IF {_PG_GUARD} THEN RAISE EXCEPTION '{table} is append-only'; END IF;
              IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
              RETURN NEW;
            END; $$ LANGUAGE plpgsql;""",
        f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_append_only();""",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only();""",
    ]


def _sqlite_backward(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_update;", f"DROP TRIGGER IF EXISTS {table}_no_delete;"]


def _pg_backward(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_change ON {table};",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
        f"DROP FUNCTION IF EXISTS {table}_append_only();",
    ]


def install(connection: Any) -> None:
    with connection.cursor() as cursor:
        for table in TABLES:
            for sql in _pg_forward(table) if connection.vendor == "postgresql" else _sqlite_forward(table):
                cursor.execute(sql)


def remove(connection: Any) -> None:
    with connection.cursor() as cursor:
        for table in TABLES:
            for sql in _pg_backward(table) if connection.vendor == "postgresql" else _sqlite_backward(table):
                cursor.execute(sql)
