"""Statistical disclosure control for a statistics release: primary and secondary cell suppression.

Pure Python: imports nothing from Django (docs/adr/0006-governance-frameworks.md, "Statistics").

A release publishes *cells*: the number of units (people, cases, transfers) in a group, for example "people
from regency 35.07 staying in Malaysia". Every reader can also write down the *equations* that tie the cells
together, because the tables are fixed and their margins are published: a total equals the sum of its
categories (people from 35.07 = the sum over countries), and a place equals the sum of its parts (Jawa Timur =
the sum of its regencies plus "regency not stated"). Differencing two overlapping queries is exactly using
one of these equations, so protecting the equations protects against differencing.

Rules, for a threshold T (5):

1. *Primary*: a cell with 0 < n < T is hidden.
2. *No lone hidden cell*: an equation never has exactly one hidden term, or that term could be computed
   from the others (this also stops a chain of such computations from starting anywhere).
3. *No small hidden group*: where an equation's total is published, the hidden parts together hold 0 or at
   least T units: their sum is "total minus the published parts", a group that must not be smaller than T.
4. *No pinned cell*: no small cell can be computed exactly from all the equations together (a combination
   of several equations can succeed where each alone fails).

What a reader knows of a hidden cell: only that it is not negative. Pages, exports and the API never list a
hidden cell and never show a zero: a category or place that is not listed has fewer than 5 people, none, or
was hidden to protect such a group, and a headline figure that is not published is shown as "\u00d7" whether it
is hidden or empty. (Were hidden cells listed and zeros omitted, a reader would know each listed hidden
cell holds at least 1, and a regency total of 5 over five listed villages would give each village away.)
The checks below are conservative: they let the reader know every absent cell is zero.

Rule 4 is checked exactly. The values a reader cannot exclude are ``x + d`` with ``A·d = 0`` (the equations,
published cells fixed) and ``x + d >= 0``; every hidden cell holds at least 1, so near the truth every
direction of the null space of A is possible, and a cell is pinned exactly when every null-space vector
leaves it unchanged. `exact_pinned` computes that support per connected group of hidden cells (SVD for
small groups, projections of random vectors for large ones). A cheap interval propagation (`bounds`) runs
first and repairs the obvious cases.

Secondary suppression hides, greedily, a published non-zero cell of an equation that breaks rule 2 or 3,
choosing the cell that is the total of the fewest other equations (hiding a total spreads), then the
smallest, until no equation breaks them; then repairs rule 4 with the nearest published cell through the
equations, and starts again. `violations` checks a result independently; the tests add a linear-programming
attack that minimises and maximises every hidden cell of random tables.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)

MIN_CELL = 5


@dataclass(frozen=True)
class Equation(Generic[K]):
    """`total` = sum of `parts` (parts with a count of zero may be left out: they are known zeros)."""

    total: K
    parts: tuple[K, ...]


@dataclass(frozen=True)
class Violation(Generic[K]):
    equation: Equation[K]
    rule: str  # "primary" | "lone" | "small-group" | "pinned"


class ProtectionError(RuntimeError):
    """The tables cannot be protected by suppression alone (should not happen with consistent counts)."""


def protect(
    counts: Mapping[K, int], equations: Sequence[Equation[K]], *, threshold: int = MIN_CELL
) -> set[K]:
    """The cells to hide: primary cells plus enough secondary cells to satisfy rules 2, 3 and 4."""
    hidden: set[K] = {k for k, n in counts.items() if 0 < n < threshold}
    member_of: dict[K, list[int]] = defaultdict(list)
    totals_of: dict[K, int] = defaultdict(int)
    for index, eq in enumerate(equations):
        member_of[eq.total].append(index)
        totals_of[eq.total] += 1
        for part in eq.parts:
            member_of[part].append(index)
    queue: deque[int] = deque()
    queued: set[int] = set()

    def enqueue_for(key: K) -> None:
        for index in member_of.get(key, ()):
            if index not in queued:
                queued.add(index)
                queue.append(index)

    def settle() -> None:
        while queue:
            index = queue.popleft()
            queued.discard(index)
            eq = equations[index]
            while (rule := _broken_rule(eq, counts, hidden, threshold)) is not None:
                choice = _next_to_hide(eq, counts, hidden, totals_of)
                if choice is None:
                    raise ProtectionError(f"cannot protect an equation ({rule}): {eq.total!r}")
                hidden.add(choice)
                enqueue_for(choice)

    for key in sorted(hidden, key=repr):
        enqueue_for(key)
    settle()
    exact = False
    for _round in range(1000):
        pinned = pinned_cells(counts, equations, hidden, threshold=threshold, member_of=member_of)
        if not pinned:
            if exact:
                return hidden
            exact = True
            pinned = exact_pinned(counts, equations, hidden, threshold=threshold, member_of=member_of)
            if not pinned:
                return hidden
        exact = False
        for key in pinned:
            choice = _partner_for(key, equations, member_of, counts, hidden, totals_of)
            if choice is None:
                settle()
                if key in exact_pinned(counts, equations, hidden, threshold=threshold, member_of=member_of):
                    raise ProtectionError(f"cannot protect a pinned cell: {key!r}")
                continue
            hidden.add(choice)
            enqueue_for(choice)
        settle()
    raise ProtectionError("protection did not converge")


def _partner_for(
    key: K,
    equations: Sequence[Equation[K]],
    member_of: Mapping[K, list[int]],
    counts: Mapping[K, int],
    hidden: set[K],
    totals_of: Mapping[K, int],
) -> K | None:
    """The smallest published non-zero cell nearest to a pinned cell through the equations (the pin comes
    from published cells; the nearest ones are the cheapest to hide)."""
    seen = {key}
    frontier = [key]
    while frontier:
        candidates: set[K] = set()
        following: list[K] = []
        for current in frontier:
            for index in member_of.get(current, ()):
                eq = equations[index]
                for other in (eq.total, *eq.parts):
                    if other in seen:
                        continue
                    seen.add(other)
                    if other not in hidden and counts.get(other, 0) > 0:
                        candidates.add(other)
                    elif other in hidden:
                        following.append(other)
        if candidates:
            return min(candidates, key=lambda k: (totals_of.get(k, 0), counts.get(k, 0), repr(k)))
        frontier = following
    return None


def bounds(
    counts: Mapping[K, int],
    equations: Sequence[Equation[K]],
    hidden: set[K],
    *,
    member_of: Mapping[K, list[int]] | None = None,
) -> dict[K, tuple[float, float]]:
    """What a reader can infer of each hidden cell: (smallest, largest) possible value, propagated through
    the equations to a fixed point. Published cells are exact; a hidden cell is only known not to be negative."""
    inf = float("inf")
    lo: dict[K, float] = {}
    hi: dict[K, float] = {}
    for key in hidden:
        lo[key], hi[key] = 0.0, inf

    def low(k: K) -> float:
        return lo[k] if k in hidden else float(counts.get(k, 0))

    def high(k: K) -> float:
        return hi[k] if k in hidden else float(counts.get(k, 0))

    if member_of is None:
        index_of: dict[K, list[int]] = defaultdict(list)
        for index, eq in enumerate(equations):
            for k in (eq.total, *eq.parts):
                index_of[k].append(index)
        member_of = index_of
    active = sorted({i for k in hidden for i in member_of.get(k, ())})
    queue: deque[int] = deque(active)
    queued = set(active)
    steps = 0
    while queue and steps < 200 * max(1, len(active)):
        steps += 1
        index = queue.popleft()
        queued.discard(index)
        eq = equations[index]
        changed: list[K] = []
        parts_lo = sum(low(p) for p in eq.parts)
        parts_hi = sum(high(p) for p in eq.parts)
        t = eq.total
        if t in hidden:
            if parts_lo > lo[t]:
                lo[t] = parts_lo
                changed.append(t)
            if parts_hi < hi[t]:
                hi[t] = parts_hi
                changed.append(t)
        for p in eq.parts:
            if p not in hidden:
                continue
            others_lo = parts_lo - low(p)
            others_hi = parts_hi - high(p)
            new_hi = high(t) - others_lo
            new_lo = low(t) - others_hi
            if new_hi < hi[p]:
                hi[p] = new_hi
                changed.append(p)
            if new_lo > lo[p]:
                lo[p] = new_lo
                changed.append(p)
        for k in changed:
            for other in member_of.get(k, ()):
                if other not in queued:
                    queued.add(other)
                    queue.append(other)
    return {k: (lo[k], hi[k]) for k in hidden}


def pinned_cells(
    counts: Mapping[K, int],
    equations: Sequence[Equation[K]],
    hidden: set[K],
    *,
    threshold: int = MIN_CELL,
    member_of: Mapping[K, list[int]] | None = None,
) -> list[K]:
    """Small hidden cells whose value a reader can work out exactly (rule 4)."""
    inferred = bounds(counts, equations, hidden, member_of=member_of)
    return sorted(
        (k for k, (lo, hi) in inferred.items() if 0 < counts.get(k, 0) < threshold and hi - lo < 1),
        key=repr,
    )


def _broken_rule(eq: Equation[K], counts: Mapping[K, int], hidden: set[K], threshold: int) -> str | None:
    hidden_parts = [p for p in eq.parts if p in hidden]
    total_hidden = eq.total in hidden
    n_hidden = len(hidden_parts) + (1 if total_hidden else 0)
    if n_hidden == 0:
        return None
    if n_hidden == 1:
        return "lone"
    if not total_hidden:
        group = sum(counts.get(p, 0) for p in hidden_parts)
        if 0 < group < threshold:
            return "small-group"
    return None


def _next_to_hide(
    eq: Equation[K], counts: Mapping[K, int], hidden: set[K], totals_of: Mapping[K, int] | None = None
) -> K | None:
    """The cheapest cell to hide next: a published non-zero cell of the equation that is the total of the
    fewest other equations (hiding a total spreads to its parts), then the smallest."""
    weight = totals_of or {}
    candidates = [p for p in eq.parts if p not in hidden and counts.get(p, 0) > 0]
    if eq.total not in hidden and counts.get(eq.total, 0) > 0:
        candidates.append(eq.total)
    if not candidates:
        return None
    return min(candidates, key=lambda p: (weight.get(p, 0), counts.get(p, 0), repr(p)))


def violations(
    counts: Mapping[K, int],
    equations: Iterable[Equation[K]],
    hidden: set[K],
    *,
    threshold: int = MIN_CELL,
) -> list[Violation[K]]:
    """Every broken rule in a result (an empty list for a protected release)."""
    found: list[Violation[K]] = []
    for key, n in counts.items():
        if 0 < n < threshold and key not in hidden:
            found.append(Violation(Equation(key, ()), "primary"))
    equations = list(equations)
    for eq in equations:
        rule = _broken_rule(eq, counts, hidden, threshold)
        if rule is not None:
            found.append(Violation(eq, rule))
    for key in exact_pinned(counts, equations, hidden, threshold=threshold):
        found.append(Violation(Equation(key, ()), "pinned"))
    return found


def _components(
    hidden: set[K], equations: Sequence[Equation[K]], member_of: Mapping[K, list[int]]
) -> list[list[K]]:
    """Groups of hidden cells tied together by equations (each equation joins all its hidden terms)."""
    parent: dict[K, K] = {k: k for k in hidden}

    def find(k: K) -> K:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for index in sorted({i for k in hidden for i in member_of.get(k, ())}):
        eq = equations[index]
        terms = [t for t in (eq.total, *eq.parts) if t in hidden]
        root = find(terms[0])
        for other in terms[1:]:
            other_root = find(other)
            if other_root != root:
                parent[other_root] = root
    groups: dict[K, list[K]] = defaultdict(list)
    for key in hidden:
        groups[find(key)].append(key)
    return list(groups.values())


def exact_pinned(
    counts: Mapping[K, int],
    equations: Sequence[Equation[K]],
    hidden: set[K],
    *,
    threshold: int = MIN_CELL,
    member_of: Mapping[K, list[int]] | None = None,
) -> list[K]:
    """Small hidden cells a reader can compute exactly from every equation together (rule 4).

    A cell is free when some vector of the null space of the equations (over the hidden cells) moves it; a
    random vector of that space moves every free cell (with probability 1), so two random null vectors
    decide exactly. They are built without factorising the whole system: an equation with a *private*
    hidden term (in no other equation left) can always be met by that term, so it is set aside; what remains
    (the cycles of two-way tables) is small and solved exactly; the set-aside terms are then computed back
    from their equations in reverse order.
    """
    import numpy as np

    if member_of is None:
        index_of: dict[K, list[int]] = defaultdict(list)
        for index, eq in enumerate(equations):
            for k in (eq.total, *eq.parts):
                index_of[k].append(index)
        member_of = index_of
    rng = np.random.default_rng(20240617)
    pinned: list[K] = []
    for group in _components(hidden, equations, member_of):
        small = [k for k in group if 0 < counts.get(k, 0) < threshold]
        if not small:
            continue
        cells = sorted(group, key=repr)
        position = {k: i for i, k in enumerate(cells)}
        rows: list[dict[int, float]] = []
        for index in sorted({i for k in cells for i in member_of.get(k, ())}):
            eq = equations[index]
            row: dict[int, float] = {}
            for key, sign in [(eq.total, 1.0)] + [(p, -1.0) for p in eq.parts]:
                if key in position:
                    row[position[key]] = row.get(position[key], 0.0) + sign
            row = {c: v for c, v in row.items() if v}
            if row:
                rows.append(row)
        samples = _null_vectors(rows, len(cells), rng, count=2)
        free = np.abs(samples).max(axis=0) > 1e-6
        pinned.extend(k for k in small if not free[position[k]])
    return sorted(pinned, key=repr)


def _null_vectors(rows: list[dict[int, float]], m: int, rng: Any, *, count: int) -> Any:
    """`count` random vectors of the null space of a sparse system (rows: column -> coefficient)."""

    occurrences: dict[int, set[int]] = defaultdict(set)
    for r, row in enumerate(rows):
        for c in row:
            occurrences[c].add(r)
    alive = set(range(len(rows)))
    peeled: list[tuple[int, int]] = []  # (row, its private column), in the order set aside
    queue = deque(c for c in range(m) if len(occurrences[c]) == 1)
    while queue:
        c = queue.popleft()
        if len(occurrences[c]) != 1:
            continue
        (r,) = occurrences[c]
        if r not in alive:
            continue
        alive.discard(r)
        peeled.append((r, c))
        for other in rows[r]:
            occurrences[other].discard(r)
            if len(occurrences[other]) == 1:
                queue.append(other)
    solved_by = {c for _r, c in peeled}
    core_rows = sorted(alive)
    core_cols = sorted({c for r in core_rows for c in rows[r]} - solved_by)
    values = rng.standard_normal((count, m))
    if core_rows:
        col_index = {c: i for i, c in enumerate(core_cols)}
        entries = [(i, col_index[c], v) for i, r in enumerate(core_rows) for c, v in rows[r].items()]
        for s, vector in enumerate(_core_null_vectors(entries, len(core_rows), len(core_cols), rng, count)):
            for c, i in col_index.items():
                values[s, c] = vector[i]
    for r, c in reversed(peeled):
        coefficient = rows[r][c]
        rest = [(other, v) for other, v in rows[r].items() if other != c]
        for s in range(count):
            values[s, c] = -sum(v * values[s, other] for other, v in rest) / coefficient
    return values


DENSE_CORE = 50


def _core_null_vectors(
    entries: list[tuple[int, int, float]], n_rows: int, n_cols: int, rng: Any, count: int
) -> list[Any]:
    """Random vectors of the null space of a sparse matrix given as (row, column, value) entries: from an
    exact basis (SVD) when small, else as random vectors minus their projection on the row space (LSQR)."""
    import numpy as np
    from scipy.linalg import null_space
    from scipy.sparse import coo_matrix
    from scipy.sparse.linalg import lsqr

    rows, cols, vals = zip(*entries, strict=True) if entries else ((), (), ())
    matrix = coo_matrix((vals, (rows, cols)), shape=(n_rows, n_cols)).tocsr()
    out = []
    if n_cols <= DENSE_CORE:
        basis = null_space(matrix.toarray())
        for _s in range(count):
            out.append(basis @ rng.standard_normal(basis.shape[1]) if basis.size else np.zeros(n_cols))
        return out
    transposed = matrix.T.tocsr()
    for _s in range(count):
        r = rng.standard_normal(n_cols)
        y = lsqr(transposed, r, atol=1e-14, btol=1e-14, iter_lim=50 * (n_rows + n_cols))[0]
        out.append(r - transposed @ y)
    return out
