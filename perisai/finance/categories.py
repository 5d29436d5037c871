"""Categories of money in and out, chosen for domestic, care and plantation workers. Stable short codes are
stored; labels are translated; the icon is decoration (hidden from screen readers)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

IN, OUT = "in", "out"


@dataclass(frozen=True)
class Category:
    code: str
    kind: str
    label: StrOrPromise
    icon: str
    colour: str


# In the order of the quick-entry tiles: the most frequent first (salary, then daily spending).
CATEGORIES: tuple[Category, ...] = (
    Category("salary", IN, _("Salary"), "💵", "#1b7f3b"),
    Category("food", OUT, _("Food and groceries"), "🍚", "#d35400"),
    Category("phone", OUT, _("Phone credit and data"), "📱", "#8e44ad"),
    Category("transport", OUT, _("Transport"), "🚌", "#2c7fb8"),
    Category("sending_home", OUT, _("Sending home"), "🏠", "#c0392b"),
    Category("loan_repayment", OUT, _("Loan repayment"), "📄", "#7f4f24"),
    Category("savings", OUT, _("Savings"), "🐷", "#16a085"),
    Category("rent", OUT, _("Rent and lodging"), "🛏", "#34495e"),
    Category("health", OUT, _("Health"), "💊", "#e84393"),
    Category("personal", OUT, _("Personal care and clothes"), "👕", "#b8860b"),
    Category("fees", OUT, _("Agency and document fees"), "🧾", "#6c5ce7"),
    Category("gifts", OUT, _("Gifts and celebrations"), "🎉", "#e17055"),
    Category("other_out", OUT, _("Other spending"), "\u2796", "#636e72"),
    Category("overtime", IN, _("Overtime and bonus"), "⭐", "#2e9e55"),
    Category("money_received", IN, _("Money received"), "🎁", "#5cb85c"),
    Category("loan_received", IN, _("Loan received"), "🤝", "#8bc34a"),
    Category("other_in", IN, _("Other income"), "\u2795", "#7a9a3a"),
)

BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}
INCOME_CODES = frozenset(c.code for c in CATEGORIES if c.kind == IN)
EXPENSE_CODES = frozenset(c.code for c in CATEGORIES if c.kind == OUT)
SENDING_HOME = "sending_home"
LOAN_REPAYMENT = "loan_repayment"
SAVINGS = "savings"
TRANSFER_FEES = "transfer_fees"  # a report line: fees paid on top of entries (never a category of an entry)
TRANSFER_FEES_LABEL = _("Transfer and bank fees")
TRANSFER_FEES_COLOUR = "#a4b0be"


def choices(kind: str | None = None) -> list[tuple[str, StrOrPromise]]:
    return [(c.code, c.label) for c in CATEGORIES if kind is None or c.kind == kind]


def label(code: str) -> StrOrPromise:
    if code == TRANSFER_FEES:
        return TRANSFER_FEES_LABEL
    category = BY_CODE.get(code)
    return category.label if category else code


def colour(code: str) -> str:
    if code == TRANSFER_FEES:
        return TRANSFER_FEES_COLOUR
    category = BY_CODE.get(code)
    return category.colour if category else "#636e72"
