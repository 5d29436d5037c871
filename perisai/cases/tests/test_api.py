"""The JSON API shares the actions of the pages: intake, the case, assessment, closure and sign-off."""

from __future__ import annotations

from ..models import Approval, Case
from .conftest import CaseWorld


def test_intake_assessment_and_closure_through_the_api(cw: CaseWorld) -> None:
    client = cw.client(cw.officer)
    created = client.post(
        "/api/v1/cases/cases",
        {
            "source": "call",
            "case_type": "trafficking",
            "urgency": "high",
            "summary": "Dijanjikan kerja di restoran, dipaksa kerja di kapal.",
            "subject_name": "Rahmat",
            "mission": cw.kl.code,
            "link_type": "hotline",
            "link_id": "call-991",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["name"] is None  # trafficking: the name is hidden by default
    case = Case.objects.get(public_id=body["public_id"])
    assert case.mission == cw.kl and case.opened_by == cw.officer
    again = client.post(
        "/api/v1/cases/cases",
        {
            "case_type": "trafficking",
            "summary": "Menelepon lagi.",
            "link_type": "hotline",
            "link_id": "call-991",
        },
        content_type="application/json",
    )
    assert again.json()["public_id"] == body["public_id"]
    assessed = client.post(
        f"/api/v1/cases/cases/{case.public_id}/assessment",
        {"risk_level": "high", "ilo_indicators": ["deception", "debt_bondage"], "needs": ["legal_aid"]},
        content_type="application/json",
    )
    assert assessed.status_code == 200
    fetched = client.get(f"/api/v1/cases/cases/{case.public_id}").json()
    assert fetched["ilo_indicators"] == ["deception", "debt_bondage"] and fetched["needs"] == ["legal_aid"]
    assert "trafficking_indicators" in fetched["vulnerabilities"]
    bad = client.post(
        f"/api/v1/cases/cases/{case.public_id}/assessment",
        {"risk_level": "high", "ilo_indicators": ["bad_luck"]},
        content_type="application/json",
    )
    assert bad.status_code == 422
    client.post(
        f"/api/v1/cases/cases/{case.public_id}/closure",
        {"outcome": "referred", "reason": "Dirujuk ke LBH."},
        content_type="application/json",
    )
    approval = Approval.objects.get(kind="closure")
    decided = cw.client(cw.supervisor).post(
        f"/api/v1/cases/approvals/{approval.pk}/decide", {"approve": True}, content_type="application/json"
    )
    assert decided.status_code == 200
    case.refresh_from_db()
    assert case.status == "closed"
    queue = client.get("/api/v1/cases/cases", {"status": "closed"}).json()
    assert [c["code"] for c in queue] == [case.code]
    invalid = client.post(
        "/api/v1/cases/cases", {"case_type": "theft", "summary": "x"}, content_type="application/json"
    )
    assert invalid.status_code == 422 and "case_type" in invalid.json()["error"]["message"]
