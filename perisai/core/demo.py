"""Demo staff and a demo migrant, one per role. Synthetic; idempotent (get or create by username)."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Organisation, User
from .roles import SENSITIVE_ROLES, Role

DEMO_PASSWORD = "perisai-demo-2026"  # noqa: S105  (demo only; printed by `make run`)


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    display_name: str
    missions: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    organisation: str | None = None


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("siti", Role.MIGRANT, "Siti Rahayu"),
    DemoUser(
        "officer.kl", Role.MISSION_OFFICER, "Petugas KBRI Kuala Lumpur", missions=("kbri-kuala-lumpur",)
    ),
    DemoUser(
        "officer.jeddah",
        Role.MISSION_OFFICER,
        "Petugas KJRI Jeddah",
        missions=("kjri-jeddah",),
    ),
    DemoUser(
        "caseworker",
        Role.CASE_WORKER,
        "Pekerja Kasus Jawa Timur",
        regions=("35",),
        organisation="BP3MI Jawa Timur",
    ),
    DemoUser(
        "supervisor",
        Role.SUPERVISOR,
        "Supervisor Perlindungan",
        missions=("kbri-kuala-lumpur", "kjri-jeddah"),
        regions=("35",),
        organisation="BP3MI Jawa Timur",
    ),
    DemoUser("analyst", Role.ANALYST, "Analis Data"),
    DemoUser("admin", Role.ADMIN, "Administrator"),
)


@transaction.atomic
def ensure_demo_users() -> list[tuple[User, str | None]]:
    """Create the demo users if missing. Returns each user with its TOTP key (base32) where 2FA applies."""
    from perisai.places.models import Mission, Region

    out: list[tuple[User, str | None]] = []
    for spec in DEMO_USERS:
        organisation = None
        if spec.organisation:
            organisation, _ = Organisation.objects.get_or_create(
                name=spec.organisation,
                defaults={
                    "kind": Organisation.Kind.PROTECTION_AGENCY,
                    "region": Region.objects.filter(code="35").first(),
                },
            )
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "role": spec.role,
                "display_name": spec.display_name,
                "organisation": organisation,
                "is_staff": spec.role == Role.ADMIN,
                "is_superuser": spec.role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.missions.set(Mission.objects.filter(code__in=spec.missions))
            user.regions.set(Region.objects.filter(code__in=spec.regions))
        key = None
        if spec.role in SENSITIVE_ROLES:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
            key = base64.b32encode(device.bin_key).decode()
        out.append((user, key))
        if spec.role == Role.MIGRANT:
            _ensure_demo_registration(user)
    return out


def _ensure_demo_registration(user: User) -> None:
    """The demo migrant's own lapor diri record, so that her card shows what a real one would."""
    from perisai.registry.actions import PersonInput, do_register_person
    from perisai.registry.models import Person

    if Person.objects.filter(user=user).exists():
        return
    do_register_person(
        data=PersonInput(
            full_name="Siti Rahayu",
            country="MY",
            nik="3507015708960003",
            phone="+60 12 555 0199",
            city_name="Kuala Lumpur",
            purpose="work",
            sector="domestic",
            home_village="35.07.01.2001",
            preferred_channel="platform",  # alerts and reminders reach her "Messages" page in the demo
            consents={"crisis_contact": True, "statistics": True},
        ),
        actor=None,
        source=Person.Source.DEMO,
        user=user,
    )
