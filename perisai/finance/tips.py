"""Short financial-literacy tips (Indonesian and English), each tied to what she just did."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

TIPS: dict[str, StrOrPromise] = {
    "salary": _(
        "Pay yourself first: on the day your salary arrives, put a fixed part aside for savings before you spend."
    ),
    "overtime": _("Extra money is a good moment to save: put part of it towards your goal."),
    "sending_home": _(
        "One larger transfer a month usually costs less in fees than several small ones. Compare the rate you "
        "get with the reference rate."
    ),
    "expensive_transfer": _(
        "This transfer cost more than 5 percent. Licensed banks, post offices and money-transfer apps are often "
        "cheaper: compare before your next transfer."
    ),
    "cheap_transfer": _("This transfer cost less than 3 percent: a good deal. Keep using cheap providers."),
    "phone": _("Phone credit adds up. A monthly data package is usually cheaper than many small top-ups."),
    "loan_repayment": _(
        "Keep every receipt of a repayment. If the debt does not go down, ask your embassy or consulate for help."
    ),
    "loan_received": _(
        "Before borrowing more, write down how much you will repay each month and for how long."
    ),
    "savings": _(
        "Well done. Keep your savings in an account in your own name, never with the agency or employer."
    ),
    "food": _("Writing down small spending, like food, shows where your money goes."),
    "transport": _("A weekly or monthly transport pass can cost less than single tickets."),
    "health": _("Ask your employer or agency which health costs your insurance covers: keep the receipts."),
    "fees": _(
        "Ask for a written receipt for every fee you pay to an agency, with its name and what the fee is for."
    ),
    "placement_fee_over": _(
        "This fee looks higher than the legal limit. You can report it to BP2MI or to your embassy or consulate. "
        "Keep your contract and every receipt."
    ),
    "budget_over": _(
        "You have spent more than your budget for this. Next month, plan a smaller amount or move money from "
        "another budget."
    ),
    "goal": _("A goal with a date is easier to reach: save a small fixed amount every month."),
    "recurring": _("Monthly entries are written for you on their day: you only need to check them."),
    "default": _("Writing down every amount, even a small one, shows where your money goes."),
}


def tip(key: str) -> str:
    return str(TIPS.get(key) or TIPS["default"])


def tip_for_entry(*, category: str, cost_percent: float | None = None) -> str:
    if category == "sending_home" and cost_percent is not None:
        if cost_percent > 5:
            return tip("expensive_transfer")
        if cost_percent < 3:
            return tip("cheap_transfer")
    return tip(category)
