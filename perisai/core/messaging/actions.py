from __future__ import annotations

from django.db import IntegrityError, transaction

from ..models import OutboxMessage


def do_queue_message(
    *,
    channel: str,
    recipient: str,
    body: str,
    purpose: str,
    idempotency_key: str,
    wipe_body_after_send: bool = False,
    object_type: str = "",
    object_id: str = "",
    subject: str = "",
) -> OutboxMessage:
    """Put a message in the outbox and schedule its delivery on commit. The same key twice is one message.

    `subject` is for channels that have one (e-mail, the platform inbox); without it they use the body's first
    line."""
    from .tasks import deliver_message

    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                channel=channel,
                recipient=recipient,
                subject=subject,
                body=body,
                purpose=purpose,
                idempotency_key=idempotency_key,
                wipe_body_after_send=wipe_body_after_send,
                object_type=object_type,
                object_id=object_id,
            )
    except IntegrityError:
        return OutboxMessage.objects.get(idempotency_key=idempotency_key)
    transaction.on_commit(lambda: deliver_message.enqueue(message.pk))
    return message
