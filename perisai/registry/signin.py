"""Signing in without a password: a one-time code through the messaging outbox.

Codes are 6 digits, kept only as a keyed hash, valid 10 minutes, 5 tries each, at most 3 codes per
15 minutes per person. The answer to "send me a code" is the same whether or not the number is registered,
so the page cannot be used to find out who is registered.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from perisai.core import audit
from perisai.core.messaging.actions import do_queue_message
from perisai.core.models import OutboxMessage, User
from perisai.core.roles import Role

from .models import Person, PersonStatus, SignInCode
from .validation import FieldError, check_phone

CODE_LIFETIME = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
MAX_CODES_PER_WINDOW = 3
WINDOW = dt.timedelta(minutes=15)


def _hash(code: str, person_id: int) -> str:
    key = hashlib.sha256(("perisai-sign-in:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, f"{person_id}:{code}".encode(), hashlib.sha256).hexdigest()


def find_person_for_sign_in(identifier: str) -> Person | None:
    text = identifier.strip()
    qs = Person.objects.exclude(status__in=[PersonStatus.ERASED, PersonStatus.MERGED])
    if "@" in text:
        return qs.filter(email=text.lower()).order_by("-updated_at").first()
    try:
        phone = check_phone(text)
    except FieldError:
        return None
    return (qs.filter(phone=phone) | qs.filter(whatsapp=phone)).order_by("-updated_at").first()


def _channel_and_address(person: Person, identifier: str) -> tuple[str, str]:
    if "@" in identifier:
        return "email", person.email
    if person.preferred_channel == "whatsapp" and person.whatsapp:
        return "whatsapp", person.whatsapp
    return "sms", person.phone or person.whatsapp


@transaction.atomic
def do_send_sign_in_code(*, person: Person, identifier: str) -> bool:
    """Queue a code to the person. Returns False (and sends nothing) when too many were sent recently."""
    now = timezone.now()
    recent = SignInCode.objects.filter(person=person, created_at__gte=now - WINDOW).count()
    if recent >= MAX_CODES_PER_WINDOW:
        return False
    code = f"{secrets.randbelow(10**6):06d}"
    channel, address = _channel_and_address(person, identifier)
    record = SignInCode.objects.create(
        person=person, code_hash=_hash(code, person.pk), channel=channel, expires_at=now + CODE_LIFETIME
    )
    from django.utils.translation import gettext as _
    from django.utils.translation import override

    with override(person.preferred_language or "id"):
        body = _("Your Perisai sign-in code is %(code)s. It is valid for 10 minutes. Never share it.") % {
            "code": code
        }
    do_queue_message(
        channel=channel,
        recipient=address,
        body=body,
        purpose=OutboxMessage.Purpose.SIGN_IN,
        idempotency_key=f"sign-in:{record.pk}",
        wipe_body_after_send=True,
        object_type="registry.person",
        object_id=str(person.pk),
    )
    audit.record(actor=None, action="signin.code_sent", target=person, details={"channel": channel})
    return True


@transaction.atomic
def check_sign_in_code(*, person_id: int, code: str) -> Person | None:
    """The person, if the code is right, fresh and not used up; None otherwise. Each wrong try counts."""
    now = timezone.now()
    record = (
        SignInCode.objects.select_for_update()
        .filter(person_id=person_id, used_at=None, expires_at__gt=now, attempts__lt=MAX_ATTEMPTS)
        .order_by("-created_at")
        .first()
    )
    if record is None:
        return None
    if not hmac.compare_digest(record.code_hash, _hash(code.strip(), person_id)):
        record.attempts += 1
        record.save(update_fields=["attempts"])
        return None
    record.used_at = now
    record.save(update_fields=["used_at"])
    person = Person.objects.get(pk=person_id)
    audit.record(actor=None, action="signin.code_ok", target=person)
    return person


def user_for(person: Person) -> User:
    """The migrant's own account (created on first need; no password: codes only)."""
    if person.user_id:
        return person.user  # type: ignore[return-value]
    user = User.objects.create(
        username=f"m-{person.public_id.hex[:16]}",
        role=Role.MIGRANT,
        display_name=person.full_name.split()[0] if person.full_name else "",
        preferred_language=person.preferred_language,
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    person.user = user
    person.save(update_fields=["user"])
    return user
