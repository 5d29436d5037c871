from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from perisai.core import crypto
from perisai.core.models import InboxMessage
from perisai.registry.models import Person

ENCRYPTED_FIELDS = ("nik_encrypted", "passport_encrypted", "immigration_status_encrypted")


class Command(BaseCommand):
    help = "Re-seal every encrypted value under the newest key in PERISAI_FIELD_KEYS (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        rotated = 0
        last_pk = 0
        while True:
            batch = list(
                Person.objects.filter(pk__gt=last_pk).order_by("pk").only("pk", *ENCRYPTED_FIELDS)[:5000]
            )
            if not batch:
                break
            changed = []
            for person in batch:
                dirty = False
                for field in ENCRYPTED_FIELDS:
                    value = getattr(person, field)
                    if crypto.needs_rotation(value):
                        setattr(person, field, crypto.rotate(value))
                        dirty = True
                if dirty:
                    changed.append(person)
            with transaction.atomic():
                Person.objects.bulk_update(changed, list(ENCRYPTED_FIELDS))
            rotated += len(changed)
            last_pk = batch[-1].pk
        rotated += _rotate_inbox_messages()
        self.stdout.write(f"Re-sealed {rotated} records under the newest key.")


def _rotate_inbox_messages() -> int:
    """Messages in the platform inbox (core.InboxMessage) are sealed too."""
    fields = ("subject_encrypted", "body_encrypted")
    rotated = 0
    last_pk = 0
    while True:
        batch = list(InboxMessage.objects.filter(pk__gt=last_pk).order_by("pk").only("pk", *fields)[:5000])
        if not batch:
            return rotated
        changed = []
        for message in batch:
            if any(crypto.needs_rotation(getattr(message, f)) for f in fields):
                for f in fields:
                    setattr(message, f, crypto.rotate(getattr(message, f)))
                changed.append(message)
        with transaction.atomic():
            InboxMessage.objects.bulk_update(changed, list(fields))
        rotated += len(changed)
        last_pk = batch[-1].pk
