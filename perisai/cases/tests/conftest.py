"""A small world for the cases tests: reference data, organisations, staff of every kind, a shelter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from perisai.conftest import login
from perisai.core.models import Organisation, User
from perisai.core.roles import Role
from perisai.places.models import Mission, Region
from perisai.registry.tests.conftest import reference  # noqa: F401  (the fixture, re-exported)

from ..models import ServiceProvider


@dataclass
class CaseWorld:
    kl: Mission
    jeddah: Mission
    bp3mi: Organisation
    shelter_org: Organisation
    other_org: Organisation
    shelter: ServiceProvider
    officer: User
    other_officer: User
    worker: User
    other_worker: User
    shelter_worker: User
    supervisor: User
    analyst: User
    admin: User
    migrant: User

    def client(self, user: User) -> Client:
        client = login(Client(), user)
        client.user = user  # type: ignore[attr-defined]
        return client


@pytest.fixture
def cw(reference: None, make_user: Callable[..., User]) -> CaseWorld:  # noqa: F811
    kl = Mission.objects.get(code="kbri-kuala-lumpur")
    jeddah = Mission.objects.get(code="kjri-jeddah")
    jatim, malang = Region.objects.get(code="35"), Region.objects.get(code="35.07")
    cilacap = Region.objects.get(code="33.01")
    bp3mi = Organisation.objects.create(name="BP3MI Jawa Timur", kind="protection_agency", region=jatim)
    shelter_org = Organisation.objects.create(name="Rumah Aman Malang", kind="shelter", region=malang)
    other_org = Organisation.objects.create(
        name="BP3MI Jawa Tengah", kind="protection_agency", region=cilacap
    )
    shelter = ServiceProvider.objects.create(
        name="Rumah Aman Malang",
        organisation=shelter_org,
        services=["shelter", "psychosocial"],
        region_code="35.07",
        phone="+62341000000",
    )

    def user(role: str, name: str, **kwargs: Any) -> User:
        return make_user(role, username=name, **kwargs)

    return CaseWorld(
        kl=kl,
        jeddah=jeddah,
        bp3mi=bp3mi,
        shelter_org=shelter_org,
        other_org=other_org,
        shelter=shelter,
        officer=user(Role.MISSION_OFFICER, "officer-kl", missions=[kl]),
        other_officer=user(Role.MISSION_OFFICER, "officer-jeddah", missions=[jeddah]),
        worker=user(Role.CASE_WORKER, "worker-jatim", regions=[jatim], organisation=bp3mi),
        other_worker=user(Role.CASE_WORKER, "worker-jateng", regions=[cilacap], organisation=other_org),
        shelter_worker=user(Role.CASE_WORKER, "shelter-malang", regions=[malang], organisation=shelter_org),
        supervisor=user(
            Role.SUPERVISOR, "supervisor-jatim", missions=[kl], regions=[jatim], organisation=bp3mi
        ),
        analyst=user(Role.ANALYST, "analyst"),
        admin=user(Role.ADMIN, "admin"),
        migrant=user(Role.MIGRANT, "migrant"),
    )
