"""Receiving a provider's webhook: find the channel, check the signature, store messages and receipts.

A bad signature gets 403 and nothing is stored. Each message goes through the bot once: the provider's
message id is recorded (InboundReceipt), so a repeated delivery is answered 200 and ignored.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from perisai.core.messaging.registry import get_channel
from perisai.core.models import OutboxMessage

from .base import BadPayload, BotChannelType, StatusUpdate

logger = logging.getLogger(__name__)


def bot_channel(name: str) -> BotChannelType | None:
    try:
        channel = get_channel(name)
    except (ImproperlyConfigured, KeyError):
        return None
    return channel if isinstance(channel, BotChannelType) else None


def receive(request: HttpRequest, name: str) -> HttpResponse:
    from perisai.helpdesk.actions import do_receive_message
    from perisai.helpdesk.whereabouts import warm_up

    warm_up()
    channel = bot_channel(name)
    if channel is None:
        return HttpResponse("not found", status=404, content_type="text/plain")
    if request.method == "GET":
        return channel.challenge(request)
    if not channel.verify(request):
        logger.warning("webhook %s: signature rejected", name)
        return HttpResponse("forbidden", status=403, content_type="text/plain")
    try:
        hook = channel.parse(request.body)
    except BadPayload as exc:
        logger.warning("webhook %s: bad payload (%s)", name, exc)
        return HttpResponse("bad request", status=400, content_type="text/plain")
    for message in hook.messages:
        do_receive_message(
            channel=name,
            sender=message.sender,
            text=message.text,
            location=message.location,
            provider_id=message.provider_id,
            language=message.language,
        )
    for update in hook.statuses:
        apply_status(channel=name, update=update)
    return channel.acknowledge()


ORDER = {OutboxMessage.Status.QUEUED: 0, OutboxMessage.Status.SENT: 1}


def apply_status(*, channel: str, update: StatusUpdate) -> bool:
    """Move the outbox message a receipt is about to delivered or failed. Unknown ids are ignored; a
    message already delivered stays delivered (receipts can arrive out of order)."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(channel=channel, provider_message_id=update.provider_id[:120])
            .first()
        )
        if message is None or message.status == OutboxMessage.Status.DELIVERED:
            return False
        if update.status in ("delivered", "read"):
            message.status = OutboxMessage.Status.DELIVERED
            message.delivered_at = timezone.now()
            message.save(update_fields=["status", "delivered_at"])
            return True
        if update.status == "failed":
            message.status = OutboxMessage.Status.FAILED
            message.last_error = (update.error or "failed")[:300]
            message.save(update_fields=["status", "last_error"])
            return True
    return False
