"""Scoring of indicator frameworks: points per answer, shares per domain, bands, the profile.

Pure Python: imports nothing from Django. Frameworks are data (fixtures in data/frameworks/); this module
only reads the rule each indicator carries:

- ``yes_no``: points per answer, default ``{"yes": 1, "no": 0}`` (SDG 10.7.2: Yes = 1, No = 0);
- ``yes_partial_no``: default ``{"yes": 1, "partial": 0.5, "no": 0}``;
- ``choice``: the points of the chosen option;
- ``number``: ``{"thresholds": [{"min": x, "points": p}, ...]}``, the highest ``min`` not above the value;
- ``text``: never scored.

A domain's share is the points earned over the points possible for the indicators that are scored
(unanswered scored indicators count as 0, as a "No" does in the SDG 10.7.2 method: a domain is not better for
being left blank). Bands are ``[{"code", "min"}]`` with ``min`` a share from 0 to 1, ascending.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

YES_NO = "yes_no"
YES_PARTIAL_NO = "yes_partial_no"
NUMBER = "number"
CHOICE = "choice"
TEXT = "text"

DEFAULT_POINTS: dict[str, dict[str, float]] = {
    YES_NO: {"yes": 1.0, "no": 0.0},
    YES_PARTIAL_NO: {"yes": 1.0, "partial": 0.5, "no": 0.0},
}


class RuleError(ValueError):
    """A scoring rule in a framework fixture that cannot be used."""


@dataclass(frozen=True)
class Rule:
    """How one indicator is scored: possible points per answer, or number thresholds."""

    answer_type: str
    points: Mapping[str, float] = field(default_factory=dict)
    thresholds: tuple[tuple[float, float], ...] = ()

    @property
    def scored(self) -> bool:
        return self.answer_type != TEXT and bool(self.points or self.thresholds)

    @property
    def max_points(self) -> float:
        values = list(self.points.values()) + [p for _m, p in self.thresholds]
        return max(values) if values else 0.0

    def points_for(self, value: str, number: Decimal | float | None = None) -> float | None:
        """Points for an answer, or None when unanswered or not scored."""
        if not self.scored:
            return None
        if self.answer_type == NUMBER:
            if number is None:
                return None
            earned = None
            for minimum, pts in self.thresholds:
                if float(number) >= minimum:
                    earned = pts
            return earned if earned is not None else 0.0
        if not value:
            return None
        return self.points.get(value)


def make_rule(
    answer_type: str, scoring: Mapping[str, Any] | None, choices: Sequence[Mapping[str, Any]] = ()
) -> Rule:
    """Read a rule from an indicator's data (``scoring`` may be empty for the defaults)."""
    scoring = scoring or {}
    if answer_type == TEXT:
        return Rule(TEXT)
    if answer_type in DEFAULT_POINTS:
        raw = scoring.get("points") or DEFAULT_POINTS[answer_type]
        allowed = set(DEFAULT_POINTS[answer_type])
        if not set(raw) <= allowed:
            raise RuleError(f"points for unknown answers: {sorted(set(raw) - allowed)}")
        return Rule(answer_type, {k: float(v) for k, v in raw.items()})
    if answer_type == CHOICE:
        points = {str(c["value"]): float(c["points"]) for c in choices if c.get("points") is not None}
        return Rule(CHOICE, points)
    if answer_type == NUMBER:
        raw_thresholds = scoring.get("thresholds") or []
        try:
            pairs = sorted((float(t["min"]), float(t["points"])) for t in raw_thresholds)
        except (KeyError, TypeError, ValueError) as exc:
            raise RuleError("number thresholds need a min and points") from exc
        return Rule(NUMBER, thresholds=tuple(pairs))
    raise RuleError(f"unknown answer type {answer_type!r}")


@dataclass(frozen=True)
class Item:
    """One indicator of an assessment with its answer (value "" and number None when unanswered)."""

    code: str
    domain: str
    rule: Rule
    value: str = ""
    number: Decimal | float | None = None

    @property
    def points(self) -> float | None:
        return self.rule.points_for(self.value, self.number)

    @property
    def answered(self) -> bool:
        return bool(self.value) or self.number is not None


@dataclass(frozen=True)
class DomainScore:
    domain: str
    points: float
    possible: float
    scored: int
    answered: int
    band: str | None

    @property
    def share(self) -> float | None:
        return self.points / self.possible if self.possible else None

    @property
    def percent(self) -> int | None:
        share = self.share
        return round(share * 100) if share is not None else None


def band_for(share: float | None, bands: Sequence[Mapping[str, Any]]) -> str | None:
    """The band whose minimum is the highest one not above the share (bands ascending by ``min``)."""
    if share is None or not bands:
        return None
    chosen = None
    for band in sorted(bands, key=lambda b: float(b["min"])):
        if share + 1e-9 >= float(band["min"]):
            chosen = str(band["code"])
    return chosen


def score_domains(
    items: Sequence[Item], domains: Sequence[str], bands: Sequence[Mapping[str, Any]] = ()
) -> list[DomainScore]:
    """One score per domain, in the order given."""
    out = []
    for domain in domains:
        mine = [i for i in items if i.domain == domain and i.rule.scored]
        points = sum((i.points or 0.0) for i in mine)
        possible = sum(i.rule.max_points for i in mine)
        share = points / possible if possible else None
        out.append(
            DomainScore(
                domain=domain,
                points=points,
                possible=possible,
                scored=len(mine),
                answered=sum(1 for i in mine if i.answered),
                band=band_for(share, bands),
            )
        )
    return out


def overall(
    scores: Sequence[DomainScore], bands: Sequence[Mapping[str, Any]] = ()
) -> tuple[float | None, str | None]:
    """The mean of the domain shares (each domain weighs the same, as in SDG 10.7.2) and its band."""
    shares = [s.share for s in scores if s.share is not None]
    if not shares:
        return None, None
    mean = sum(shares) / len(shares)
    return mean, band_for(mean, bands)


@dataclass(frozen=True)
class Profile:
    """What an MGI-style profile lists: well-developed areas, areas with potential, what is not assessed."""

    well_developed: list[str]
    potential: list[str]
    not_assessed: list[str]


def profile(items: Sequence[Item]) -> Profile:
    """Indicators with full points are well developed; with less, they have potential for development."""
    well, potential, missing = [], [], []
    for item in items:
        if not item.rule.scored:
            continue
        pts = item.points
        if pts is None:
            missing.append(item.code)
        elif pts >= item.rule.max_points:
            well.append(item.code)
        else:
            potential.append(item.code)
    return Profile(well, potential, missing)
