"""Scoring rules, SDG 10.7.2 bands and the profile. Pure: no database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from perisai.governance import scoring

SDG = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "frameworks" / "sdg-10-7-2.json").read_text()
)
BANDS = SDG["bands"]


def _sdg_items(yes_per_domain: list[int]) -> list[scoring.Item]:
    items = []
    for domain, yes in zip(SDG["domains"], yes_per_domain, strict=True):
        for i, indicator in enumerate(domain["indicators"]):
            rule = scoring.make_rule(indicator["answer_type"], indicator["scoring"])
            items.append(scoring.Item(indicator["code"], domain["code"], rule, "yes" if i < yes else "no"))
    return items


def test_the_sdg_questionnaire_is_complete() -> None:
    assert [d["code"] for d in SDG["domains"]] == ["1", "2", "3", "4", "5", "6"]
    assert [len(d["indicators"]) for d in SDG["domains"]] == [5] * 6
    names = [d["name_en"] for d in SDG["domains"]]
    assert names == [
        "Migrant rights",
        "Whole-of-government / evidence-based policies",
        "Cooperation and partnerships",
        "Socioeconomic well-being",
        "Mobility dimensions of crises",
        "Safe, orderly and regular migration",
    ]
    for domain in SDG["domains"]:
        for indicator in domain["indicators"]:
            assert (
                indicator["question_en"] and indicator["question_id"] and indicator["answer_type"] == "yes_no"
            )
            assert indicator["scoring"] == {"points": {"yes": 1, "no": 0}}


@pytest.mark.parametrize(
    ("yes", "band"),
    [
        (0, "requires_further_progress"),
        (1, "requires_further_progress"),
        (2, "partially_meets"),
        (3, "partially_meets"),
        (4, "meets"),
        (5, "fully_meets"),
    ],
)
def test_sdg_domain_bands(yes: int, band: str) -> None:
    scores = scoring.score_domains(_sdg_items([yes] * 6), [str(i) for i in range(1, 7)], BANDS)
    assert all(s.band == band for s in scores)
    assert all(s.percent == yes * 20 for s in scores)


def test_sdg_overall_is_the_mean_of_the_domains() -> None:
    scores = scoring.score_domains(_sdg_items([5, 5, 4, 4, 3, 3]), [str(i) for i in range(1, 7)], BANDS)
    mean, band = scoring.overall(scores, BANDS)
    assert mean == pytest.approx((1 + 1 + 0.8 + 0.8 + 0.6 + 0.6) / 6) and band == "meets"


def test_unanswered_counts_as_no_and_is_listed_as_not_assessed() -> None:
    rule = scoring.make_rule("yes_no", None)
    items = [scoring.Item("1.1", "1", rule, "yes"), scoring.Item("1.2", "1", rule, "")]
    (score,) = scoring.score_domains(items, ["1"], BANDS)
    assert score.share == 0.5 and score.answered == 1
    profile = scoring.profile(items)
    assert profile.well_developed == ["1.1"] and profile.not_assessed == ["1.2"]


def test_partial_number_choice_and_text_rules() -> None:
    partial = scoring.make_rule("yes_partial_no", {})
    assert partial.points_for("partial") == 0.5 and partial.max_points == 1
    number = scoring.make_rule(
        "number",
        {"thresholds": [{"min": 0, "points": 0}, {"min": 5, "points": 1}, {"min": 1, "points": 0.5}]},
    )
    assert [number.points_for("", n) for n in (0, 1, 4.9, 5, 40)] == [0, 0.5, 0.5, 1, 1]
    choice = scoring.make_rule("choice", {}, [{"value": "a", "points": 0}, {"value": "b", "points": 2}])
    assert choice.points_for("b") == 2 and choice.max_points == 2
    text = scoring.make_rule("text", {})
    assert not text.scored and text.points_for("anything") is None
    items = [scoring.Item("x", "d", partial, "partial"), scoring.Item("y", "d", text, "")]
    assert scoring.profile(items).potential == ["x"]


def test_bad_rules_are_refused() -> None:
    with pytest.raises(scoring.RuleError):
        scoring.make_rule("yes_no", {"points": {"maybe": 1}})
    with pytest.raises(scoring.RuleError):
        scoring.make_rule("number", {"thresholds": [{"points": 1}]})
    with pytest.raises(scoring.RuleError):
        scoring.make_rule("colour", {})


def test_gcm_objectives_are_the_23_of_the_compact() -> None:
    data = json.loads((Path(__file__).resolve().parents[1] / "data" / "gcm-objectives.json").read_text())
    objectives = data["objectives"]
    assert [o["number"] for o in objectives] == list(range(1, 24))
    assert (
        objectives[0]["title_en"]
        == "Collect and utilize accurate and disaggregated data as a basis for evidence-based policies"
    )
    assert (
        objectives[22]["title_en"]
        == "Strengthen international cooperation and global partnerships for safe, orderly and regular migration"
    )
    assert all(o["title_id"] and o["title_id"] != o["title_en"] for o in objectives)
