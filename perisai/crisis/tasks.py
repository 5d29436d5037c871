"""Background work of the crisis module (django-tasks). Every task is idempotent.

Periodic (registered in PERISAI_PERIODIC_TASKS, perisai/settings/base.py):
    "crisis-feeds": ("perisai.crisis.tasks.poll_feeds", 300),
    "crisis-reask": ("perisai.crisis.tasks.reask_non_responders", 300),
    "crisis-resume": ("perisai.crisis.tasks.resume_stalled_work", 60),
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


@task(queue_name="messaging")
def fan_out_alert(alert_id: int) -> str:
    from .fanout import fan_out

    result = fan_out(alert_id)
    return "skipped" if result is None else f"queued {result.queued} of {result.selected}"


@task(queue_name="messaging")
def deliver_batch(batch_id: int) -> str:
    from .fanout import finish_if_delivered
    from .models import DeliveryBatch
    from .outbox import run_batch

    outcome = run_batch(batch_id)
    alert_id = DeliveryBatch.objects.filter(pk=batch_id).values_list("alert_id", flat=True).first()
    if alert_id:
        finish_if_delivered(alert_id)
    return outcome


@task()
def refresh_roster(crisis_id: int) -> str:
    from .actions import do_refresh_roster
    from .models import Crisis

    crisis = Crisis.objects.filter(pk=crisis_id).first()
    if crisis is None:
        return "gone"
    return f"added {do_refresh_roster(crisis=crisis)}"


@task()
def open_need_help_case(crisis_id: int, person_id: int) -> str:
    from .actions import do_open_need_help_case

    return do_open_need_help_case(crisis_id=crisis_id, person_id=person_id) or "waiting for cases"


@task(queue_name="feeds")
def poll_feeds() -> dict[str, int]:
    from .ingest import poll_feeds as poll

    return poll()


@task(queue_name="messaging")
def reask_non_responders() -> int:
    from .fanout import reask_non_responders as reask

    return reask()


CASE_RETRY_AFTER = dt.timedelta(minutes=5)


@task()
def resume_stalled_work() -> dict[str, int]:
    """Pick up what a crashed worker left: delivery batches and fan-outs whose lease ran out, alerts whose
    batches are all through, and "need help" reports that have no case yet."""
    from .fanout import finish_if_delivered
    from .models import OPEN_STATUSES, Alert, CheckInStatus, RosterEntry
    from .outbox import resume_stalled_batches

    now = timezone.now()
    batches = resume_stalled_batches(now=now)
    fanouts = 0
    for alert_id in (
        Alert.objects.filter(status=Alert.Status.SENDING, fanout_done_at=None)
        .filter(
            Q(fanout_leased_until__lt=now)
            | Q(fanout_leased_until=None, approved_at__lt=now - CASE_RETRY_AFTER)
        )
        .values_list("pk", flat=True)
    ):
        fan_out_alert.enqueue(alert_id)
        fanouts += 1
    for alert_id in (
        Alert.objects.filter(status=Alert.Status.SENDING)
        .exclude(fanout_done_at=None)
        .values_list("pk", flat=True)
    ):
        finish_if_delivered(alert_id)
    cases = 0
    waiting = RosterEntry.objects.filter(
        status=CheckInStatus.NEED_HELP,
        case_code="",
        crisis__exercise=False,
        crisis__status__in=OPEN_STATUSES,
        status_at__lt=now - CASE_RETRY_AFTER,
    ).values_list("crisis_id", "person_id")[:200]
    for crisis_id, person_id in waiting:
        open_need_help_case.enqueue(crisis_id, person_id)
        cases += 1
    return {"batches": batches, "fanouts": fanouts, "cases": cases}
