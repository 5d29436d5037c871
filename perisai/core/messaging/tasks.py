from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from ..models import OutboxMessage
from .base import DeliveryError, Outgoing
from .registry import get_channel

logger = logging.getLogger(__name__)

BACKOFF_SECONDS = (10, 60, 300, 1800, 7200)


@task(queue_name="messaging")
def deliver_message(message_id: int) -> str:
    """Send one outbox message. Idempotent: a message already sent is not sent again."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != OutboxMessage.Status.QUEUED:
            return "skipped"
        channel = get_channel(message.channel)
        message.attempts += 1
        try:
            provider_id = channel.send(
                Outgoing(
                    recipient=message.recipient,
                    body=message.body,
                    idempotency_key=message.idempotency_key,
                    subject=message.subject,
                )
            )
        except DeliveryError as exc:
            message.last_error = str(exc)[:300]
            if exc.permanent or message.attempts >= channel.max_attempts:
                message.status = OutboxMessage.Status.FAILED
            message.save(update_fields=["attempts", "last_error", "status"])
            if message.status == OutboxMessage.Status.QUEUED:
                delay = BACKOFF_SECONDS[min(message.attempts - 1, len(BACKOFF_SECONDS) - 1)]
                run_after = timezone.now() + dt.timedelta(seconds=delay)
                transaction.on_commit(lambda: deliver_message.using(run_after=run_after).enqueue(message_id))
            # Never log recipient or body: the id is enough to find it.
            logger.warning("outbox message %s failed (attempt %s)", message_id, message.attempts)
            return "failed"
        message.status = OutboxMessage.Status.SENT
        message.provider_message_id = provider_id[:120]
        message.sent_at = timezone.now()
        if message.wipe_body_after_send:
            message.body = ""
            message.subject = ""
        message.save(
            update_fields=[
                "attempts",
                "status",
                "provider_message_id",
                "sent_at",
                "subject",
                "body",
                "last_error",
            ]
        )
    return "sent"
