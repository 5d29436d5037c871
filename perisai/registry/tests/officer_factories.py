"""Shared set-up for the officer-side tests: a small world of missions, officers and registered people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.utils import timezone

from perisai.conftest import login
from perisai.core.models import AuditEvent, User
from perisai.core.roles import Role
from perisai.places.models import Mission
from perisai.registry.actions import PersonInput, do_register_person
from perisai.registry.models import Person
from perisai.registry.search import reset_name_index

FUTURE = timezone.localdate() + dt.timedelta(days=3 * 365)


def register(full_name: str, *, country: str = "MY", actor: User | None = None, **fields: Any) -> Person:
    """Register a person through the real action (validation, encryption, mission assignment)."""
    fields.setdefault("phone", "")
    if not (fields.get("nik") or fields.get("passport_number")):
        fields["passport_number"] = fields.pop("passport", f"C{Person.objects.count() + 1000000:07d}")
        fields.setdefault("passport_expiry", FUTURE)
    if not (fields["phone"] or fields.get("email") or fields.get("whatsapp")):
        fields["email"] = f"p{Person.objects.count()}@example.org"
    return do_register_person(data=PersonInput(full_name=full_name, country=country, **fields), actor=actor)


@dataclass
class World:
    kl: Mission
    jeddah: Mission
    officer: User
    other_officer: User
    supervisor: User
    analyst: User
    admin: User

    def client(self, user: User) -> Client:
        return login(Client(), user)


def make_world(make_user: Callable[..., User]) -> World:
    """Needs the `reference` fixture (countries, missions, a few villages) to have run."""
    reset_name_index()
    kl = Mission.objects.get(code="kbri-kuala-lumpur")
    jeddah = Mission.objects.get(code="kjri-jeddah")
    return World(
        kl=kl,
        jeddah=jeddah,
        officer=make_user(Role.MISSION_OFFICER, username="officer-kl", missions=[kl]),
        other_officer=make_user(Role.MISSION_OFFICER, username="officer-jeddah", missions=[jeddah]),
        supervisor=make_user(Role.SUPERVISOR, username="supervisor-kl", missions=[kl]),
        analyst=make_user(Role.ANALYST, username="analyst"),
        admin=make_user(Role.ADMIN, username="admin"),
    )


def audit_count(**filters: Any) -> int:
    return AuditEvent.objects.filter(**filters).count()
