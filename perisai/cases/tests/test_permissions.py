"""Each role opens exactly what it should, through pages and the API; a denied attempt changes nothing.

The core permission-matrix test walks every URL of the project; this one walks the cases URLs with the same
world (one mission, a user of every role) and goes further: need-to-know scopes between staff of the same
role, and a denied attempt leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from perisai.conftest import login
from perisai.core.models import AuditEvent, OutboxMessage, User
from perisai.core.permissions import AUTHENTICATED, PUBLIC
from perisai.core.roles import Role, role_has
from perisai.core.tests.test_permission_matrix import iter_patterns, world  # noqa: F401  (fixture)

from ..models import Case, CaseConsent, CaseNote, Referral, Transfer
from .conftest import CaseWorld
from .factories import case as new_case
from .permission_samples import POST_ONLY, SAMPLES


def _snapshot() -> tuple[int, ...]:
    return (
        AuditEvent.objects.count(),
        Case.objects.count(),
        CaseNote.objects.count(),
        CaseConsent.objects.count(),
        Referral.objects.count(),
        Transfer.objects.count(),
        OutboxMessage.objects.count(),
        *Case.objects.order_by("pk").values_list("version", flat=True),
    )


def _case_views() -> list[tuple[str, Any]]:
    from django.urls import get_resolver

    return [(name, p) for name, p in iter_patterns(get_resolver()) if name.startswith("cases:")]


@pytest.mark.parametrize("role", Role.values)
def test_each_role_opens_exactly_the_case_pages_its_capabilities_allow(
    role: str,
    world: dict[str, Any],  # noqa: F811
) -> None:
    user = world["users"][role]
    client = login(Client(), user)
    checked = 0
    for name, pattern in _case_views():
        capability = pattern.callback.perisai_capability
        kwargs = SAMPLES[name](world) if pattern.pattern.converters else {}
        url = reverse(name, kwargs=kwargs)
        before = _snapshot()
        response = client.post(url) if name in POST_ONLY else client.get(url)
        allowed = capability in (PUBLIC, AUTHENTICATED) or role_has(role, capability)
        if allowed:
            assert response.status_code in (200, 302, 404), (
                f"{role} should open {name}: {response.status_code}"
            )
        else:
            assert response.status_code == 403, f"{role} must not open {name}: {response.status_code}"
            assert _snapshot() == before, f"a denied {name} changed something"
        checked += 1
    assert checked >= 30


@pytest.mark.parametrize("role", Role.values)
def test_api_operations_follow_the_role_table(role: str, world: dict[str, Any]) -> None:  # noqa: F811
    client = login(Client(), world["users"][role])
    case = SAMPLES["cases:detail"](world)["public_id"]
    calls: list[tuple[str, str, dict[str, Any], str]] = [
        ("get", "/api/v1/cases/cases", {}, "cases.view"),
        ("get", f"/api/v1/cases/cases/{case}", {}, "cases.view"),
        ("get", "/api/v1/cases/providers", {}, "cases.view"),
        ("get", "/api/v1/cases/reports", {}, "stats.view"),
        ("post", "/api/v1/cases/cases", {"case_type": "wages", "summary": "x"}, "cases.edit"),
        ("post", f"/api/v1/cases/cases/{case}/notes", {"body": "catatan"}, "cases.edit"),
        ("post", "/api/v1/cases/field-sync", {"records": []}, "cases.edit"),
    ]
    for method, url, body, capability in calls:
        before = _snapshot()
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, body, content_type="application/json")
        if role_has(role, capability):
            assert response.status_code in (200, 201, 404), f"{role} {method} {url}: {response.status_code}"
        else:
            assert response.status_code == 403, f"{role} must not {method} {url}"
            assert _snapshot() == before, f"a denied {method} {url} changed something"


def _get(client: Client, case: Case) -> int:
    return client.get(reverse("cases:detail", kwargs={"public_id": case.public_id})).status_code


def test_need_to_know_scopes_between_staff(cw: CaseWorld) -> None:
    abroad = new_case(mission=cw.kl, case_type="violence")
    jeddah = new_case(mission=cw.jeddah)
    malang = new_case(source="arrival_list", case_type="reintegration", region_code="35.07.01.2001")
    cilacap = new_case(source="arrival_list", case_type="reintegration", region_code="33.01.01.2001")
    owned_elsewhere = new_case(region_code="35.07", actor=cw.other_worker)  # owned by another organisation
    expected = {
        cw.officer: {abroad},
        cw.other_officer: {jeddah},
        cw.worker: {malang},
        cw.other_worker: {cilacap, owned_elsewhere},
        cw.shelter_worker: {malang},
        cw.supervisor: {abroad, malang, owned_elsewhere},
        cw.admin: {abroad, jeddah, malang, cilacap, owned_elsewhere},
    }
    every = [abroad, jeddah, malang, cilacap, owned_elsewhere]
    for user, visible in expected.items():
        client = cw.client(user)
        for case in every:
            status = _get(client, case)
            assert status == (200 if case in visible else 404), f"{user.username} {case.code}: {status}"
    for user in (cw.analyst, cw.migrant):
        assert _get(cw.client(user), abroad) == 403
    # The queue is the same scope.
    body = cw.client(cw.worker).get(reverse("cases:queue")).content.decode()
    assert malang.code in body and cilacap.code not in body and abroad.code not in body


def test_an_out_of_scope_write_is_refused_and_changes_nothing(cw: CaseWorld) -> None:
    case = new_case(mission=cw.jeddah)
    client = cw.client(cw.officer)  # KBRI Kuala Lumpur: not this case
    before = _snapshot()
    for name, data in (
        ("cases:note", {"body": "intrusion"}),
        ("cases:contact", {}),
        ("cases:take", {}),
        ("cases:consent", {"purpose": "referral", "granted": "yes", "given_by": "person"}),
        ("cases:closure_request", {"outcome": "safe", "reason": "x"}),
    ):
        response = client.post(reverse(name, kwargs={"public_id": case.public_id}), data)
        assert response.status_code == 404, name
    api = client.post(
        f"/api/v1/cases/cases/{case.public_id}/notes", {"body": "x"}, content_type="application/json"
    )
    assert api.status_code == 404
    assert _snapshot() == before
    case.refresh_from_db()
    assert case.assigned_to is None and case.first_contact_at is None


def test_every_open_of_a_case_is_audited(cw: CaseWorld, make_user: Callable[..., User]) -> None:
    case = new_case(mission=cw.kl)
    cw.client(cw.officer).get(reverse("cases:detail", kwargs={"public_id": case.public_id}))
    cw.client(cw.officer).get(f"/api/v1/cases/cases/{case.public_id}")
    views = AuditEvent.objects.filter(action="view", object_type="cases.case", object_id=str(case.pk))
    assert views.count() == 2 and all(v.actor == cw.officer and v.sensitive for v in views)
    assert cw.officer.role == Role.MISSION_OFFICER


def test_a_district_worker_sees_the_villages_below_it_only(
    cw: CaseWorld, make_user: Callable[..., User]
) -> None:
    from perisai.core.roles import Role
    from perisai.places.models import Region

    district = make_user(
        Role.CASE_WORKER, username="worker-donomulyo", regions=[Region.objects.get(code="35.07.01")]
    )
    inside = new_case(source="arrival_list", case_type="reintegration", region_code="35.07.01.2001")
    sibling = new_case(source="arrival_list", case_type="reintegration", region_code="35.07.02.2001")
    regency_only = new_case(source="arrival_list", case_type="reintegration", region_code="35.07")
    client = login(Client(), district)
    assert [_get(client, c) for c in (inside, sibling, regency_only)] == [200, 404, 404]


def test_the_fast_queue_is_the_plain_queue(cw: CaseWorld) -> None:
    """queue_page merges per-branch scans; it must return exactly what the one plain query returns."""
    import datetime as dt

    from django.utils import timezone

    from ..selectors import list_queue, list_waiting_emergencies, queue_page

    now = timezone.now()
    for i in range(40):
        case = new_case(
            mission=cw.kl if i % 3 == 0 else None,
            region_code="35.07.01.2001" if i % 3 == 1 else "33.01",
            source="arrival_list" if i % 3 else "call",
            case_type="reintegration",
            urgency=("emergency", "high", "normal")[i % 4 % 3],
            actor=cw.supervisor if i % 7 == 0 else None,
        )
        Case.objects.filter(pk=case.pk).update(contact_due_at=now + dt.timedelta(minutes=(i * 37) % 50))
    Case.objects.filter(pk__in=list(Case.objects.values_list("pk", flat=True)[:5])).update(
        status="closed", is_open=False
    )
    for user in (cw.officer, cw.worker, cw.supervisor, cw.admin, cw.other_worker):
        plain = list(list_queue(user=user))
        assert [c.pk for c in queue_page(user=user, limit=10)] == [c.pk for c in plain[:11]], user.username
        assert [c.pk for c in queue_page(user=user, offset=10, limit=10)] == [c.pk for c in plain[10:21]]
        assert [c.pk for c in queue_page(user=user, mine=True)] == [
            c.pk for c in plain if c.assigned_to_id == user.pk
        ][:26]
        emergencies = [c.pk for c in plain if c.priority == 0 and c.first_contact_at is None][:10]
        assert [c.pk for c in list_waiting_emergencies(user=user)] == emergencies
