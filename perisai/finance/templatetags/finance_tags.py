from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from perisai.finance import categories, currency

register = template.Library()


@register.filter
def category_label(code: str) -> str:
    return str(categories.label(code))


@register.filter
def category_icon(code: str) -> str:
    category = categories.BY_CODE.get(code)
    return category.icon if category else ""


@register.filter
def pct(value: Decimal | float | None) -> str:
    """A percentage rounded once, for display: 4,8% (id) / 4.8% (en)."""
    if value is None:
        return "\u2013"
    locale = (get_language() or "id").split("-")[0]
    return format_decimal(Decimal(value).quantize(Decimal("0.1")), format="#,##0.0", locale=locale) + "%"


@register.simple_tag
def money(minor: int, code: str) -> str:
    return currency.fmt(minor, code)


@register.simple_tag
def js_strings() -> dict[str, Any]:
    """Texts the offline script shows, translated on the server (the script itself holds no text)."""
    return {
        "saved_on_phone": _("Saved on this phone. It will be sent when you are online."),
        "saved": _("Saved."),
        "sending": _("Sending…"),
        "sent": _("All entries are sent."),
        "pending": _("Waiting to be sent: %(n)s"),
        "offline": _("You are offline. You can keep writing entries: they stay on this phone."),
        "sign_in": _("Sign in again to send the entries saved on this phone. They are kept."),
        "failed": _("Could not send now. Your entries are kept on this phone; try again later."),
        "conflict": _("This entry was changed elsewhere. Which one do you keep?"),
        "gone": _("This entry was deleted elsewhere."),
        "saved_version": _("Saved version"),
        "your_version": _("Your version"),
        "keep_mine": _("Keep mine"),
        "keep_saved": _("Keep the saved one"),
        "invalid": _("This entry could not be saved:"),
        "remove": _("Remove"),
        "new_entry": _("New entry"),
    }
