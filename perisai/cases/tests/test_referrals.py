"""Referrals to the directory and transfers: consent gates them; the receiver answers; ownership moves on accept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from perisai.core.models import AuditEvent

from ..actions import do_set_consent
from ..models import Case, Referral, ServiceProvider, Transfer
from ..selectors import suggest_providers
from .conftest import CaseWorld
from .factories import case as new_case


def _returnee(cw: CaseWorld, **kwargs: object) -> Case:
    return new_case(
        source="arrival_list",
        case_type="reintegration",
        region_code="35.07.01.2001",
        actor=cw.worker,
        **kwargs,
    )


def test_suggestions_follow_the_home_village_upwards(cw: CaseWorld) -> None:
    village = ServiceProvider.objects.create(
        name="Posyandu Tulungrejo", services=["health"], region_code="35.07.01.2001"
    )
    province = ServiceProvider.objects.create(
        name="RS Jawa Timur", services=["health", "shelter"], region_code="35"
    )
    national = ServiceProvider.objects.create(
        name="LBH Nasional", services=["legal_aid", "shelter"], region_code=""
    )
    ServiceProvider.objects.create(name="Shelter Cilacap", services=["shelter"], region_code="33.01")
    ServiceProvider.objects.create(
        name="Closed shelter", services=["shelter"], region_code="35.07", active=False
    )
    shelters = [p.name for p in suggest_providers(region_code="35.07.01.2001", service="shelter")]
    assert shelters == [cw.shelter.name, province.name, national.name]
    health = [p.name for p in suggest_providers(region_code="35.07.01.2001", service="health")]
    assert health == [village.name, province.name]


def test_referral_is_blocked_without_consent_then_accepted_by_the_shelter(cw: CaseWorld) -> None:
    case = _returnee(cw)
    worker = cw.client(cw.worker)
    refer = reverse("cases:refer", kwargs={"public_id": case.public_id})
    page = worker.get(refer + "?service=shelter").content.decode()
    assert cw.shelter.name in page
    blocked = worker.post(
        refer,
        {"service": "shelter", "provider": str(cw.shelter.public_id), "note": "Hamil."},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert blocked.status_code == 200 and Referral.objects.count() == 0
    assert "has not consented to referral" in blocked.content.decode()
    assert "Hamil.</textarea>" in blocked.content.decode()  # nothing typed is lost
    do_set_consent(case=case, actor=cw.worker, purpose="referral", granted=True)
    done = worker.post(refer, {"service": "shelter", "provider": str(cw.shelter.public_id), "note": "Hamil."})
    assert done.status_code == 302
    referral = Referral.objects.get()
    assert referral.status == "pending" and referral.referred_by == cw.worker
    # The shelter's worker sees it in the inbox, with the name shared by consent, and accepts.
    shelter = cw.client(cw.shelter_worker)
    assert case.code in shelter.get(reverse("cases:inbox")).content.decode()
    detail = reverse("cases:referral", kwargs={"referral_id": referral.public_id})
    assert "Hamil." in shelter.get(detail).content.decode()
    # Another organisation can neither see nor answer it.
    assert cw.client(cw.other_worker).get(detail).status_code == 404
    assert shelter.post(detail, {"decision": "accept"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.responded_by == cw.shelter_worker
    # The shelter still cannot open the case file itself (need to know).
    assert shelter.get(reverse("cases:detail", kwargs={"public_id": case.public_id})).status_code == 404
    worker.post(
        reverse(
            "cases:referral_done", kwargs={"public_id": case.public_id, "referral_id": referral.public_id}
        )
    )
    referral.refresh_from_db()
    assert referral.status == "done"


def test_declining_needs_a_reason(cw: CaseWorld) -> None:
    case = _returnee(cw)
    do_set_consent(case=case, actor=cw.worker, purpose="referral", granted=True)
    referral = Referral.objects.create(
        case=case, provider=cw.shelter, service="shelter", referred_by=cw.worker
    )
    shelter = cw.client(cw.shelter_worker)
    detail = reverse("cases:referral", kwargs={"referral_id": referral.public_id})
    assert shelter.post(detail, {"decision": "decline"}).status_code == 200
    referral.refresh_from_db()
    assert referral.status == "pending"
    shelter.post(detail, {"decision": "decline", "reason": "Penuh sampai bulan depan."})
    referral.refresh_from_db()
    assert referral.status == "declined" and referral.response_reason == "Penuh sampai bulan depan."
    page = (
        cw.client(cw.worker)
        .get(reverse("cases:detail", kwargs={"public_id": case.public_id}))
        .content.decode()
    )
    assert "Penuh sampai bulan depan." in page


def test_only_a_supervisor_may_override_missing_consent_with_a_written_reason(cw: CaseWorld) -> None:
    case = _returnee(cw)
    refer = reverse("cases:refer", kwargs={"public_id": case.public_id})
    data = {
        "service": "shelter",
        "provider": str(cw.shelter.public_id),
        "override_reason": "Anak tanpa pendamping, darurat.",
    }
    worker = cw.client(cw.worker)
    assert worker.post(refer, data).status_code == 403
    assert (
        Referral.objects.count() == 0
        and not AuditEvent.objects.filter(action="case.consent_override").exists()
    )
    supervisor = cw.client(cw.supervisor)
    short = supervisor.post(refer, {**data, "override_reason": "darurat"})
    assert short.status_code == 200 and Referral.objects.count() == 0
    assert supervisor.post(refer, data).status_code == 302
    referral = Referral.objects.get()
    assert referral.consent_override_reason == data["override_reason"]
    override = AuditEvent.objects.get(action="case.consent_override")
    assert override.actor == cw.supervisor and override.sensitive
    assert "darurat" not in str(override.details)  # the reason is on the referral, not in the log's details


def test_transfer_moves_ownership_only_when_the_receiver_accepts(cw: CaseWorld) -> None:
    case = new_case(mission=cw.kl, case_type="wages")
    do_set_consent(case=case, actor=cw.officer, purpose="referral", granted=True)
    officer = cw.client(cw.officer)
    response = officer.post(
        reverse("cases:transfer", kwargs={"public_id": case.public_id}),
        {"to_organisation": cw.bp3mi.pk, "reason": "Pulang ke Malang; lanjut reintegrasi."},
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    case.refresh_from_db()
    assert case.mission == cw.kl and case.organisation is None  # nothing moved yet
    assert (
        cw.client(cw.worker).get(reverse("cases:detail", kwargs={"public_id": case.public_id})).status_code
        == 404
    )
    detail = reverse("cases:transfer_detail", kwargs={"transfer_id": transfer.public_id})
    assert cw.client(cw.other_worker).get(detail).status_code == 404
    worker = cw.client(cw.worker)
    assert case.code in worker.get(reverse("cases:inbox")).content.decode()
    assert worker.post(detail, {"decision": "accept"}).status_code == 302
    case.refresh_from_db()
    transfer.refresh_from_db()
    assert transfer.status == "accepted" and case.organisation == cw.bp3mi and case.assigned_to == cw.worker
    assert case.mission is None
    assert worker.get(reverse("cases:detail", kwargs={"public_id": case.public_id})).status_code == 200
    assert officer.get(reverse("cases:detail", kwargs={"public_id": case.public_id})).status_code == 404


def test_transfer_without_consent_is_refused(cw: CaseWorld) -> None:
    case = new_case(mission=cw.kl)
    response = cw.client(cw.officer).post(
        reverse("cases:transfer", kwargs={"public_id": case.public_id}),
        {"to_mission": cw.jeddah.pk, "reason": "Pindah ke Jeddah."},
    )
    assert response.status_code == 200 and Transfer.objects.count() == 0


def test_referral_through_the_api(cw: CaseWorld) -> None:
    case = _returnee(cw)
    client = cw.client(cw.worker)
    body = {"provider": str(cw.shelter.public_id), "service": "shelter"}
    refused = client.post(
        f"/api/v1/cases/cases/{case.public_id}/referrals", body, content_type="application/json"
    )
    assert refused.status_code == 422 and "consent" in refused.json()["error"]["message"]
    client.post(
        f"/api/v1/cases/cases/{case.public_id}/consents",
        {"purpose": "referral", "granted": True},
        content_type="application/json",
    )
    created = client.post(
        f"/api/v1/cases/cases/{case.public_id}/referrals", body, content_type="application/json"
    )
    assert created.status_code == 201
    answer = cw.client(cw.shelter_worker).post(
        f"/api/v1/cases/referrals/{created.json()['id']}/respond",
        {"accept": True},
        content_type="application/json",
    )
    assert answer.status_code == 200 and Referral.objects.get().status == "accepted"
    suggestions = client.get(
        "/api/v1/cases/providers", {"region": "35.07.01.2001", "service": "shelter"}
    ).json()
    assert suggestions[0]["name"] == cw.shelter.name and suggestions[0]["accepts_in_perisai"]


def test_a_family_tracing_referral_also_needs_the_tracing_consent(cw: CaseWorld) -> None:
    from django.utils import translation

    from ..actions import CaseInputError, do_refer

    case = _returnee(cw)
    tracer = ServiceProvider.objects.create(
        name="Tracing desk",
        services=["family_tracing"],
        region_code="35",
        organisation=cw.shelter.organisation,
    )
    do_set_consent(case=case, actor=cw.worker, purpose="referral", granted=True)
    with translation.override("en"), pytest.raises(CaseInputError) as refused:
        do_refer(case=case, actor=cw.worker, provider=tracer, service="family_tracing")
    assert "Family tracing" in str(refused.value.errors["consent"])
    assert Referral.objects.count() == 0
    do_set_consent(case=case, actor=cw.worker, purpose="tracing", granted=True)
    assert do_refer(case=case, actor=cw.worker, provider=tracer, service="family_tracing").status == "pending"
