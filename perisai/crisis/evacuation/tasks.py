"""Background work of evacuations (django-tasks). Every task is idempotent."""

from __future__ import annotations

from django_tasks import task


@task()
def run_evacuation_plan(run_id: int) -> str:
    """Solve one queued planning run (claimed once: a second delivery of the task does nothing)."""
    from .actions import execute_plan_run

    return execute_plan_run(run_id=run_id)


@task()
def open_reintegration_case(evacuee_id: int) -> str:
    """Contract 1 for a person handed over at an entry point; the same evacuee gives the same case."""
    from .actions import do_open_reintegration_case

    return do_open_reintegration_case(evacuee_id=evacuee_id) or "waiting for cases"
