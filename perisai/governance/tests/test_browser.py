"""Done when: an analyst on a phone completes an SDG 10.7.2 assessment and reads its band, compares a province
with the nation, records progress on a GCM action, records a training with its participants and sees it in
the action's progress, and opens a regency's profile whose figures match the underlying records.

Labels are looked up through the Indonesian catalogue (`t`), so the test reads the page as an Indonesian
user does whether or not the catalogue already has this module's translations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from perisai.core.models import User
from perisai.core.roles import Role
from perisai.governance.models import Answer, Assessment, GcmObjective, Indicator, Institution, PlanAction
from perisai.registry.models import Person

from .conftest import make_people

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("places", "frameworks"),
]


def t(msgid: str) -> str:
    with translation.override("id"):
        return str(translation.gettext(msgid))


def _sign_in(page: Any, base: str, user: User) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])


def _fits_the_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_analyst_journey_on_a_phone(live_server: Any, phone_page: Any, make_user: Any) -> None:
    page, base = phone_page, live_server.url
    analyst = make_user(Role.ANALYST, username="analis")
    _sign_in(page, base, analyst)

    # 1. An SDG 10.7.2 assessment of the nation, answered on the phone, sent to consultation and approved.
    page.goto(base + "/governance/assessments/new/")
    page.get_by_label(t("Framework")).select_option("sdg-10-7-2")
    page.get_by_label(t("Place")).select_option("ID")
    page.get_by_label(t("Date of the assessment")).fill("2026-06-30")
    page.get_by_label(t("Source of the answers")).fill("Lokakarya nasional, Juni 2026")
    page.get_by_role("button", name=t("Create and answer")).click()
    page.wait_for_url("**/answers/")
    questions = page.locator("fieldset.question")
    assert questions.count() == 30
    yes_per_domain = [5, 5, 4, 4, 5, 5]
    for index in range(30):
        domain, item = divmod(index, 5)
        answer = t("Yes") if item < yes_per_domain[domain] else t("No")
        questions.nth(index).get_by_label(answer, exact=True).check()
    assert _fits_the_phone(page)
    page.get_by_role("button", name=t("Save answers")).click()
    page.wait_for_url("**/assessments/*/")
    assert page.locator("#overall-band").inner_text() == "Memenuhi"  # 93% overall: "Meets"
    page.get_by_label(t("Reviewer")).select_option(str(analyst.pk))
    page.get_by_role("button", name=t("Send to consultation")).click()
    page.get_by_role("button", name=t("Approve")).click()
    assert page.locator("#assessment-status").inner_text() == t("Approved")
    nation = Assessment.objects.get(place_code="ID")
    assert nation.status == "approved" and Answer.objects.filter(assessment=nation).count() == 30

    # 2. Jawa Timur's assessment (entered earlier) side by side with the nation.
    province = Assessment.objects.create(
        framework=nation.framework, place_code="35", region_id="35", as_of=dt.date(2026, 6, 30)
    )
    for indicator in Indicator.objects.filter(framework=nation.framework):
        Answer.objects.create(
            assessment=province, indicator=indicator, value="yes" if indicator.domain.code in "123" else "no"
        )
    page.goto(base + "/governance/assessments/compare/")
    page.get_by_label(t("First assessment")).select_option(str(province.public_id))
    page.get_by_label(t("Second assessment")).select_option(str(nation.public_id))
    page.get_by_role("button", name=t("Compare")).click()
    comparison = page.locator("#comparison").inner_text()
    assert (
        "Jawa Timur" in comparison
        and "Indonesia" in comparison
        and "0%" in comparison
        and "100%" in comparison
    )
    assert _fits_the_phone(page)

    # 3. Progress on a GCM action.
    action = PlanAction.objects.create(
        objective=GcmObjective.objects.get(number=3),
        code="3.2",
        title="Informasi migrasi aman di desa kantong PMI",
        lead=Institution.objects.get(code="kp2mi"),
        metric=PlanAction.Metric.OFFICIALS_TRAINED,
        target=100,
        unit="orang",
    )
    page.goto(base + f"/governance/plan/actions/{action.public_id}/")
    page.get_by_label(t("Period")).fill("2026-Q2")
    page.get_by_label(t("Status"), exact=False).first.select_option("on_track")
    page.get_by_label(t("What was done")).fill("Sosialisasi di 4 desa")
    page.get_by_role("button", name=t("Record progress")).click()
    page.wait_for_url(f"**/plan/actions/{action.public_id}/")
    assert "Sosialisasi di 4 desa" in page.content()
    assert action.reports.get().period == "2026-Q2"

    # 4. A training for that action, with its participants: it shows in the action's progress.
    page.get_by_role("link", name=t("Record a training for this action")).click()
    page.get_by_label(t("Title")).fill("Pelatihan informasi migrasi aman")
    page.get_by_label(t("Where"), exact=False).first.select_option("hybrid")
    page.get_by_label(t("Region"), exact=False).first.select_option("35.07")
    page.get_by_label(t("First day")).fill("2026-07-14")
    page.get_by_label(t("Last day")).fill("2026-07-15")
    page.get_by_role("button", name=t("Save training")).click()
    page.wait_for_url("**/trainings/*/")
    for name, sex, score in (("Sri Rahayu", "F", "85"), ("Agus Salim", "M", "75"), ("Wati", "F", "40")):
        page.get_by_label(t("Full name")).fill(name)
        page.get_by_label(t("Sex")).select_option(sex)
        page.get_by_label(t("Institution (if not listed)")).fill("Pemerintah Desa Tulungrejo")
        page.get_by_label(t("Post-test score")).fill(score)
        page.get_by_role("button", name=t("Add participant")).click()
        page.wait_for_url("**/trainings/*/")
    assert page.locator("#attended-count").inner_text() == "3"
    page.goto(base + f"/governance/plan/actions/{action.public_id}/")
    assert page.locator("#officials-trained").inner_text() == "3"
    assert page.locator("#action-achieved").inner_text() == "3"

    # 5. Kabupaten Malang's profile after publishing figures: it matches the records.
    make_people(village="35.07.01.2001", country="MY", n=18, sex="F")
    make_people(village="35.07.01.2002", country="HK", n=11, sex="F")
    make_people(village="35.07.01.2002", country="TW", n=9, sex="M")
    make_people(village="35.07.01.2001", country="MY", n=6, sex="F", status="returned")
    make_people(village="35.07.01.2001", country="MY", n=40, sex="M", consent=False)
    page.goto(base + "/governance/statistics/")
    page.get_by_role("button", name=t("Publish new figures")).click()
    call_command("worker", batch=True, queues="*", no_scheduler=True)
    page.goto(base + "/governance/places/35.07/")
    counted = Person.objects.filter(
        home_regency="35.07", consents__purpose="statistics", consents__granted=True
    )
    assert (
        page.locator("#profile-abroad").inner_text() == str(counted.filter(status="active").count()) == "38"
    )
    assert page.locator("#profile-women").inner_text() == str(
        counted.filter(status="active", sex="F").count()
    )
    assert page.locator("#profile-returned").inner_text() == str(counted.filter(status="returned").count())
    assert "Malaysia" in page.content() and "Pelatihan informasi migrasi aman" in page.content()
    assert _fits_the_phone(page)
