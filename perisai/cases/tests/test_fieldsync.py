"""Offline field intake: idempotent by the device's UUID; a change on both sides is a conflict, never lost."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from django.urls import reverse

from ..merge import merge3, normalise
from ..models import Case, CaseConsent, SyncConflict
from .conftest import CaseWorld


def test_merge_applies_one_sided_changes_and_reports_two_sided_ones() -> None:
    base = {"a": "1", "b": "1", "c": "1", "d": "1"}
    device = {"a": "2", "b": "1", "c": "3", "d": "9"}
    server = {"a": "1", "b": "5", "c": "4", "d": "9"}
    result = merge3(base=base, device=device, server=server, fields=("a", "b", "c", "d"))
    assert result.apply == {"a": "2"}
    assert [(c.field, c.device, c.server) for c in result.conflicts] == [("c", "3", "4")]


def test_merge_never_loses_a_side() -> None:
    """Every combination of base, device and server values for one field (fields merge independently)."""
    choices = ["", "x", "y", None, " x "]
    for b, d, s in itertools.product(choices, repeat=3):
        result = merge3(base={"f": b}, device={"f": d}, server={"f": s}, fields=["f"])
        merged = normalise(result.apply.get("f", s))
        conflicted = bool(result.conflicts)
        if normalise(d) != normalise(b):  # the device changed it: applied, or kept beside the server's value
            assert merged == normalise(d) or (conflicted and normalise(s) not in (normalise(b), normalise(d)))
        else:  # the device did not touch it: the server's value stands
            assert merged == normalise(s) and not conflicted


def _values(**changes: Any) -> dict[str, Any]:
    return {
        "subject_name": "Yanti",
        "contact": "+60 11 1111 2222",
        "sex": "F",
        "birth_year": "1990",
        "region_code": "35.07.01.2001",
        "case_type": "reintegration",
        "urgency": "normal",
        "summary": "Tiba di shelter Entikong.",
        "vulnerabilities": ["sick"],
        "consents": ["services", "reporting"],
        "given_by": "person",
        **changes,
    }


def _sync(client: Any, *records: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post(
        "/api/v1/cases/field-sync", {"records": list(records)}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()["results"]  # type: ignore[no-any-return]


def test_the_same_record_sent_twice_opens_one_case(cw: CaseWorld) -> None:
    client = cw.client(cw.worker)
    record = {"client_uuid": str(uuid.uuid4()), "base": None, "values": _values()}
    first = _sync(client, record)[0]
    again = _sync(client, record)[0]  # the answer was lost on the way: sent again
    assert first["outcome"] == "created" and again["outcome"] == "unchanged"
    assert first["code"] == again["code"] and Case.objects.count() == 1
    case = Case.objects.get()
    assert case.assigned_to == cw.worker and case.vulnerabilities == 1 and case.reporting_consent
    assert CaseConsent.objects.filter(case=case, granted=True).count() == 2
    assert first["server"]["subject_name"] == "Yanti" and first["url"].endswith(f"/cases/{case.public_id}/")


def test_changes_on_both_sides_become_a_conflict_shown_on_the_case(cw: CaseWorld) -> None:
    client = cw.client(cw.worker)
    client_uuid = str(uuid.uuid4())
    created = _sync(client, {"client_uuid": client_uuid, "values": _values()})[0]
    base = created["server"]
    case = Case.objects.get()
    # On the server, a colleague corrects the contact and the urgency...
    cw.client(cw.supervisor).post(
        reverse("cases:edit", kwargs={"public_id": case.public_id}),
        {**base, "birth_year": base["birth_year"] or "", "contact": "+62 811 000 999", "urgency": "high"},
    )
    # ...while offline, the field worker changed the contact and the summary.
    device = _values(contact="+60 12 999 8888", summary="Tiba di shelter Entikong, demam.")
    answer = _sync(client, {"client_uuid": client_uuid, "base": base, "values": device})[0]
    assert answer["outcome"] == "conflict"
    assert answer["conflicts"] == [
        {"field": "contact", "device": "+60 12 999 8888", "server": "+62 811 000 999"}
    ]
    case.refresh_from_db()
    assert case.summary == "Tiba di shelter Entikong, demam."  # one-sided change applied
    assert case.urgency == "high" and case.contact == "+62 811 000 999"  # the server's changes kept
    conflict = SyncConflict.objects.get()
    assert conflict.device_value == "+60 12 999 8888" and conflict.resolved_at is None
    _sync(client, {"client_uuid": client_uuid, "base": base, "values": device})  # sent again: no duplicate
    assert SyncConflict.objects.count() == 1
    page = (
        cw.client(cw.worker)
        .get(reverse("cases:detail", kwargs={"public_id": case.public_id}))
        .content.decode()
    )
    assert "+60 12 999 8888" in page and "+62 811 000 999" in page
    cw.client(cw.worker).post(
        reverse("cases:conflict_resolve", kwargs={"public_id": case.public_id, "conflict_id": conflict.pk}),
        {"keep": "device"},
    )
    case.refresh_from_db()
    conflict.refresh_from_db()
    assert case.contact == "+60 12 999 8888" and conflict.resolution == "device"


def test_bad_records_are_answered_not_crashed(cw: CaseWorld) -> None:
    client = cw.client(cw.worker)
    answers = _sync(
        client,
        {"client_uuid": "not-a-uuid", "values": _values()},
        {"client_uuid": str(uuid.uuid4()), "values": _values(region_code="Malang")},
        {"client_uuid": str(uuid.uuid4()), "values": _values(summary="")},
    )
    assert [a["outcome"] for a in answers] == ["invalid", "invalid", "invalid"]
    assert "region_code" in answers[1]["errors"] and Case.objects.count() == 0


def test_a_record_of_someone_elses_case_is_not_revealed(cw: CaseWorld) -> None:
    client_uuid = str(uuid.uuid4())
    _sync(cw.client(cw.worker), {"client_uuid": client_uuid, "values": _values()})
    answer = _sync(cw.client(cw.other_worker), {"client_uuid": client_uuid, "values": _values(contact="x")})[
        0
    ]
    assert answer == {"client_uuid": client_uuid, "outcome": "not_found"}


def test_the_field_page_works_without_javascript(cw: CaseWorld) -> None:
    client = cw.client(cw.worker)
    page = client.get(reverse("cases:field"))
    body = page.content.decode()
    assert 'name="client_uuid"' in body and "field.js" in body
    client_uuid = str(uuid.uuid4())
    data = {**_values(), "client_uuid": client_uuid}
    assert client.post(reverse("cases:field"), data).status_code == 302
    assert client.post(reverse("cases:field"), data).status_code == 302  # double submit
    assert Case.objects.filter(client_uuid=client_uuid).count() == 1
    worker_js = client.get(reverse("cases:field_sw"))
    assert worker_js.status_code == 200 and worker_js["Content-Type"].startswith("text/javascript")
