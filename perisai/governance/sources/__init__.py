"""Statistics sources, a plug-in family listed in the setting PERISAI_GOVERNANCE_SOURCES (see base.py)."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import Row, SourceStatus, StatisticsSourceType, TableSpec

DEFAULT_SOURCES = [
    "perisai.governance.sources.registry.RegistrySourceType",
    "perisai.governance.sources.cases.CasesSourceType",
    "perisai.governance.sources.crisis.CrisisSourceType",
    "perisai.governance.sources.finance.FinanceSourceType",
]

__all__ = [
    "Row",
    "SourceStatus",
    "StatisticsSourceType",
    "TableSpec",
    "all_tables",
    "get_source",
    "source_types",
]


@lru_cache(maxsize=1)
def _configured(paths: tuple[str, ...]) -> tuple[StatisticsSourceType, ...]:
    types = tuple(import_string(path)() for path in paths)
    codes = [t.code for t in types]
    if len(set(codes)) != len(codes):
        raise ValueError(f"two statistics sources share a code: {codes}")
    return types


def source_types() -> tuple[StatisticsSourceType, ...]:
    return _configured(tuple(getattr(settings, "PERISAI_GOVERNANCE_SOURCES", DEFAULT_SOURCES)))


def get_source(code: str) -> StatisticsSourceType | None:
    for source in source_types():
        if source.code == code:
            return source
    return None


def all_tables() -> dict[str, TableSpec]:
    """Every table any configured source can publish, by code (connected or not)."""
    return {t.code: t for s in source_types() for t in s.tables()}
