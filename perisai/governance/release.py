"""Assemble a statistics release from source rows: cells up the hierarchy of places, the equations a reader
can write down from the published tables, and the protection (`disclosure.protect`).

Pure Python (no database): `perisai.governance.actions.do_publish_statistics` feeds it rows and stores what it
returns. A cell is identified by (source, place, filters): the same group published in two tables (people
abroad from 35.07 in "people abroad" and as the "abroad" category of "people by status") is one cell,
protected once, so no two tables can disagree about whether it is shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .disclosure import MIN_CELL, Equation, protect, violations
from .sources.base import Row, TableSpec, geo_nodes, is_not_stated

Key = tuple[str, str, tuple[tuple[str, str], ...]]


class InconsistentSourceError(RuntimeError):
    """Two tables gave different counts for the same group: the source changed while it was being read."""


@dataclass(frozen=True)
class Placement:
    table: str
    level: int
    geo: str
    parent: str
    category: str
    key: Key


@dataclass
class Assembly:
    counts: dict[Key, int] = field(default_factory=dict)
    values: dict[Key, float] = field(default_factory=dict)
    placements: list[Placement] = field(default_factory=list)
    equations: list[Equation[Key]] = field(default_factory=list)
    hidden: set[Key] = field(default_factory=set)

    def published(self, key: Key) -> int | None:
        return None if key in self.hidden else self.counts.get(key, 0)


def assemble(tables: Iterable[tuple[TableSpec, Iterable[Row]]]) -> Assembly:
    out = Assembly()
    for spec, rows in tables:
        _add_table(out, spec, rows)
    return out


def _add_table(out: Assembly, spec: TableSpec, rows: Iterable[Row]) -> None:
    counts: dict[tuple[int, str, str, str], int] = defaultdict(int)
    values: dict[tuple[int, str, str, str], float] = defaultdict(float)
    for row in rows:
        if row.n <= 0:
            continue
        categories = [row.category, ""] if spec.dimension is not None else [""]
        for level, node, parent in geo_nodes(row.geo, spec.max_level):
            for category in categories:
                counts[(level, node, parent, category)] += row.n
                if row.value is not None:
                    values[(level, node, parent, category)] += row.value
    children: dict[str, set[str]] = defaultdict(set)
    by_node: dict[str, dict[str, Key]] = defaultdict(dict)
    for (level, node, parent, category), n in counts.items():
        key: Key = (spec.source, node, spec.key(category))
        known = out.counts.get(key)
        if known is not None and known != n:
            raise InconsistentSourceError(
                f"{spec.code}: {node} {category!r} is {n}, another table says {known}"
            )
        out.counts[key] = n
        if (level, node, parent, category) in values:
            out.values[key] = values[(level, node, parent, category)]
        out.placements.append(Placement(spec.code, level, node, parent, category, key))
        by_node[node][category] = key
        if parent:
            children[parent].add(node)
    for node, cells in by_node.items():
        if spec.dimension is not None and "" in cells:
            parts = tuple(k for c, k in sorted(cells.items()) if c != "")
            out.equations.append(Equation(cells[""], parts))
        if is_not_stated(node) or node not in children:
            continue
        for category, total in cells.items():
            parts = tuple(
                by_node[child][category] for child in sorted(children[node]) if category in by_node[child]
            )
            out.equations.append(Equation(total, parts))


def protect_assembly(out: Assembly, *, threshold: int = MIN_CELL) -> Assembly:
    """Decide what to hide; then check the result independently (an error here means a bug, not bad data)."""
    out.hidden = protect(out.counts, _unique(out.equations), threshold=threshold)
    problems = violations(out.counts, out.equations, out.hidden, threshold=threshold)
    if problems:
        raise RuntimeError(f"disclosure check failed: {problems[:3]}")
    return out


def _unique(equations: list[Equation[Key]]) -> list[Equation[Key]]:
    seen: set[tuple[Key, tuple[Key, ...]]] = set()
    out = []
    for eq in equations:
        marker = (eq.total, tuple(sorted(eq.parts)))
        if marker not in seen:
            seen.add(marker)
            out.append(eq)
    return out
