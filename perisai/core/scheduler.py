"""Periodic jobs for the task queue. Each worker calls `enqueue_due_jobs` now and then; a row lock on
ScheduledRun makes sure that, however many workers run, a job is enqueued once per interval."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun

logger = logging.getLogger(__name__)


def enqueue_due_jobs(*, now: dt.datetime | None = None) -> list[str]:
    now = now or timezone.now()
    enqueued = []
    for name, (path, interval) in settings.PERISAI_PERIODIC_TASKS.items():
        with transaction.atomic():
            run, created = ScheduledRun.objects.select_for_update().get_or_create(
                name=name, defaults={"last_run_at": now}
            )
            if not created and run.last_run_at + dt.timedelta(seconds=interval) > now:
                continue
            run.last_run_at = now
            run.save(update_fields=["last_run_at"])
            task = import_string(path)
            transaction.on_commit(task.enqueue)
            enqueued.append(name)
    if enqueued:
        logger.info("periodic jobs enqueued: %s", ", ".join(enqueued))
    return enqueued
