"""Aggregates that never reveal a person: small cells are suppressed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

MIN_CELL = 5


def suppress(
    rows: Iterable[Mapping[str, Any]], *, count_key: str = "n", threshold: int = MIN_CELL
) -> list[dict[str, Any]]:
    """Replace counts under the threshold (and above zero) with None, shown as "<5"."""
    out = []
    for row in rows:
        item = dict(row)
        value = item.get(count_key)
        if isinstance(value, int) and 0 < value < threshold:
            item[count_key] = None
            item["suppressed"] = True
        else:
            item["suppressed"] = False
        out.append(item)
    return out
