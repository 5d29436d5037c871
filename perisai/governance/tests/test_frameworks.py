"""Loading the shipped frameworks, completing the MGI framework, and the official text staying locked."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from perisai.core.models import AuditEvent
from perisai.governance.models import Framework, GcmObjective, Indicator, Institution


def test_load_frameworks_is_idempotent(db: None) -> None:
    call_command("governance", "load-frameworks")
    counts = (
        Framework.objects.count(),
        Indicator.objects.count(),
        GcmObjective.objects.count(),
        Institution.objects.count(),
    )
    assert counts[0] == 2 and counts[2] == 23 and counts[3] >= 10
    sdg = Framework.objects.get(code="sdg-10-7-2")
    assert sdg.locked and sdg.indicators.count() == 30 and len(sdg.bands) == 4
    mgi = Framework.objects.get(code="mgi")
    assert mgi.needs_completion and mgi.domains.count() == 6
    assert mgi.indicators.count() == mgi.indicators.filter(is_example=True).count() == 6
    call_command("governance", "load-frameworks")
    assert (
        Framework.objects.count(),
        Indicator.objects.count(),
        GcmObjective.objects.count(),
        Institution.objects.count(),
    ) == counts


def test_reloading_keeps_what_an_administrator_wrote_and_restores_official_texts(frameworks: None) -> None:
    from perisai.governance.actions import do_load_frameworks

    example = Indicator.objects.get(framework__code="mgi", code="EX-1.1")
    example.question_en = "Written by the administrator"
    example.save()
    official = Indicator.objects.get(framework__code="sdg-10-7-2", code="1.1")
    official.question_en = "Tampered"
    official.save()
    do_load_frameworks()
    example.refresh_from_db()
    official.refresh_from_db()
    assert example.question_en == "Written by the administrator"
    assert official.question_en.startswith("Do non-nationals")


def test_analyst_completes_the_mgi_framework_and_cannot_touch_the_official_questionnaire(
    frameworks: None, analyst: Client
) -> None:
    url = reverse("governance:indicator_new", kwargs={"code": "mgi"})
    response = analyst.post(
        url,
        {
            "domain_code": "3",
            "code": "3.1.1",
            "question_en": "",
            "question_id": "Pertanyaan dari edisi MGI yang dipakai",
            "answer_type": "choice",
            "choices_text": "a | None | Tidak ada | 0\nb | Some | Sebagian | 0.5\nc | All | Semua | 1",
            "order": "1",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(framework__code="mgi", code="3.1.1")
    assert (
        indicator.answer_type == "choice"
        and indicator.choices[1]["points"] == 0.5
        and not indicator.is_example
    )
    assert AuditEvent.objects.filter(action="indicator.create").exists()
    # Bad input comes back with the text kept and a message.
    again = analyst.post(
        url,
        {
            "domain_code": "3",
            "code": "3.1.1",
            "question_en": "Kept text",
            "answer_type": "yes_no",
            "order": "0",
        },
    )
    assert again.status_code == 200 and "Kept text" in again.content.decode()
    assert Indicator.objects.filter(framework__code="mgi", code="3.1.1").count() == 1
    # The official SDG questionnaire cannot be edited here.
    before = Indicator.objects.filter(framework__code="sdg-10-7-2").count()
    locked = analyst.post(
        reverse("governance:indicator_new", kwargs={"code": "sdg-10-7-2"}),
        {"domain_code": "1", "code": "1.6", "question_en": "Extra", "answer_type": "yes_no", "order": "0"},
    )
    assert locked.status_code == 302
    assert Indicator.objects.filter(framework__code="sdg-10-7-2").count() == before


@pytest.mark.parametrize("language", ["en", "id"])
def test_framework_page_in_both_languages(frameworks: None, analyst: Client, language: str) -> None:
    body = analyst.get(
        reverse("governance:framework_detail", kwargs={"code": "sdg-10-7-2"}), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    if language == "en":
        assert "Migrant rights" in body and "Fully meets" in body
    else:
        assert "Hak-hak migran" in body and "Memenuhi sepenuhnya" in body


def test_publish_statistics_command_reports_each_source(db: None) -> None:
    from io import StringIO

    out = StringIO()
    call_command("governance", "publish-statistics", stdout=out)
    text = out.getvalue()
    assert "published" in text and "registry: connected" in text
