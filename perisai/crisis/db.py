"""The crisis timeline, check-ins and notes are append-only at the database level (as the audit log):
UPDATE and DELETE are refused by triggers.

The triggers hold exactly while the audit log's own triggers are installed: the operator's (and the test
runner's) ``flush`` lifts the audit triggers for itself (perisai.core.management.commands.flush), and these
stand aside with them, so a flush empties every table. Nothing in the application removes either.

One UPDATE is let through, for erasure under UU 27/2022 (docs/adr/0007-erasure.md): on check-ins and notes,
an UPDATE that empties the personal columns (``ERASABLE``) and leaves every other column (``KEPT``) as it
was. It can only take information away, never change it; DELETE and TRUNCATE stay refused.
"""

from __future__ import annotations

from typing import Any

TABLES = ("crisis_timelineentry", "crisis_checkin", "crisis_personnote")


_SQLITE_GUARD = (
    "EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'core_auditevent_no_delete')"
)
_PG_GUARD = "EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'core_auditevent_no_change')"


# The erasure path: personal column -> its erased value, and the columns an erasing UPDATE must not touch.
# Every column of the table is in one of the two (a test holds this against the models).
ERASABLE: dict[str, dict[str, str]] = {
    "crisis_checkin": {
        "message": "''",
        "reporter_name": "''",
        "reporter_contact": "''",
        "lat": "NULL",
        "lon": "NULL",
    },
    "crisis_personnote": {"text": "''"},
}
KEPT: dict[str, tuple[str, ...]] = {
    "crisis_checkin": (
        "id", "public_id", "crisis_id", "person_id", "status", "source", "first_hand", "recorded_by_id",
        "received_at",
    ),
    "crisis_personnote": ("id", "crisis_id", "person_id", "author_id", "author_label", "created_at"),
}  # fmt: skip


def _erasing(table: str, *, same: str) -> str:
    """SQL true exactly for an UPDATE that only empties the personal columns of `table` ("" if none)."""
    if table not in ERASABLE:
        return ""
    emptied = [
        f"NEW.{column} IS NULL" if value == "NULL" else f"NEW.{column} = {value}"
        for column, value in ERASABLE[table].items()
    ]
    kept = [f"NEW.{column} {same} OLD.{column}" for column in KEPT[table]]
    return " AND ".join(emptied + kept)


def _sqlite_forward(table: str, erasure_path: bool = True) -> list[str]:
    erasing = _erasing(table, same="IS") if erasure_path else ""
    allowed = f" AND NOT ({erasing})" if erasing else ""
    return [
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} WHEN {_SQLITE_GUARD}{allowed}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} WHEN {_SQLITE_GUARD}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;""",
    ]


def _pg_forward(table: str, erasure_path: bool = True) -> list[str]:
    erasing = _erasing(table, same="IS NOT DISTINCT FROM") if erasure_path else ""
    # NEW is read only for an UPDATE (a statement-level TRUNCATE has no row).
    allowed = f"IF TG_OP = 'UPDATE' THEN IF {erasing} THEN RETURN NEW; END IF; END IF;" if erasing else ""
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
            BEGIN
              IF {_PG_GUARD} THEN {allowed} RAISE EXCEPTION '{table} is append-only'; END IF;
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


def install(connection: Any, tables: tuple[str, ...] = TABLES, *, erasure_path: bool = True) -> None:
    """Create the triggers; `erasure_path=False` gives the triggers as they were before migration 0003."""
    forward = _pg_forward if connection.vendor == "postgresql" else _sqlite_forward
    with connection.cursor() as cursor:
        for table in tables:
            for sql in forward(table, erasure_path):
                cursor.execute(sql)


def remove(connection: Any, tables: tuple[str, ...] = TABLES) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            for sql in _pg_backward(table) if connection.vendor == "postgresql" else _sqlite_backward(table):
                cursor.execute(sql)
