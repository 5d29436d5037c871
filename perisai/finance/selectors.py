"""Reads of the finance module. Her records are read only by her: every query is filtered on the owner, and
one record is opened only through `access_<thing>_by_id(user=..., public_id=...)`, where "not found" and
"someone else's" look the same (404). No staff role reaches these functions: the pages and API operations
that call them require Cap.SELF_SERVICE, which only the migrant role holds.

Rupiah equivalents use the reference rate valid on each entry's date; they are exact until shown, where
they are rounded once (and rows of a table are allocated so that they add up to the total shown).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from perisai.core import audit
from perisai.core.models import User

from . import categories, currency
from .actions import CeilingCheck, check_placement_fee, first_of_month, load_rate_book
from .models import Budget, CorridorCost, Debt, Entry, Goal, Recurrence, Remittance, Wallet
from .money import (
    Instalment,
    add_months,
    allocate_rounded,
    convert,
    from_minor,
    from_nanos,
    repayment_schedule,
    to_nanos,
)
from .rates import HOME, RateBook

# ---- opening one record ----


def _open(qs: QuerySet[Any], *, user: User, public_id: uuid.UUID | str) -> Any:
    if not getattr(user, "is_authenticated", False):
        raise Http404
    try:
        record = qs.get(owner=user, public_id=public_id)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    audit.record_view(actor=user, target=record, sensitive=False)
    return record


def access_entry_by_id(*, user: User, public_id: uuid.UUID | str) -> Entry:
    return _open(
        Entry.objects.select_related("wallet", "goal", "debt", "remittance"), user=user, public_id=public_id
    )  # type: ignore[no-any-return]


def access_wallet_by_id(*, user: User, public_id: uuid.UUID | str) -> Wallet:
    return _open(Wallet.objects.all(), user=user, public_id=public_id)  # type: ignore[no-any-return]


def access_goal_by_id(*, user: User, public_id: uuid.UUID | str) -> Goal:
    return _open(Goal.objects.all(), user=user, public_id=public_id)  # type: ignore[no-any-return]


def access_debt_by_id(*, user: User, public_id: uuid.UUID | str) -> Debt:
    return _open(Debt.objects.all(), user=user, public_id=public_id)  # type: ignore[no-any-return]


def access_recurrence_by_id(*, user: User, public_id: uuid.UUID | str) -> Recurrence:
    return _open(Recurrence.objects.select_related("wallet"), user=user, public_id=public_id)  # type: ignore[no-any-return]


# ---- lists ----


def list_wallets(*, user: User, include_archived: bool = False) -> QuerySet[Wallet]:
    qs = Wallet.objects.filter(owner=user)
    return qs if include_archived else qs.filter(archived=False)


def list_goals(*, user: User) -> QuerySet[Goal]:
    return Goal.objects.filter(owner=user)


def list_debts(*, user: User) -> QuerySet[Debt]:
    return Debt.objects.filter(owner=user)


def list_recurrences(*, user: User) -> QuerySet[Recurrence]:
    return Recurrence.objects.filter(owner=user).select_related("wallet")


def list_entries(*, user: User, month: dt.date | None = None, limit: int | None = None) -> QuerySet[Entry]:
    qs = Entry.objects.filter(owner=user).select_related("wallet", "remittance", "goal", "debt")
    if month is not None:
        start = first_of_month(month)
        qs = qs.filter(occurred_on__gte=start, occurred_on__lt=add_months(start, 1))
    qs = qs.order_by("-occurred_on", "-created_at", "-id")
    return qs[:limit] if limit else qs


# ---- amounts shown in both currencies ----


@dataclass
class Amount:
    """An amount in its own currency, and in rupiah (exact until `idr_text` rounds it)."""

    minor: int
    currency: str
    idr: Decimal | None
    idr_shown: Decimal | None = None  # the allocated rounded value, when part of a table

    @property
    def text(self) -> str:
        return currency.fmt(self.minor, self.currency)

    @property
    def idr_text(self) -> str:
        if self.currency == HOME and self.idr_shown is None:
            return ""
        if self.idr_shown is not None:
            return currency.fmt_idr(self.idr_shown, rounded=True)
        return currency.fmt_idr(self.idr)


def to_idr(minor: int, code: str, day: dt.date, book: RateBook) -> Decimal | None:
    rate = book.rate(code, day)
    if rate is None:
        return None
    return convert(minor, currency.exponent(code), rate)


@dataclass
class MultiAmount:
    """A total that may mix currencies: each currency's exact sum, and the exact rupiah equivalent."""

    by_currency: dict[str, int] = field(default_factory=dict)
    nanos: int = 0  # the exact rupiah equivalent, in 10**-9 rupiah (integers: sums never round)
    missing_rate: bool = False
    idr_shown: Decimal | None = None

    def add(self, minor: int, code: str, day: dt.date, book: RateBook) -> None:
        self.by_currency[code] = self.by_currency.get(code, 0) + minor
        rate = book.rate(code, day)
        if rate is None:
            self.missing_rate = True
        else:
            self.nanos += to_nanos(minor, currency.exponent(code), rate)

    @property
    def idr(self) -> Decimal:
        return from_nanos(self.nanos)

    @property
    def texts(self) -> list[str]:
        return [currency.fmt(m, c) for c, m in sorted(self.by_currency.items()) if m]

    @property
    def idr_text(self) -> str:
        if self.idr_shown is not None:
            return currency.fmt_idr(self.idr_shown, rounded=True)
        return currency.fmt_idr(self.idr)

    @property
    def only_idr(self) -> bool:
        return set(self.by_currency) <= {HOME}


