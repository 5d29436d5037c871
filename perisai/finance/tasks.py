"""Background work of the finance module."""

from __future__ import annotations

from django_tasks import task

from .actions import do_materialise_recurrences


@task()
def materialise_recurring_entries() -> int:
    """Write the monthly entries (salary, remittance...) that are due. Idempotent: run it as often as you like.
    Periodic: PERISAI_PERIODIC_TASKS["finance-recurring"] = ("perisai.finance.tasks.materialise_recurring_entries", 3600)."""
    return do_materialise_recurrences()
