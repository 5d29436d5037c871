"""The GCM action plan, trainings rolling up into it, practices, and local plan lines, through HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from perisai.core.models import AuditEvent
from perisai.core.roles import Role
from perisai.governance.models import (
    Institution,
    Participant,
    PlanAction,
    PlanLine,
    Practice,
    ProgressReport,
    Training,
)

from .conftest import make_people, publish

pytestmark = pytest.mark.usefixtures("places", "frameworks")


def _action(client: Client, **changes: Any) -> PlanAction:
    kemnaker = Institution.objects.get(code="kemnaker")
    data = {
        "objective": "6",
        "code": "6.1",
        "title": "Latih aparatur desa tentang migrasi aman",
        "lead": str(Institution.objects.get(code="kp2mi").pk),
        "supporting": [str(kemnaker.pk)],
        "indicator": "Aparatur desa yang dilatih",
        "metric": "officials_trained",
        "target": "200",
        "unit": "orang",
        "budget": "1500000000",
        "budget_source": "APBN",
        "start": "2026-01-01",
        "end": "2027-12-31",
        **changes,
    }
    response = client.post(reverse("governance:action_new"), data)
    assert response.status_code == 302, response.content.decode()[:800]
    return PlanAction.objects.get(title=data["title"])


def test_progress_per_period_is_idempotent_and_shows_on_the_dashboard(analyst: Client) -> None:
    action = _action(analyst, metric="reported", target="10")
    url = reverse("governance:action_progress", kwargs={"public_id": action.public_id})
    analyst.post(url, {"period": "2026-Q1", "status": "on_track", "value": "3", "narrative": "Dua desa"})
    analyst.post(url, {"period": "2026-q1", "status": "delayed", "value": "4", "narrative": "Tiga desa"})
    analyst.post(url, {"period": "2026-Q2", "status": "on_track", "value": "6"})
    assert ProgressReport.objects.filter(action=action).count() == 2
    assert ProgressReport.objects.get(action=action, period="2026-Q1").status == "delayed"
    bad = analyst.post(url, {"period": "Q5 2026", "status": "on_track", "narrative": "tetap ada"})
    assert bad.status_code == 200 and "tetap ada" in bad.content.decode()
    detail = analyst.get(
        reverse("governance:action_detail", kwargs={"public_id": action.public_id})
    ).content.decode()
    assert "60%" in detail  # latest period 2026-Q2: 6 of 10
    dashboard = analyst.get(reverse("governance:plan_dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "Facilitate fair and ethical recruitment" in dashboard
        and "KP2MI" in dashboard
        and "Kemnaker" in dashboard
    )
    api = analyst.get("/api/v1/governance/plan/actions").json()
    assert api[0]["percent"] == 60 and api[0]["status"] == "on_track"
    assert AuditEvent.objects.filter(action="plan_action.progress").count() == 3


def test_training_with_participants_rolls_up_into_the_action(analyst: Client, client_for: Any) -> None:
    action = _action(analyst)
    response = analyst.post(
        reverse("governance:training_new"),
        {
            "title": "Pelatihan migrasi aman untuk aparatur desa",
            "kind": "training",
            "topic": "Migrasi aman",
            "modules": "Hak pekerja migran | 3\nLayanan di desa | 2.5",
            "mode": "hybrid",
            "region_code": "35.07",
            "venue": "Balai desa",
            "start_date": "2026-03-10",
            "end_date": "2026-03-11",
            "facilitators": "Fasilitator A\nFasilitator B",
            "action": str(action.public_id),
            "pass_mark": "60",
        },
    )
    assert response.status_code == 302
    training = Training.objects.get()
    assert training.modules.count() == 2 and training.objective is not None and training.objective.number == 6
    add = reverse("governance:participant_add", kwargs={"public_id": training.public_id})
    for name, sex, post in (("Siti", "F", "80"), ("Budi", "M", "55"), ("Ani", "F", "90")):
        r = analyst.post(
            add,
            {
                "full_name": name,
                "sex": sex,
                "institution_name": "Pemerintah Desa Tulungrejo",
                "region_code": "35.07",
                "pre_score": "40",
                "post_score": post,
                "attended": "on",
            },
        )
        assert r.status_code == 302
    csv_text = "full_name,sex,institution,region_code,position,pre_score,post_score,attended\nDewi,F,KP2MI,35.07,Staf,50,70,yes\nEko,M,Pemerintah Desa Purwodadi,35.07,Kades,45,65,no\n"
    r = analyst.post(
        reverse("governance:participant_import", kwargs={"public_id": training.public_id}),
        {"file": SimpleUploadedFile("p.csv", csv_text.encode())},
    )
    assert r.status_code == 302
    assert training.participants.count() == 5
    rollup_page = analyst.get(
        reverse("governance:action_detail", kwargs={"public_id": action.public_id})
    ).content.decode()
    assert 'id="officials-trained">4<' in rollup_page  # Eko did not attend
    api = analyst.get("/api/v1/governance/plan/actions").json()
    assert api[0]["officials_trained"] == 4 and api[0]["percent"] == 2  # 4 of 200
    certificates = Participant.objects.exclude(certificate_number="")
    assert sorted(p.full_name for p in certificates) == ["Ani", "Dewi", "Siti"]  # Budi below the pass mark
    siti = Participant.objects.get(full_name="Siti")
    pdf = analyst.get(
        reverse(
            "governance:participant_certificate",
            kwargs={"public_id": training.public_id, "participant_id": siti.public_id},
        )
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # An officer sees the figures, not the names.
    officer = client_for(Role.MISSION_OFFICER)
    body = officer.get(
        reverse("governance:training_detail", kwargs={"public_id": training.public_id})
    ).content.decode()
    assert 'id="attended-count">4<' in body and "Siti" not in body
    listing = analyst.get(reverse("governance:training_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 / 1" in listing  # a hybrid training counts in person and online


def test_a_bad_participant_list_imports_nothing_and_says_which_line(analyst: Client) -> None:
    training = Training.objects.create(
        title="Drill", kind="drill", mode="online", start_date="2026-05-01", end_date="2026-05-01"
    )
    csv_text = "full_name,sex,institution,region_code,pre_score,post_score\nRina,F,KP2MI,35.07,10,20\n,X,,99.99,500,\n"
    response = analyst.post(
        reverse("governance:participant_import", kwargs={"public_id": training.public_id}),
        {"file": SimpleUploadedFile("p.csv", csv_text.encode())},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = response.content.decode()
    assert "Line 3" in body and "Nothing was imported" in body
    assert not training.participants.exists()


def test_practices_are_searchable_and_linked(analyst: Client) -> None:
    action = _action(analyst)
    response = analyst.post(
        reverse("governance:practice_new"),
        {
            "title": "Desmigratif: layanan migrasi di desa",
            "summary": "Pusat layanan migrasi di desa kantong pekerja migran.",
            "topic": "local_development",
            "region_code": "35.07",
            "objectives": ["3", "19"],
            "source": "Kemnaker, 2019",
            "linked_actions": [str(action.pk)],
        },
    )
    assert response.status_code == 302
    Practice.objects.create(
        title="Crisis drill at KBRI", summary="Evacuation exercise", topic="crisis", source="Kemlu"
    )
    by_topic = analyst.get(
        reverse("governance:practice_list"), {"topic": "local_development"}
    ).content.decode()
    assert "Desmigratif" in by_topic and "Crisis drill" not in by_topic
    by_region = analyst.get(reverse("governance:practice_list"), {"region": "35"}).content.decode()
    assert "Desmigratif" in by_region and "Crisis drill" not in by_region
    by_objective = analyst.get(reverse("governance:practice_list"), {"objective": "19"}).content.decode()
    assert "Desmigratif" in by_objective
    by_words = analyst.get(reverse("governance:practice_list"), {"q": "evacuation"}).content.decode()
    assert "Crisis drill" in by_words and "Desmigratif" not in by_words
    detail = analyst.get(
        reverse("governance:action_detail", kwargs={"public_id": action.public_id})
    ).content.decode()
    assert "Desmigratif" in detail
    # Linked from the indicators it supports, with the actions addressing them.
    from perisai.governance.models import Indicator

    indicator = Indicator.objects.get(framework__code="mgi", code="EX-2.1")
    practice = Practice.objects.get(title__startswith="Desmigratif")
    practice.indicators.add(indicator)
    action.mgi_indicators.add(indicator)
    page = analyst.get(reverse("governance:framework_detail", kwargs={"code": "mgi"})).content.decode()
    assert "Desmigratif" in page and f"GCM 6 {action.code}" in page


def test_regency_profile_matches_the_records_and_carries_plan_lines(analyst: Client) -> None:
    make_people(village="35.07.01.2001", country="MY", n=14, sex="F")
    make_people(village="35.07.01.2002", country="HK", n=9, sex="F")
    make_people(village="35.07.01.2002", country="HK", n=7, sex="M", status="returned")
    make_people(village="35.07.01.2001", country="MY", n=30, consent=False)
    publish()
    response = analyst.post(
        reverse("governance:plan_line_new", kwargs={"code": "35.07"}),
        {
            "year": "2026",
            "programme": "Pemberdayaan purna PMI",
            "budget": "250000000",
            "objective": "21",
            "source_document": "RKPD 2026",
        },
    )
    assert response.status_code == 302 and PlanLine.objects.count() == 1
    body = analyst.get(reverse("governance:local_profile", kwargs={"code": "35.07"})).content.decode()
    assert (
        'id="profile-abroad">23<' in body
        and 'id="profile-returned">7<' in body
        and 'id="profile-women">23<' in body
    )
    assert "Rp 250.000.000" in body and "Pemberdayaan purna PMI" in body
    pdf = analyst.get(reverse("governance:local_profile_pdf", kwargs={"code": "35.07"}))
    assert pdf.content.startswith(b"%PDF")
    before = PlanLine.objects.count()
    bad = analyst.post(
        reverse("governance:plan_line_new", kwargs={"code": "35.07"}),
        {"year": "1900", "programme": "Tetap", "budget": "-5", "objective": "21"},
    )
    assert bad.status_code == 200 and "Tetap" in bad.content.decode() and PlanLine.objects.count() == before
