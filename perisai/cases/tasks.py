"""Background work of cases: task reminders and the escalation of emergencies nobody contacted in time.

Add to PERISAI_PERIODIC_TASKS: "case-reminders": ("perisai.cases.tasks.send_case_reminders", 600).
Idempotent: each reminder and escalation is marked once sent, and outbox keys make a repeat a no-op.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from perisai.core import audit
from perisai.core.messaging.actions import do_queue_message
from perisai.core.models import OutboxMessage, User
from perisai.core.roles import Role

from .actions import case_url
from .models import OPEN_STATUSES, URGENCY_PRIORITY, Case, CaseTask, Urgency
from .selectors import region_chain

REMIND_BEFORE = dt.timedelta(hours=24)


def supervisors_for(case: Case) -> list[User]:
    q = Q(pk__in=[])
    if case.mission_id:
        q |= Q(missions=case.mission_id)
    if case.organisation_id:
        q |= Q(organisation_id=case.organisation_id)
    if case.region_code:
        q |= Q(regions__code__in=region_chain(case.region_code))
    return list(User.objects.filter(q, role__in=[Role.SUPERVISOR], is_active=True).distinct().order_by("pk"))


def remind_tasks(*, now: dt.datetime) -> int:
    due = (
        CaseTask.objects.filter(
            done_at=None,
            reminder_sent_at=None,
            due_at__lte=now + REMIND_BEFORE,
            case__status__in=OPEN_STATUSES,
        )
        .exclude(assigned_to=None)
        .select_related("case", "assigned_to")
    )
    sent = 0
    for item in due.iterator(chunk_size=500):
        user = item.assigned_to
        if user is None:
            continue
        with override(user.preferred_language or "id"):
            body = _("Perisai: a task of case %(code)s is due on %(date)s. Open: %(url)s") % {
                "code": item.case.code,
                "date": timezone.localtime(item.due_at).strftime("%Y-%m-%d %H:%M"),
                "url": case_url(item.case),
            }
        with transaction.atomic():
            do_queue_message(
                channel="platform",
                recipient=f"user:{user.pk}",
                body=body,
                purpose=OutboxMessage.Purpose.REMINDER,
                idempotency_key=f"case-task-reminder:{item.pk}",
                object_type="cases.case",
                object_id=str(item.case_id),
            )
            CaseTask.objects.filter(pk=item.pk).update(reminder_sent_at=now)
        sent += 1
    return sent


def escalate_emergencies(*, now: dt.datetime) -> int:
    late = Case.objects.filter(
        is_open=True,
        priority=URGENCY_PRIORITY[Urgency.EMERGENCY],
        first_contact_at=None,
        escalated_at=None,
        contact_due_at__lt=now,
    )
    escalated = 0
    for case in late.iterator(chunk_size=200):
        with transaction.atomic():
            for user in supervisors_for(case):
                with override(user.preferred_language or "id"):
                    body = _(
                        "Perisai: emergency case %(code)s was not contacted within one hour. Open: %(url)s"
                    ) % {"code": case.code, "url": case_url(case)}
                do_queue_message(
                    channel="platform",
                    recipient=f"user:{user.pk}",
                    body=body,
                    purpose=OutboxMessage.Purpose.ALERT,
                    idempotency_key=f"case-escalation:{case.pk}:{case.reopened_count}:user:{user.pk}",
                    object_type="cases.case",
                    object_id=str(case.pk),
                )
            Case.objects.filter(pk=case.pk).update(escalated_at=now)
            audit.record(actor=None, action="case.escalate", target=case)
        escalated += 1
    return escalated


@task()
def send_case_reminders() -> dict[str, int]:
    now = timezone.now()
    return {"reminders": remind_tasks(now=now), "escalations": escalate_emergencies(now=now)}