def _allocate(items: list[MultiAmount]) -> None:
    shown = allocate_rounded([i.idr for i in items], currency.HOME_DISPLAY_PLACES)
    for item, value in zip(items, shown, strict=True):
        item.idr_shown = value


@dataclass
class EntryRow:
    entry: Entry
    idr_text: str  # "" for rupiah entries; the rupiah equivalent at the rate of the entry's day otherwise


def with_idr(entries: list[Entry]) -> list[EntryRow]:
    """Entries with their rupiah equivalent (one rate table read for the whole list)."""
    book = load_rate_book({e.currency for e in entries} - {HOME})
    rows = []
    for e in entries:
        value = None if e.currency == HOME else to_idr(e.amount_minor, e.currency, e.occurred_on, book)
        rows.append(EntryRow(e, currency.fmt_idr(value) if value is not None else ""))
    return rows


# ---- wallets and balances ----


@dataclass
class WalletBalance:
    wallet: Wallet
    balance: Amount


def wallet_balances(*, user: User, today: dt.date | None = None) -> list[WalletBalance]:
    today = today or timezone.localdate()
    wallets = list(list_wallets(user=user))
    book = load_rate_book({w.currency for w in wallets})
    sums = {
        (row["wallet_id"], row["kind"]): (row["amount"] or 0, row["fee"] or 0)
        for row in Entry.objects.filter(owner=user)
        .values("wallet_id", "kind")
        .annotate(amount=Sum("amount_minor"), fee=Sum("fee_minor"))
    }
    out = []
    for wallet in wallets:
        money_in = sums.get((wallet.pk, categories.IN), (0, 0))
        money_out = sums.get((wallet.pk, categories.OUT), (0, 0))
        minor = money_in[0] - money_in[1] - money_out[0] - money_out[1]
        out.append(
            WalletBalance(wallet, Amount(minor, wallet.currency, to_idr(minor, wallet.currency, today, book)))
        )
    return out


# ---- the monthly report ----


@dataclass
class CategoryLine:
    code: str
    label: str
    colour: str
    icon: str
    total: MultiAmount
    budget: Amount | None = None
    left: Amount | None = None
    over_budget: bool = False


@dataclass
class MonthPoint:
    month: dt.date
    money_in: MultiAmount
    money_out: MultiAmount
    sent_home: MultiAmount


@dataclass
class GoalProgress:
    goal: Goal
    saved: Amount
    target: Amount
    percent: int


@dataclass
class MonthReport:
    month: dt.date
    money_in: MultiAmount
    money_out: MultiAmount
    spending: list[CategoryLine]
    income: list[CategoryLine]
    trend: list[MonthPoint]
    sent_home_year: MultiAmount
    sent_home_months: list[MonthPoint]
    goals: list[GoalProgress]
    budgets: list[CategoryLine]
    entries: int
    missing_rate: bool

    @property
    def net_idr(self) -> Decimal:
        return self.money_in.idr - self.money_out.idr


def _month_range(month: dt.date) -> tuple[dt.date, dt.date]:
    start = first_of_month(month)
    return start, add_months(start, 1)


