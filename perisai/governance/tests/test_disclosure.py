"""Cell suppression: primary cells, secondary cells against differencing, and an attacker who solves the
published equations exactly (linear programming). Pure: no database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from perisai.governance.disclosure import Equation, protect, violations
from perisai.governance.release import assemble, protect_assembly
from perisai.governance.sources.base import REGENCY, VILLAGE, Row, TableSpec

BY_COUNTRY = TableSpec("by_country", "t", "t", "t", (("status", "active"),), "country", REGENCY, "people")
TOTAL = TableSpec("total", "t", "t", "t", (("status", "active"),), None, VILLAGE, "people")


def lp_ranges(
    counts: dict[Any, int], equations: Sequence[Equation[Any]], hidden: set[Any]
) -> dict[Any, tuple[float, float]]:
    """What an attacker who knows every published cell and every equation can say of each hidden cell: its
    smallest and largest possible value. Hidden cells are only known not to be negative (nothing shows a
    hidden cell apart from an empty one); absent cells are taken as known zeros, which helps the attacker."""
    unknowns = sorted(hidden, key=repr)
    index = {k: i for i, k in enumerate(unknowns)}
    rows, rhs = [], []
    for eq in equations:
        terms = [(eq.total, 1.0)] + [(p, -1.0) for p in eq.parts]
        coeffs = np.zeros(len(unknowns))
        constant = 0.0
        for key, sign in terms:
            if key in index:
                coeffs[index[key]] += sign
            else:
                constant += sign * counts.get(key, 0)
        if coeffs.any():
            rows.append(coeffs)
            rhs.append(-constant)
    upper = 10**6  # the attacker knows no upper bound but what the published cells imply
    out = {}
    for key in unknowns:
        c = np.zeros(len(unknowns))
        c[index[key]] = 1.0
        bounds = [(0, upper)] * len(unknowns)
        lo = linprog(
            c, A_eq=np.array(rows) if rows else None, b_eq=np.array(rhs) if rows else None, bounds=bounds
        )
        hi = linprog(
            -c, A_eq=np.array(rows) if rows else None, b_eq=np.array(rhs) if rows else None, bounds=bounds
        )
        assert lo.status == 0 and hi.status == 0, "the true values are always feasible"
        out[key] = (lo.fun, -hi.fun)
    return out


def test_a_small_cell_is_hidden_with_a_partner_so_that_the_total_does_not_give_it_away() -> None:
    counts = {"t": 20, "a": 3, "b": 9, "c": 8}
    eqs = [Equation("t", ("a", "b", "c"))]
    hidden = protect(counts, eqs)
    assert hidden == {"a", "c"}  # the smallest published part joins the small one
    assert violations(counts, eqs, hidden) == []


def test_hidden_parts_together_are_never_a_group_smaller_than_five() -> None:
    counts = {"t": 30, "a": 1, "b": 2, "c": 6, "d": 21}
    eqs = [Equation("t", ("a", "b", "c", "d"))]
    hidden = protect(counts, eqs)
    assert {"a", "b", "c"} <= hidden  # 1 + 2 = 3 < 5: a third cell joins
    assert sum(counts[k] for k in hidden if k != "t") >= 5


def test_a_small_total_hides_its_parts_and_the_parent_knows() -> None:
    # nation = province A (3) + province B (40); A is small, so B must be hidden too (or the nation).
    counts = {"ID": 43, "A": 3, "B": 40}
    eqs = [Equation("ID", ("A", "B"))]
    hidden = protect(counts, eqs)
    assert "A" in hidden and len(hidden) == 2
    assert violations(counts, eqs, hidden) == []


def test_zeros_are_never_hidden() -> None:
    counts = {"t": 7, "a": 7, "b": 0}
    eqs = [Equation("t", ("a", "b"))]
    assert protect(counts, eqs) == set()


def test_violations_finds_an_unprotected_release() -> None:
    counts = {"t": 20, "a": 3, "b": 17}
    eqs = [Equation("t", ("a", "b"))]
    assert {v.rule for v in violations(counts, eqs, {"a"})} == {"lone", "pinned"}
    assert {v.rule for v in violations(counts, eqs, set())} == {"primary"}


def _rows(data: Iterable[tuple[str, str, int]]) -> list[Row]:
    return [Row(geo=g, category=c, n=n) for g, c, n in data if n]


def test_differencing_a_regency_against_its_province_reveals_nothing() -> None:
    """Two overlapping queries: Jawa Timur by country and each of its regencies by country. The regencies'
    small Malaysian counts cannot be recovered from the province's published figure."""
    rows = _rows(
        [
            ("35.07.01.2001", "MY", 3), ("35.07.01.2001", "HK", 30),
            ("35.08.01.2001", "MY", 40), ("35.08.01.2001", "HK", 2),
            ("35.09.01.2001", "MY", 12), ("35.09.01.2001", "HK", 11),
        ]
    )  # fmt: skip
    out = protect_assembly(assemble([(BY_COUNTRY, rows), (TOTAL, [Row(r.geo, "", r.n) for r in rows])]))
    ranges = lp_ranges(out.counts, out.equations, out.hidden)
    small = [k for k, n in out.counts.items() if 0 < n < 5]
    assert small and all(k in out.hidden for k in small)
    for key in small:
        lo, hi = ranges[key]
        assert hi - lo >= 1, f"{key} is pinned between {lo} and {hi}"


