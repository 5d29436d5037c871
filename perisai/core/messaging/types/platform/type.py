"""The in-platform inbox: the message is stored for its user, who reads it on her "Messages" page.

The address (the outbox recipient) is ``user:<user id>``, as the registry, crisis fan-out and case
management write it (`platform_address`). An unknown or deactivated user is a permanent failure. No options.
"""

from __future__ import annotations

from perisai.core.messaging.base import ChannelType, DeliveryError, Outgoing

PREFIX = "user:"


def platform_address(user_id: int) -> str:
    return f"{PREFIX}{user_id}"


class PlatformType(ChannelType):
    code = "platform"
    name = "In the platform"

    def send(self, message: Outgoing) -> str:
        from perisai.core.actions import do_deliver_inbox_message
        from perisai.core.models import User

        raw = message.recipient.strip()
        user_id = raw.removeprefix(PREFIX)
        user = None
        if raw.startswith(PREFIX) and user_id.isdigit():
            user = User.objects.filter(pk=int(user_id), is_active=True).first()
        if user is None:
            raise DeliveryError("platform: no active user at this address", permanent=True)
        row = do_deliver_inbox_message(
            user=user,
            subject=message.subject,
            body=message.body,
            idempotency_key=message.idempotency_key,
        )
        return f"platform:{row.public_id}"
