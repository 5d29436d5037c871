"""Many rows into one table fast: multi-row INSERTs with values prepared once per column type.

Django's ``bulk_create`` builds a model instance and prepares every value through the field API; for 50,000
evacuees that is most of the time (docs/benchmarks-evacuation-ops.md). Here each column gets one converter
(UUIDs, dates, date-times and JSON as the backend wants them; everything else as it is), defaults are filled
as the model would (callables once per row), and rows go in groups of ``ROWS_PER_STATEMENT``. Every value is
a bound parameter; identifiers come from the model and are quoted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from django.db import connection, models

ROWS_PER_STATEMENT = 400


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    ops = connection.ops
    if isinstance(field, models.UUIDField):
        if connection.features.has_native_uuid_field:
            return lambda v: v
        return lambda v: None if v is None else v.hex
    if isinstance(field, models.DateTimeField):  # rows often share a time (now): adapt each value once
        return lru_cache(maxsize=4096)(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return lru_cache(maxsize=4096)(ops.adapt_datefield_value)
    if isinstance(field, models.JSONField):
        return lambda v: field.get_db_prep_save(v, connection)
    return lambda v: v


def insert_rows(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert rows given as {attname: value}; missing columns take the field's default. Returns the count."""
    if not rows:
        return 0
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    plan = []
    for f in fields:
        default: Any = f.default if f.has_default() else None
        if default is None and not f.null and f.empty_strings_allowed and not f.has_default():
            default = ""
        plan.append((f.attname, default, callable(default), _converter(f)))
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "  # noqa: S608
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            part = rows[start : start + ROWS_PER_STATEMENT]
            params: list[Any] = []
            for row in part:
                for name, default, is_callable, convert in plan:
                    value = row[name] if name in row else (default() if is_callable else default)
                    params.append(None if value is None else convert(value))
            cursor.execute(head + ", ".join([one] * len(part)), params)
    return len(rows)