leaf_counts = st.integers(min_value=0, max_value=12) | st.integers(min_value=0, max_value=3)


@st.composite
def populations(draw: st.DrawFn) -> list[Row]:
    rows = []
    for p in range(draw(st.integers(1, 3))):
        for r in range(draw(st.integers(1, 3))):
            for v in range(draw(st.integers(1, 3))):
                village = f"{30 + p}.{r + 1:02d}.01.{2001 + v}"
                for country in ("MY", "HK", "TW")[: draw(st.integers(1, 3))]:
                    rows.append(Row(village, country, draw(leaf_counts)))
    if draw(st.booleans()):
        rows.append(Row("", "MY", draw(leaf_counts)))  # origin not stated
    return [r for r in rows if r.n]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(populations())
def test_no_hidden_cell_can_be_pinned_down_and_no_small_group_can_be_derived(rows: list[Row]) -> None:
    out = protect_assembly(assemble([(BY_COUNTRY, rows), (TOTAL, [Row(r.geo, "", r.n) for r in rows])]))
    assert violations(out.counts, out.equations, out.hidden) == []
    for key, n in out.counts.items():
        if 0 < n < 5:
            assert key in out.hidden
    if not out.hidden:
        return
    ranges = lp_ranges(out.counts, out.equations, out.hidden)
    for key, (lo, hi) in ranges.items():
        if 0 < out.counts[key] < 5:
            assert hi - lo >= 1 - 1e-6, f"a small cell {key} is pinned to [{lo}, {hi}]"
    for eq in out.equations:  # every group an equation exposes is 0 or at least 5
        if eq.total not in out.hidden:
            group = sum(out.counts[p] for p in eq.parts if p in out.hidden)
            assert group == 0 or group >= 5


def test_two_tables_sharing_a_group_agree_or_the_release_fails() -> None:
    from perisai.governance.release import InconsistentSourceError

    with pytest.raises(InconsistentSourceError):
        assemble([(BY_COUNTRY, [Row("35.07.01.2001", "MY", 6)]), (TOTAL, [Row("35.07.01.2001", "", 7)])])


def test_the_sparse_and_the_dense_audit_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    """Large groups of hidden cells are audited with sparse projections instead of an SVD: same answer."""
    import random

    from perisai.governance import disclosure
    from perisai.governance.sources.base import VILLAGE, TableSpec

    by_sex = TableSpec("by_sex", "t", "t", "t", (("status", "active"),), "sex", VILLAGE, "people")
    rng = random.Random(7)
    rows = [
        Row(f"35.{r:02d}.01.{2001 + v}", sex, rng.choice([0, 1, 1, 2, 3, 4, 6, 9]))
        for r in range(1, 4)
        for v in range(40)
        for sex in ("F", "M")
    ]
    out = assemble([(by_sex, [r for r in rows if r.n]), (TOTAL, [Row(r.geo, "", r.n) for r in rows if r.n])])
    hidden = protect(out.counts, out.equations)
    dense = disclosure.exact_pinned(out.counts, out.equations, hidden | {next(iter(out.counts))})
    monkeypatch.setattr(disclosure, "DENSE_CORE", 0)
    sparse = disclosure.exact_pinned(out.counts, out.equations, hidden | {next(iter(out.counts))})
    assert dense == sparse
    assert disclosure.exact_pinned(out.counts, out.equations, hidden) == []
