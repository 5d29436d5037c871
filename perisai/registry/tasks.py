"""Background work of the registry."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from perisai.core.messaging.actions import do_queue_message
from perisai.core.models import OutboxMessage

from .models import Person, PersonStatus
from .selectors import PASSPORT_REMINDER_DAYS


@task()
def send_passport_reminders() -> int:
    """Remind each citizen abroad once, 6 months before the passport expires. Idempotent per expiry date."""
    today = timezone.localdate()
    due = (
        Person.objects.filter(
            status=PersonStatus.ACTIVE,
            passport_expiry__isnull=False,
            passport_expiry__gte=today,
            passport_expiry__lte=today + dt.timedelta(days=PASSPORT_REMINDER_DAYS),
            passport_reminder_sent_at=None,
        )
        .exclude(phone="", whatsapp="", email="")
        .select_related("mission")
    )
    sent = 0
    for person in due.iterator(chunk_size=2000):
        channel, address = _address(person)
        if not address:
            continue
        with override(person.preferred_language or "id"):
            body = _(
                "Perisai: your passport expires on %(date)s. Renew it at %(mission)s before it expires."
            ) % {
                "date": person.passport_expiry.isoformat() if person.passport_expiry else "",
                "mission": person.mission.name if person.mission else _("your mission"),
            }
        do_queue_message(
            channel=channel,
            recipient=address,
            body=body,
            purpose=OutboxMessage.Purpose.REMINDER,
            idempotency_key=f"passport-reminder:{person.pk}:{person.passport_expiry}",
            object_type="registry.person",
            object_id=str(person.pk),
        )
        Person.objects.filter(pk=person.pk).update(passport_reminder_sent_at=timezone.now())
        sent += 1
    return sent


def _address(person: Person) -> tuple[str, str]:
    if person.preferred_channel == "whatsapp" and person.whatsapp:
        return "whatsapp", person.whatsapp
    if person.preferred_channel == "email" and person.email:
        return "email", person.email
    if person.phone:
        return "sms", person.phone
    if person.whatsapp:
        return "whatsapp", person.whatsapp
    return "email", person.email