def monthly_report(*, user: User, month: dt.date, trend_months: int = 12) -> MonthReport:
    """Her month: money in and out by category (each currency exactly, and in rupiah), budgets with what is
    left to spend, the trend over the last months, what she sent home this year, and her goals."""
    start, end = _month_range(month)
    trend_start = add_months(start, -(trend_months - 1))
    year_start = dt.date(start.year, 1, 1)
    first = min(trend_start, year_start)
    codes = set(Wallet.objects.filter(owner=user).values_list("currency", flat=True))  # entries' currencies
    budgets = list(Budget.objects.filter(owner=user, month=start))
    goals = list(list_goals(user=user))
    codes |= {b.currency for b in budgets} | {g.currency for g in goals}
    book = load_rate_book(codes)

    # One grouped query for the whole span: per day, category and currency (a few hundred rows at most).
    rows = (
        Entry.objects.filter(owner=user, occurred_on__gte=first, occurred_on__lt=end)
        .values("occurred_on", "kind", "category", "currency")
        .annotate(amount=Sum("amount_minor"), fee=Sum("fee_minor"), n=Count("id"))
    )
    money_in, money_out = MultiAmount(), MultiAmount()
    by_category: dict[str, MultiAmount] = defaultdict(MultiAmount)
    months: dict[dt.date, MonthPoint] = {}
    for i in range(trend_months):
        m = add_months(trend_start, i)
        months[m] = MonthPoint(m, MultiAmount(), MultiAmount(), MultiAmount())
    sent_months: dict[dt.date, MultiAmount] = {
        add_months(year_start, i): MultiAmount() for i in range(start.month)
    }
    sent_year = MultiAmount()
    count = 0
    for row in rows:
        day: dt.date = row["occurred_on"]
        m = first_of_month(day)
        amount, fee, code = row["amount"] or 0, row["fee"] or 0, row["currency"]
        point = months.get(m)
        if point is not None:
            if row["kind"] == categories.IN:
                point.money_in.add(amount, code, day, book)
                if fee:
                    point.money_out.add(fee, code, day, book)
            else:
                point.money_out.add(amount + fee, code, day, book)
        if row["category"] == categories.SENDING_HOME and year_start <= day < end:
            sent_year.add(amount, code, day, book)
            sent_months[m].add(amount, code, day, book)
            if point is not None:
                point.sent_home.add(amount, code, day, book)
        if start <= day < end:
            count += row["n"]
            if row["kind"] == categories.IN:
                money_in.add(amount, code, day, book)
            else:
                money_out.add(amount, code, day, book)
            by_category[row["category"]].add(amount, code, day, book)
            if fee:  # a fee is money out, whatever the entry it was paid on
                money_out.add(fee, code, day, book)
                by_category[categories.TRANSFER_FEES].add(fee, code, day, book)

    def line(code: str) -> CategoryLine:
        cat = categories.BY_CODE.get(code)
        return CategoryLine(
            code=code,
            label=str(categories.label(code)),
            colour=categories.colour(code),
            icon=cat.icon if cat else "🧾",
            total=by_category[code],
        )

    spending = sorted(
        (line(c) for c in by_category if c not in categories.INCOME_CODES), key=lambda x: -x.total.nanos
    )
    income = sorted(
        (line(c) for c in by_category if c in categories.INCOME_CODES), key=lambda x: -x.total.nanos
    )
    if spending:
        _allocate([s.total for s in spending])
    if income:
        _allocate([s.total for s in income])

    budget_lines = []
    for budget in sorted(budgets, key=lambda b: str(categories.label(b.category))):
        spent = by_category.get(budget.category, MultiAmount())
        spent_in_budget_currency = _in_currency(spent, budget.currency, end - dt.timedelta(days=1), book)
        left_minor = (
            budget.amount_minor - spent_in_budget_currency if spent_in_budget_currency is not None else None
        )
        cl = line(budget.category)
        cl.total = spent
        cl.budget = Amount(budget.amount_minor, budget.currency, None)
        cl.left = Amount(left_minor, budget.currency, None) if left_minor is not None else None
        cl.over_budget = left_minor is not None and left_minor < 0
        budget_lines.append(cl)

    goal_lines = goal_progress(user=user, goals=goals)
    return MonthReport(
        month=start,
        money_in=money_in,
        money_out=money_out,
        spending=spending,
        income=income,
        trend=list(months.values()),
        sent_home_year=sent_year,
        sent_home_months=[MonthPoint(m, MultiAmount(), MultiAmount(), a) for m, a in sent_months.items()],
        goals=goal_lines,
        budgets=budget_lines,
        entries=count,
        missing_rate=money_in.missing_rate or money_out.missing_rate,
    )


