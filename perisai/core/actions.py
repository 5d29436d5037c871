"""Writes in the core app. Keyword-only, typed, atomic, audited."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from . import audit, crypto
from .models import ApiToken, InboxMessage, User
from .roles import ALL_CAPS, CAPABILITIES


class ActionError(ValueError):
    """A request that cannot be carried out; its message is translated and safe to show."""


@transaction.atomic
def do_create_api_token(
    *, actor: User, owner: User, name: str, scopes: list[str], days: int
) -> tuple[ApiToken, str]:
    unknown = set(scopes) - ALL_CAPS
    if unknown:
        raise ActionError(f"Unknown scopes: {', '.join(sorted(unknown))}")
    # A token can never do more than its owner's role allows.
    allowed = CAPABILITIES.get(owner.role, frozenset())
    effective = sorted(set(scopes) & allowed)
    raw = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=owner,
        name=name,
        prefix=raw[:12],
        key_hash=ApiToken.hash(raw),
        scopes=effective,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit.record(
        actor=actor, action="token.create", target=token, details={"scopes": effective, "owner": owner.pk}
    )
    return token, raw


@transaction.atomic
def do_revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="token.revoke", target=token)
    return token


def authenticate_api_token(raw: str) -> ApiToken | None:
    if not raw.startswith("psk_"):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(raw)).first()
    if token is None or not token.is_usable() or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def do_deliver_inbox_message(*, user: User, subject: str, body: str, idempotency_key: str) -> InboxMessage:
    """Store a message in a user's platform inbox (the `platform` channel type), sealed. Delivering the same
    outbox key twice stores it once."""
    message, _created = InboxMessage.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "user": user,
            "subject_encrypted": crypto.encrypt(subject),
            "body_encrypted": crypto.encrypt(body),
        },
    )
    return message


def do_mark_inbox_message_read(*, message: InboxMessage) -> InboxMessage:
    """The user opened her message. Her own reading is not audited: the message is hers."""
    if message.read_at is None:
        message.read_at = timezone.now()
        InboxMessage.objects.filter(pk=message.pk, read_at=None).update(read_at=message.read_at)
    return message
