"""Assessments through HTTP: SDG 10.7.2 answers and bands, evidence, the workflow, follow-ups, comparison,
the printable profile, and the API sharing the same rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from perisai.conftest import login
from perisai.core.models import AuditEvent, User
from perisai.core.roles import Role
from perisai.governance.models import Answer, Assessment, Evidence, Indicator

pytestmark = pytest.mark.usefixtures("places", "frameworks")


def _create(
    client: Client, place: str = "ID", date: str = "2026-06-01", framework: str = "sdg-10-7-2"
) -> Assessment:
    response = client.post(
        reverse("governance:assessment_new"),
        {"framework": framework, "place_code": place, "as_of": date, "title": "", "source": "Lokakarya 2026"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return Assessment.objects.get(framework__code=framework, place_code=place, as_of=date)


def _answer_all(client: Client, assessment: Assessment, yes_per_domain: list[int]) -> Any:
    data: dict[str, str] = {}
    for indicator in Indicator.objects.filter(framework=assessment.framework).select_related("domain"):
        position = int(indicator.code.split(".")[1])
        yes = yes_per_domain[int(indicator.domain.code) - 1]
        data[f"a_{indicator.pk}"] = "yes" if position <= yes else "no"
        data[f"c_{indicator.pk}"] = ""
        data[f"s_{indicator.pk}"] = ""
    return client.post(
        reverse("governance:assessment_answers", kwargs={"public_id": assessment.public_id}), data
    )


def test_sdg_assessment_scores_domains_and_bands(analyst: Client) -> None:
    assessment = _create(analyst)
    response = _answer_all(analyst, assessment, [5, 4, 3, 2, 1, 5])
    assert response.status_code == 302
    assert Answer.objects.filter(assessment=assessment).count() == 30
    page = analyst.get(
        reverse("governance:assessment_detail", kwargs={"public_id": assessment.public_id}),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = page.content.decode()
    for text in (
        "100%",
        "80%",
        "60%",
        "40%",
        "20%",
        "Fully meets",
        "Meets",
        "Partially meets",
        "Requires further progress",
    ):
        assert text in body
    assert (
        '<span class="band band-partially_meets" id="overall-band">Partially meets</span>' in body
    )  # mean 66.7%
    assert "Well-developed areas" in body and "Areas with potential for development" in body
    api = analyst.get(f"/api/v1/governance/assessments/{assessment.public_id}").json()
    assert [d["percent"] for d in api["domains"]] == [100, 80, 60, 40, 20, 100]
    assert api["overall_band"] == "partially_meets"
    event = AuditEvent.objects.filter(action="assessment.answer", object_id=str(assessment.pk)).get()
    assert len(event.details["indicators"]) == 30


def test_a_bad_answer_keeps_everything_entered(analyst: Client) -> None:
    assessment = _create(analyst)
    first = Indicator.objects.get(framework__code="sdg-10-7-2", code="1.1")
    second = Indicator.objects.get(framework__code="sdg-10-7-2", code="1.2")
    response = analyst.post(
        reverse("governance:assessment_answers", kwargs={"public_id": assessment.public_id}),
        {
            f"a_{first.pk}": "maybe",
            f"c_{first.pk}": "",
            f"a_{second.pk}": "yes",
            f"c_{second.pk}": "Perpres 2024 tentang layanan",
            f"s_{second.pk}": "",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Perpres 2024 tentang layanan" in body and 'role="alert"' in body
    assert not Answer.objects.filter(assessment=assessment).exists()


def test_workflow_needs_a_reviewer_who_alone_approves(
    analyst: Client, make_user: Callable[..., User]
) -> None:
    reviewer_user = make_user(Role.ANALYST, username="reviewer")
    reviewer = login(Client(), reviewer_user)
    assessment = _create(analyst)
    status_url = reverse("governance:assessment_status", kwargs={"public_id": assessment.public_id})
    # Not without a reviewer; not approved straight from draft.
    analyst.post(status_url, {"to": "consultation", "reviewer": ""})
    analyst.post(status_url, {"to": "approved"})
    assessment.refresh_from_db()
    assert assessment.status == "draft"
    analyst.post(status_url, {"to": "consultation", "reviewer": reviewer_user.pk})
    assessment.refresh_from_db()
    assert assessment.status == "consultation" and assessment.reviewer == reviewer_user
    # The author cannot approve; the reviewer cannot approve an incomplete questionnaire.
    analyst.post(status_url, {"to": "approved"})
    reviewer.post(status_url, {"to": "approved"})
    assessment.refresh_from_db()
    assert assessment.status == "consultation"
    _answer_all(analyst, assessment, [5] * 6)
    reviewer.post(status_url, {"to": "approved"})
    assessment.refresh_from_db()
    assert assessment.status == "approved" and assessment.approved_by == reviewer_user
    steps = [
        e.details["to"]
        for e in AuditEvent.objects.filter(action="assessment.status", object_id=str(assessment.pk)).order_by(
            "at", "pk"
        )
    ]
    assert steps == ["consultation", "approved"]
    # Approved answers are frozen; a follow-up starts from them.
    _answer_all(analyst, assessment, [0] * 6)
    assert Answer.objects.filter(assessment=assessment, value="yes").count() == 30
    follow = analyst.post(
        reverse("governance:assessment_follow_up", kwargs={"public_id": assessment.public_id}),
        {"as_of": "2027-06-01"},
    )
    assert follow.status_code == 302
    follow_up = Assessment.objects.get(as_of="2027-06-01")
    assert follow_up.baseline == assessment and follow_up.status == "draft"
    assert Answer.objects.filter(assessment=follow_up, value="yes").count() == 30


def test_mgi_assessment_cannot_be_approved_while_example_indicators_remain(
    analyst: Client, make_user: Callable[..., User]
) -> None:
    reviewer_user = make_user(Role.ANALYST, username="reviewer")
    assessment = _create(analyst, place="35", framework="mgi")
    url = reverse("governance:assessment_status", kwargs={"public_id": assessment.public_id})
    analyst.post(url, {"to": "consultation", "reviewer": reviewer_user.pk})
    response = login(Client(), reviewer_user).post(
        url, {"to": "approved"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "example indicators" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "consultation"


def test_evidence_law_link_and_file(analyst: Client) -> None:
    assessment = _create(analyst)
    indicator = Indicator.objects.get(framework__code="sdg-10-7-2", code="6.4")
    url = reverse("governance:assessment_evidence", kwargs={"public_id": assessment.public_id})
    law = analyst.post(
        url,
        {
            "indicator": indicator.pk,
            "kind": "law",
            "title": "UU 21/2007 tentang Pemberantasan Tindak Pidana Perdagangan Orang",
            "citation": "Pasal 1",
        },
    )
    assert law.status_code == 302
    upload = SimpleUploadedFile("notulen.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    doc = analyst.post(
        url, {"indicator": indicator.pk, "kind": "document", "title": "Notulen lokakarya", "file": upload}
    )
    assert doc.status_code == 302
    bad = analyst.post(
        url,
        {
            "indicator": indicator.pk,
            "kind": "document",
            "title": "Script",
            "file": SimpleUploadedFile("x.exe", b"MZ"),
        },
    )
    assert bad.status_code == 200 and Evidence.objects.count() == 2
    stored = Evidence.objects.exclude(file="").get()
    download = analyst.get(reverse("governance:evidence_file", kwargs={"evidence_id": stored.pk}))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    page = analyst.get(
        reverse("governance:assessment_detail", kwargs={"public_id": assessment.public_id})
    ).content.decode()
    assert "UU 21/2007" in page and "Notulen lokakarya" in page


def test_compare_a_province_with_the_nation_and_print(analyst: Client) -> None:
    nation = _create(analyst, place="ID")
    province = _create(analyst, place="35")
    _answer_all(analyst, nation, [5, 5, 5, 5, 5, 5])
    _answer_all(analyst, province, [2, 3, 1, 5, 0, 4])
    response = analyst.get(
        reverse("governance:assessment_compare"),
        {"left": str(province.public_id), "right": str(nation.public_id)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'id="comparison"' in body
    assert "Jawa Timur" in body and "Indonesia" in body and "40%" in body and "100%" in body
    pdf = analyst.get(reverse("governance:assessment_pdf", kwargs={"public_id": province.public_id}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_assessment_for_an_unknown_place_or_twice_is_refused(analyst: Client) -> None:
    _create(analyst)
    again = analyst.post(
        reverse("governance:assessment_new"),
        {"framework": "sdg-10-7-2", "place_code": "ID", "as_of": "2026-06-01", "source": "kept"},
    )
    assert again.status_code == 200 and "kept" in again.content.decode()
    assert Assessment.objects.count() == 1


def test_officer_may_read_but_not_answer(analyst: Client, client_for: Any) -> None:
    assessment = _create(analyst)
    officer = client_for(Role.MISSION_OFFICER)
    assert (
        officer.get(
            reverse("governance:assessment_detail", kwargs={"public_id": assessment.public_id})
        ).status_code
        == 200
    )
    before = AuditEvent.objects.count()
    assert _answer_all(officer, assessment, [5] * 6).status_code == 403
    assert not Answer.objects.exists() and AuditEvent.objects.count() == before
    api = officer.post(
        f"/api/v1/governance/assessments/{assessment.public_id}/answers",
        [{"indicator": "1.1", "value": "yes"}],
        content_type="application/json",
    )
    assert api.status_code == 403 and not Answer.objects.exists()


def test_api_answers_use_the_same_rules(analyst: Client) -> None:
    assessment = _create(analyst)
    url = f"/api/v1/governance/assessments/{assessment.public_id}/answers"
    bad = analyst.post(url, [{"indicator": "1.1", "value": "maybe"}], content_type="application/json")
    assert bad.status_code == 422 and not Answer.objects.exists()
    good = analyst.post(
        url, [{"indicator": f"1.{i}", "value": "yes"} for i in range(1, 6)], content_type="application/json"
    )
    assert good.status_code == 200 and good.json()["domains"][0]["band"] == "fully_meets"