def _in_currency(total: MultiAmount, code: str, day: dt.date, book: RateBook) -> int | None:
    """A mixed total expressed in one currency's minor units (rounded down to the minor unit: a budget's
    "left to spend" never looks larger than it is). Exact when every part is already in that currency."""
    if set(total.by_currency) <= {code}:
        return total.by_currency.get(code, 0)
    rate = book.rate(code, day)
    if rate is None or total.missing_rate:
        return None
    value = total.idr / rate
    exp = currency.exponent(code)
    return int((value.scaleb(exp)).to_integral_value(rounding=ROUND_CEILING))


def goal_progress(*, user: User, goals: list[Goal] | None = None) -> list[GoalProgress]:
    goals = goals if goals is not None else list(list_goals(user=user))
    if not goals:
        return []
    saved = {
        (row["goal_id"], row["currency"], row["kind"]): row["amount"] or 0
        for row in Entry.objects.filter(owner=user, goal__isnull=False)
        .values("goal_id", "currency", "kind")
        .annotate(amount=Sum("amount_minor"))
    }
    book: RateBook | None = None
    today = timezone.localdate()
    out = []
    for goal in goals:
        total = goal.saved_before_minor
        for (goal_id, code, kind), amount in saved.items():
            if goal_id != goal.pk:
                continue
            sign = 1 if kind == categories.OUT else -1  # money put aside (out of a wallet) adds to the goal
            if code == goal.currency:
                total += sign * amount
            else:
                book = book or load_rate_book()
                src, dst = book.rate(code, today), book.rate(goal.currency, today)
                if src is not None and dst is not None:
                    value = from_minor(amount, currency.exponent(code)) * src / dst
                    total += sign * int(
                        value.scaleb(currency.exponent(goal.currency)).to_integral_value(rounding=ROUND_FLOOR)
                    )
        percent = max(0, min(100, int(total * 100 // goal.target_minor))) if goal.target_minor else 0
        book = book or load_rate_book()
        out.append(
            GoalProgress(
                goal=goal,
                saved=Amount(total, goal.currency, to_idr(total, goal.currency, today, book)),
                target=Amount(
                    goal.target_minor, goal.currency, to_idr(goal.target_minor, goal.currency, today, book)
                ),
                percent=percent,
            )
        )
    return out


# ---- debts ----


@dataclass
class DebtView:
    debt: Debt
    principal: Amount
    paid: Amount
    remaining: Amount
    schedule: list[tuple[Instalment, bool]]  # (instalment, paid in full by now)
    next_due: Instalment | None
    ceiling: CeilingCheck
    share_of_income: Decimal | None


def debt_view(*, debt: Debt, today: dt.date | None = None) -> DebtView:
    today = today or timezone.localdate()
    paid = (
        Entry.objects.filter(
            owner_id=debt.owner_id, debt=debt, kind=categories.OUT, currency=debt.currency
        ).aggregate(total=Sum("amount_minor"))["total"]
        or 0
    )
    schedule = repayment_schedule(
        principal_minor=debt.principal_minor,
        instalments=debt.instalments,
        first_due=debt.first_due,
        instalment_minor=debt.instalment_minor,
    )
    covered, marks = paid, []
    next_due = None
    for inst in schedule:
        done = covered >= inst.amount_minor
        covered -= inst.amount_minor if done else covered
        marks.append((inst, done))
        if not done and next_due is None:
            next_due = inst
    book = load_rate_book({debt.currency, debt.income_currency or debt.currency})
    share = None
    if debt.monthly_income_minor:
        day = debt.created_at.date()
        fee_idr = to_idr(debt.principal_minor, debt.currency, day, book)
        income_idr = to_idr(debt.monthly_income_minor, debt.income_currency or debt.currency, day, book)
        if debt.currency == (debt.income_currency or debt.currency):
            share = Decimal(debt.principal_minor) / Decimal(debt.monthly_income_minor) * 100
        elif fee_idr is not None and income_idr:
            share = fee_idr / income_idr * 100
    remaining = max(0, debt.principal_minor - paid)
    return DebtView(
        debt=debt,
        principal=Amount(
            debt.principal_minor, debt.currency, to_idr(debt.principal_minor, debt.currency, today, book)
        ),
        paid=Amount(paid, debt.currency, to_idr(paid, debt.currency, today, book)),
        remaining=Amount(remaining, debt.currency, to_idr(remaining, debt.currency, today, book)),
        schedule=marks,
        next_due=next_due,
        ceiling=check_placement_fee(debt, book=load_rate_book()),
        share_of_income=share,
    )


# ---- transfers home ----


@dataclass
class TransferView:
    entry: Entry
    remittance: Remittance
    sent: Amount
    fee: Amount
    received_text: str
    cost_percent: Decimal | None
    corridor: CorridorCost | None
    own_average: Decimal | None  # her earlier transfers' mean cost
    above_target: bool  # above the SDG 10.c ceiling of 5 percent for a corridor


def corridor_average(country: str, day: dt.date) -> CorridorCost | None:
    """The World Bank corridor average for transfers from `country` to Indonesia: the latest quarter on or
    before the transfer's quarter (the sample ends in 2020, so the quarter is always shown with it)."""
    if not country:
        return None
    quarter = f"{day.year}Q{(day.month - 1) // 3 + 1}"
    return (
        CorridorCost.objects.filter(sending_country=country, receiving_iso3="IDN", quarter__lte=quarter)
        .order_by("-quarter", "series_code")
        .first()
    )


def list_transfers(*, user: User) -> list[TransferView]:
    rows = list(
        Remittance.objects.filter(entry__owner=user)
        .select_related("entry", "entry__wallet")
        .order_by("entry__occurred_on", "entry__created_at")
    )
    corridors: dict[tuple[str, str], CorridorCost | None] = {}
    out: list[TransferView] = []
    seen: list[Decimal] = []
    for remittance in rows:
        entry = remittance.entry
        quarter = f"{entry.occurred_on.year}Q{(entry.occurred_on.month - 1) // 3 + 1}"
        key = (remittance.sending_country, quarter)
        if key not in corridors:
            corridors[key] = corridor_average(remittance.sending_country, entry.occurred_on)
        cost = Decimal(remittance.cost_percent) if remittance.cost_percent is not None else None
        own = sum(seen, Decimal(0)) / len(seen) if seen else None
        out.append(
            TransferView(
                entry=entry,
                remittance=remittance,
                sent=Amount(entry.amount_minor, entry.currency, None),
                fee=Amount(entry.fee_minor, entry.currency, None),
                received_text=currency.fmt(remittance.received_minor, HOME),
                cost_percent=cost,
                corridor=corridors[key],
                own_average=own,
                above_target=cost is not None and cost > 5,
            )
        )
        if cost is not None:
            seen.append(cost)
    out.reverse()
    return out


# ---- consent (for her statistics page and the statistics module) ----


def statistics_consent(*, user: User) -> bool:
    from perisai.registry.models import Consent
    from perisai.registry.selectors import own_person

    person = own_person(user=user)
    if person is None:
        return False
    return Consent.objects.filter(person=person, purpose=Consent.Purpose.STATISTICS, granted=True).exists()


def has_any_data(*, user: User) -> bool:
    return Wallet.objects.filter(owner=user).exists()


def count_records(*, user: User) -> dict[str, int]:
    return {
        "wallets": Wallet.objects.filter(owner=user).count(),
        "entries": Entry.objects.filter(owner=user).count(),
        "goals": Goal.objects.filter(owner=user).count(),
        "debts": Debt.objects.filter(owner=user).count(),
        "budgets": Budget.objects.filter(owner=user).count(),
        "recurrences": Recurrence.objects.filter(owner=user).count(),
    }


def default_currency(*, user: User) -> str:
    """Her first wallet's currency, else her country's (from lapor diri), else rupiah."""
    wallet = Wallet.objects.filter(owner=user, archived=False).first()
    if wallet is not None:
        return wallet.currency
    from perisai.registry.selectors import own_person

    person = own_person(user=user)
    if person is not None and person.country.currency_id:
        return person.country.currency_id
    return HOME


def month_has_entries(*, user: User, month: dt.date) -> bool:
    start, end = _month_range(month)
    return Entry.objects.filter(owner=user, occurred_on__gte=start, occurred_on__lt=end).exists()
