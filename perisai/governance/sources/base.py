"""The plug-in family of statistics sources: each turns one module's records into aggregate rows.

A source type (a class ending in ``Type``, with a stable short ``code``) declares the tables it publishes
(`TableSpec`: who is counted, one breakdown, down to which level of place) and yields `Row`s: counts per
place of origin and category. It never yields a person. The release builder
(`perisai.governance.actions.do_publish_statistics`) adds the rows up the hierarchy of places, protects the
cells (`perisai.governance.disclosure`) and stores them. Source types are listed in the setting
``PERISAI_GOVERNANCE_SOURCES`` (dotted paths); a module that is not there yet reports "not connected".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from django_stubs_ext import StrOrPromise

# Levels of place: the nation, a province, a regency or city, a village (districts are skipped: a village is
# published under its regency).
NATION, PROVINCE, REGENCY, VILLAGE = 0, 1, 2, 3
NOT_STATED = "?"

COUNT = "count"
MEAN = "mean"


@dataclass(frozen=True)
class TableSpec:
    """A published table: the population (fixed filters), one breakdown (or none) and the deepest place level.

    Two tables whose cells describe the same group (same source, place and filters) share those cells; the
    builder checks that they agree and protects them once.
    """

    code: str
    source: str
    title: StrOrPromise
    description: StrOrPromise
    population: tuple[tuple[str, str], ...]
    dimension: str | None
    max_level: int
    unit: StrOrPromise
    measure: str = COUNT
    category_hxl: str = ""

    def key(self, category: str) -> tuple[tuple[str, str], ...]:
        """The filters that define a cell of this table (a category adds one filter)."""
        filters = dict(self.population)
        if self.dimension is not None and category != "":
            filters[self.dimension] = category
        return tuple(sorted(filters.items()))


@dataclass(frozen=True)
class Row:
    """Units of one category from one place of origin. ``geo`` is the most precise Kemendagri code known
    ('' when unknown); ``value`` is a sum (for MEAN tables: the sum of the per-unit ratios, in percent)."""

    geo: str
    category: str
    n: int
    value: float | None = None


@dataclass(frozen=True)
class SourceStatus:
    connected: bool
    message: StrOrPromise = ""


class StatisticsSourceType:
    """Base class of a source. Subclasses set ``code`` and ``label`` and implement the three methods."""

    code: ClassVar[str] = ""
    label: ClassVar[StrOrPromise] = ""

    def status(self) -> SourceStatus:
        raise NotImplementedError

    def tables(self) -> list[TableSpec]:
        raise NotImplementedError

    def rows(self, table: TableSpec) -> Iterable[Row]:
        raise NotImplementedError

    def category_label(self, dimension: str, value: str) -> str:
        return value


def geo_nodes(code: str, max_level: int) -> list[tuple[int, str, str]]:
    """(level, node, parent) from the nation down to ``max_level`` for a row's place code.

    An unknown part becomes a "not stated" node under the last known place (``?``, ``35.?``, ``35.07.?``),
    which has no children: every person is counted once at every level, so each place adds up exactly.
    """
    nodes = [(NATION, "ID", "")]
    parts = code.split(".") if code else []
    province = parts[0] if parts else ""
    if max_level >= PROVINCE:
        nodes.append((PROVINCE, province or NOT_STATED, "ID"))
    if max_level >= REGENCY and province:
        regency = ".".join(parts[:2]) if len(parts) >= 2 else ""
        nodes.append((REGENCY, regency or f"{province}.{NOT_STATED}", province))
        if max_level >= VILLAGE and regency:
            village = code if len(parts) == 4 else ""
            nodes.append((VILLAGE, village or f"{regency}.{NOT_STATED}", regency))
    return nodes


def is_not_stated(node: str) -> bool:
    return node.endswith(NOT_STATED)
