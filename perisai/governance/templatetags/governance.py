"""Template helpers: bilingual data texts, published counts ("\u00d7" when hidden), money."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def tr(obj: Any, name: str) -> str:
    """The Indonesian or English text of a bilingual data field: {{ indicator|tr:"question" }}."""
    return str(obj.tr(name)) if obj is not None and hasattr(obj, "tr") else ""


@register.filter
def num(value: Any) -> str:
    """A published count, thousands separated by dots; \u00d7 when it is not published (hidden, or fewer than 5
    including none: the two must look the same, see disclosure.py)."""
    if value is None or value == "":
        return "\u00d7"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{int(value):,}".replace(",", ".")


@register.filter
def pct(value: Any) -> str:
    if value is None:
        return "\u00d7"
    return f"{float(value):.1f}%".replace(".", ",")


@register.filter
def rupiah(value: Any) -> str:
    if value is None or value == "":
        return "\u2013"
    return "Rp " + f"{Decimal(value):,.0f}".replace(",", ".")


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def band(framework: Any, code: str) -> str:
    """The label of a band of a framework in the active language: {{ framework|band:"meets" }}."""
    return str(framework.band_label(code)) if framework is not None else ""


@register.filter
def can_edit(user: Any) -> bool:
    """Whether the user may edit governance data (assessments, plans, trainings)."""
    from perisai.core.roles import Cap

    return bool(getattr(user, "is_authenticated", False) and user.can(Cap.GOVERNANCE_EDIT))


@register.filter
def source_message(state: Any) -> str:
    """A source's state as stored in a release (an English msgid and its parameters), in the active language."""
    from django.utils.translation import gettext

    if not state:
        return ""
    text = gettext(str(state.get("message", "")))
    params = state.get("params")
    return text % params if params else text
