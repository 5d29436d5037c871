"""Writes of the finance module. Keyword-only, typed, atomic, audited (counts and field names, never amounts).

Every write of her entries goes through `do_sync_entries`: the quick-entry page, the edit page, the offline
queue's sync call and the CSV import all use it, so they cannot disagree. An entry is identified by a UUID
made on the phone, so sending the same entry twice stores it once; an edit carries the version it was made
against, and an edit against an older version is answered with a conflict (never applied silently).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perisai.core import audit
from perisai.core.models import User

from . import categories, currency, tips
from .models import (
    Budget,
    CorridorCost,
    Debt,
    Entry,
    ExchangeRate,
    Goal,
    PlacementFeeCeiling,
    Recurrence,
    Remittance,
    Wallet,
)
from .money import (
    AmountError,
    add_months,
    convert,
    parse_amount,
    parse_rate,
    round_at_display,
    true_cost_percent,
)
from .rates import HOME, RateBook

MAX_NOTE = 500
MAX_BATCH = 1000
EARLIEST = dt.date(2000, 1, 1)
RECURRENCE_NAMESPACE = uuid.UUID("6f1c3f4e-8a43-4d59-9a8e-2f0b8f6b1a10")


class FinanceInputError(ValueError):
    """Every problem of one input at once: field -> translated messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def amount_message(error: AmountError, code: str = "") -> str:
    messages = {
        "empty": _("Enter an amount."),
        "not_a_number": _("Write the amount in figures, for example 1500 or 1.500,50."),
        "not_positive": _("The amount must be more than zero."),
        "too_many_decimals": _("This amount has more decimal places than %(currency)s has.")
        % {"currency": code or _("the currency")},
        "too_large": _("This amount is too large."),
    }
    return messages.get(error.code, messages["not_a_number"])


def _amount(errors: dict[str, list[str]], name: str, text: str, code: str, *, optional: bool = False) -> int:
    text = (text or "").strip()
    if optional and (not text or re.fullmatch(r"0+(?:[.,]0+)?", text)):
        return 0
    try:
        return parse_amount(text, currency.exponent(code))
    except AmountError as exc:
        errors.setdefault(name, []).append(amount_message(exc, code))
    except KeyError:
        errors.setdefault(name, []).append(_("Choose a currency."))
    return 0


def _date(errors: dict[str, list[str]], name: str, value: dt.date | str | None, *, today: dt.date) -> dt.date:
    day: dt.date | None
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat((value or "").strip())
        except ValueError:
            day = None
    if day is None:
        errors.setdefault(name, []).append(_("Enter a date, for example %(date)s.") % {"date": today})
        return today
    if day < EARLIEST or day > today + dt.timedelta(days=1):
        errors.setdefault(name, []).append(_("This date is not possible for an entry: check it."))
    return day


def _uuid(value: Any) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


# ---- entries: one item of the offline queue, of a form, or of an imported row ----


@dataclass
class EntryItem:
    id: uuid.UUID
    category: str
    amount: str
    occurred_on: dt.date | str | None
    wallet: uuid.UUID | str | None = None
    base_version: int = 0
    deleted: bool = False
    fee: str = ""
    note: str = ""
    goal: uuid.UUID | str | None = None
    debt: uuid.UUID | str | None = None
    provider: str = ""
    rate_received: str = ""
    received: str = ""  # rupiah the family received (instead of the rate)
    sending_country: str = ""


@dataclass
class SyncResult:
    id: uuid.UUID
    status: str  # created | updated | unchanged | deleted | conflict | invalid
    version: int | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    server: dict[str, Any] | None = None
    tip: str = ""


@dataclass(frozen=True)
class CheckedEntry:
    wallet: Wallet
    kind: str
    category: str
    amount_minor: int
    fee_minor: int
    currency: str
    occurred_on: dt.date
    note: str
    goal: Goal | None
    debt: Debt | None
    remittance: dict[str, Any] | None

    def entry_values(self) -> dict[str, Any]:
        return {
            "wallet": self.wallet,
            "kind": self.kind,
            "category": self.category,
            "amount_minor": self.amount_minor,
            "fee_minor": self.fee_minor,
            "currency": self.currency,
            "occurred_on": self.occurred_on,
            "note": self.note,
            "goal": self.goal,
            "debt": self.debt,
        }


@dataclass
class _Context:
    owner: User
    wallets: dict[uuid.UUID, Wallet]
    goals: dict[uuid.UUID, Goal]
    debts: dict[uuid.UUID, Debt]
    book: RateBook
    today: dt.date
    home_country: str


def load_rate_book(currencies: Iterable[str] | None = None) -> RateBook:
    qs = ExchangeRate.objects.all()
    if currencies is not None:
        qs = qs.filter(currency__in=set(currencies))
    return RateBook.from_rows(qs.values_list("currency", "valid_on", "idr_per_unit"))


def _home_country(owner: User) -> str:
    from perisai.registry.selectors import own_person

    person = own_person(user=owner)
    return person.country_id if person is not None else ""


def _context(owner: User, *, today: dt.date | None = None) -> _Context:
    wallets = {w.public_id: w for w in Wallet.objects.filter(owner=owner)}
    return _Context(
        owner=owner,
        wallets=wallets,
        goals={g.public_id: g for g in Goal.objects.filter(owner=owner)},
        debts={d.public_id: d for d in Debt.objects.filter(owner=owner)},
        book=load_rate_book({w.currency for w in wallets.values()}),
        today=today or timezone.localdate(),
        home_country=_home_country(owner),
    )


def check_entry(item: EntryItem, ctx: _Context) -> CheckedEntry:
    errors: dict[str, list[str]] = {}
    wallet_id = _uuid(item.wallet)
    wallet = ctx.wallets.get(wallet_id) if wallet_id else None
    if wallet is None:
        if len(ctx.wallets) == 1 and not item.wallet:
            wallet = next(iter(ctx.wallets.values()))
        else:
            errors.setdefault("wallet", []).append(_("Choose where the money is: cash, bank or e-wallet."))
    category = categories.BY_CODE.get(item.category or "")
    if category is None:
        errors.setdefault("category", []).append(_("Choose what the money is for."))
    code = wallet.currency if wallet is not None else HOME
    amount = _amount(errors, "amount", item.amount, code)
    fee = _amount(errors, "fee", item.fee, code, optional=True)
    occurred_on = _date(errors, "occurred_on", item.occurred_on, today=ctx.today)
    note = (item.note or "").strip()
    if len(note) > MAX_NOTE:
        errors.setdefault("note", []).append(
            _("This note is too long (%(n)d characters; at most %(max)d).")
            % {"n": len(note), "max": MAX_NOTE}
        )
    goal = debt = None
    goal_id, debt_id = _uuid(item.goal), _uuid(item.debt)
    if item.goal and (goal_id is None or goal_id not in ctx.goals):
        errors.setdefault("goal", []).append(_("This savings goal no longer exists."))
    elif goal_id:
        goal = ctx.goals[goal_id]
    if item.debt and (debt_id is None or debt_id not in ctx.debts):
        errors.setdefault("debt", []).append(_("This debt no longer exists."))
    elif debt_id:
        debt = ctx.debts[debt_id]
    remittance = None
    if category is not None and category.code == categories.SENDING_HOME and wallet is not None:
        remittance = _check_remittance(
            item, errors, wallet=wallet, amount=amount, fee=fee, ctx=ctx, day=occurred_on
        )
    if errors:
        raise FinanceInputError(errors)
    assert wallet is not None and category is not None  # noqa: S101 (errors would have been raised)
    return CheckedEntry(
        wallet=wallet,
        kind=category.kind,
        category=category.code,
        amount_minor=amount,
        fee_minor=fee,
        currency=wallet.currency,
        occurred_on=occurred_on,
        note=note,
        goal=goal,
        debt=debt,
        remittance=remittance,
    )


def _check_remittance(
    item: EntryItem,
    errors: dict[str, list[str]],
    *,
    wallet: Wallet,
    amount: int,
    fee: int,
    ctx: _Context,
    day: dt.date,
) -> dict[str, Any] | None:
    provider = (item.provider or "").strip()[:80]
    country = (item.sending_country or ctx.home_country or "").strip().upper()[:2]
    rate_text, received_text = (item.rate_received or "").strip(), (item.received or "").strip()
    if not rate_text and not received_text:
        if not provider:
            return None
        if wallet.currency != HOME:
            errors.setdefault("rate_received", []).append(
                _("Enter the exchange rate you got, or the rupiah your family received.")
            )
            return None
    exp = currency.exponent(wallet.currency)
    sent = Decimal(amount).scaleb(-exp)
    rate: Decimal | None = None
    received_idr: Decimal | None = None
    if wallet.currency == HOME:
        rate = Decimal(1)
    elif rate_text:
        try:
            rate = parse_rate(rate_text)
        except AmountError:
            errors.setdefault("rate_received", []).append(
                _("Write the rate as rupiah for one %(currency)s, for example 3450 or 3450,25.")
                % {"currency": wallet.currency}
            )
    if received_text:
        received_minor = _amount(errors, "received", received_text, HOME)
        received_idr = Decimal(received_minor).scaleb(-currency.exponent(HOME))
    if amount <= 0 or "rate_received" in errors or "received" in errors:
        return None
    if received_idr is None:
        assert rate is not None  # noqa: S101
        received_idr = convert(amount, exp, rate)
    if rate is None:
        rate = (received_idr / sent).quantize(Decimal("0.000001"))
    reference = ctx.book.rate(wallet.currency, day)
    cost = None
    if reference is not None and amount > 0:
        cost = true_cost_percent(
            sent_minor=amount,
            fee_minor=fee,
            exponent=exp,
            rate_received=received_idr / sent,
            reference_rate=reference,
        ).quantize(Decimal("0.000001"))
    return {
        "provider": provider,
        "sending_country": country,
        "rate_received": rate,
        "received_minor": int(
            round_at_display(received_idr, currency.exponent(HOME)).scaleb(currency.exponent(HOME))
        ),
        "reference_rate": reference,
        "cost_percent": cost,
    }


def entry_as_dict(entry: Entry) -> dict[str, Any]:
    """The stored entry as the sync protocol and the export show it (amounts as exact decimal strings)."""
    exp = currency.exponent(entry.currency)
    data: dict[str, Any] = {
        "id": str(entry.public_id),
        "version": entry.version,
        "wallet": str(entry.wallet.public_id),
        "category": entry.category,
        "kind": entry.kind,
        "amount": str(Decimal(entry.amount_minor).scaleb(-exp).quantize(Decimal(1).scaleb(-exp))),
        "fee": str(Decimal(entry.fee_minor).scaleb(-exp).quantize(Decimal(1).scaleb(-exp))),
        "currency": entry.currency,
        "occurred_on": entry.occurred_on.isoformat(),
        "note": entry.note,
        "goal": str(entry.goal.public_id) if entry.goal_id and entry.goal else "",
        "debt": str(entry.debt.public_id) if entry.debt_id and entry.debt else "",
        "provider": "",
        "rate_received": "",
        "received": "",
        "sending_country": "",
    }
    remittance = getattr(entry, "remittance", None) if _has_remittance(entry) else None
    if remittance is not None:
        data.update(
            provider=remittance.provider,
            rate_received=_plain(remittance.rate_received),
            received=str(Decimal(remittance.received_minor).scaleb(-2).quantize(Decimal("0.01"))),
            sending_country=remittance.sending_country,
        )
    return data


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _has_remittance(entry: Entry) -> bool:
    try:
        return entry.remittance is not None
    except Remittance.DoesNotExist:
        return False


def _same(entry: Entry, checked: CheckedEntry) -> bool:
    for name, value in checked.entry_values().items():
        current = getattr(entry, name + "_id") if name in ("wallet", "goal", "debt") else getattr(entry, name)
        wanted = value.pk if name in ("wallet", "goal", "debt") and value is not None else value
        if current != wanted:
            return False
    stored = entry.remittance if _has_remittance(entry) else None
    if (stored is None) != (checked.remittance is None):
        return False
    if stored is not None and checked.remittance is not None:
        r = checked.remittance
        return (
            stored.provider == r["provider"]
            and stored.sending_country == r["sending_country"]
            and Decimal(stored.rate_received) == r["rate_received"]
            and stored.received_minor == r["received_minor"]
        )
    return True


@dataclass
class SyncSummary:
    results: list[SyncResult]

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    def counts(self) -> dict[str, int]:
        names = ("created", "updated", "unchanged", "deleted", "conflict", "invalid")
        return {name: self.count(name) for name in names}


@transaction.atomic
def do_sync_entries(
    *, owner: User, items: Sequence[EntryItem], source: str = "sync", today: dt.date | None = None
) -> SyncSummary:
    """Apply a batch of entries from the phone (or a form, or an import). Idempotent by UUID: an item sent
    twice is stored once. Each item gets its own result; a bad item never stops the others."""
    if len(items) > MAX_BATCH:
        raise FinanceInputError({"items": [_("Send at most %(n)d entries at once.") % {"n": MAX_BATCH}]})
    ctx = _context(owner, today=today)
    ids = {item.id for item in items}
    stored = {
        e.public_id: e
        for e in Entry.objects.filter(public_id__in=ids).select_related(
            "wallet", "goal", "debt", "remittance"
        )
    }
    new: dict[uuid.UUID, tuple[Entry, dict[str, Any] | None]] = {}
    results: list[SyncResult] = []
    now = timezone.now()
    for item in items:
        results.append(_apply(item, ctx=ctx, stored=stored, new=new, now=now))
    if new:
        created = Entry.objects.bulk_create([entry for entry, _r in new.values()], batch_size=500)
        Remittance.objects.bulk_create(
            [Remittance(entry=entry, **r) for entry, (_e, r) in zip(created, new.values(), strict=True) if r],
            batch_size=500,
        )
    summary = SyncSummary(results)
    audit.record(
        actor=owner,
        action="finance.sync",
        object_type="finance.entry",
        details={"source": source, **summary.counts()},
    )
    return summary


def _apply(
    item: EntryItem,
    *,
    ctx: _Context,
    stored: dict[uuid.UUID, Entry],
    new: dict[uuid.UUID, tuple[Entry, dict[str, Any] | None]],
    now: dt.datetime,
) -> SyncResult:
    entry = stored.get(item.id)
    if entry is not None and entry.owner_id != ctx.owner.pk:
        return SyncResult(item.id, "invalid", errors={"id": [_("This entry cannot be saved.")]})
    pending = new.get(item.id)
    if item.deleted:
        if pending is not None:
            del new[item.id]
            return SyncResult(item.id, "deleted")
        if entry is None:
            return SyncResult(item.id, "deleted")
        if item.base_version != entry.version:
            return SyncResult(item.id, "conflict", entry.version, server=entry_as_dict(entry))
        entry.delete()
        del stored[item.id]
        return SyncResult(item.id, "deleted")
    try:
        checked = check_entry(item, ctx)
    except FinanceInputError as error:
        return SyncResult(item.id, "invalid", errors=error.errors)
    cost = checked.remittance["cost_percent"] if checked.remittance else None
    tip = tips.tip_for_entry(
        category=checked.category, cost_percent=float(cost) if cost is not None else None
    )
    if pending is not None:  # the same new entry twice in one batch: the later one wins
        new[item.id] = (Entry(public_id=item.id, owner=ctx.owner, created_at=now, updated_at=now,
                              **checked.entry_values()), checked.remittance)  # fmt: skip
        return SyncResult(item.id, "created", 1, tip=tip)
    if entry is None:
        if item.base_version:
            # An edit of an entry that was deleted elsewhere: shown to her, never recreated silently.
            return SyncResult(item.id, "conflict", None, server=None)
        new[item.id] = (Entry(public_id=item.id, owner=ctx.owner, created_at=now, updated_at=now,
                              **checked.entry_values()), checked.remittance)  # fmt: skip
        return SyncResult(item.id, "created", 1, tip=tip)
    if _same(entry, checked):
        return SyncResult(item.id, "unchanged", entry.version)
    if item.base_version != entry.version:
        return SyncResult(item.id, "conflict", entry.version, server=entry_as_dict(entry))
    for name, value in checked.entry_values().items():
        setattr(entry, name, value)
    entry.version += 1
    entry.updated_at = now
    entry.save()
    if checked.remittance is None:
        Remittance.objects.filter(entry=entry).delete()
    else:
        Remittance.objects.update_or_create(entry=entry, defaults=checked.remittance)
    return SyncResult(item.id, "updated", entry.version, tip=tip)


# ---- wallets ----


@transaction.atomic
def do_create_wallet(
    *, owner: User, name: str, kind: str, currency_code: str, public_id: uuid.UUID | None = None
) -> Wallet:
    errors: dict[str, list[str]] = {}
    name = " ".join((name or "").split())[:60]
    code = (currency_code or "").strip().upper()
    if not name:
        errors["name"] = [_("Give this wallet a name, for example Cash or Bank.")]
    if kind not in Wallet.Kind.values:
        errors["kind"] = [_("Choose cash, bank account or e-wallet.")]
    if not currency.is_currency(code):
        errors["currency"] = [_("Choose a currency.")]
    if errors:
        raise FinanceInputError(errors)
    wallet = Wallet.objects.create(
        owner=owner, name=name, kind=kind, currency=code, public_id=public_id or uuid.uuid4()
    )
    audit.record(actor=owner, action="finance.wallet.create", target=wallet)
    return wallet


@transaction.atomic
def do_archive_wallet(*, owner: User, wallet: Wallet, archived: bool = True) -> None:
    wallet.archived = archived
    wallet.save(update_fields=["archived"])
    audit.record(actor=owner, action="finance.wallet.archive", target=wallet, details={"archived": archived})


# ---- budgets, goals ----


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


@transaction.atomic
def do_set_budget(
    *, owner: User, month: dt.date, category: str, amount: str, currency_code: str
) -> Budget | None:
    """Set (or, with an empty amount, remove) the budget of one category for one month."""
    errors: dict[str, list[str]] = {}
    if category not in categories.EXPENSE_CODES:
        errors["category"] = [_("Choose what the money is for.")]
    month = first_of_month(month)
    if not (amount or "").strip():
        Budget.objects.filter(owner=owner, month=month, category=category).delete()
        audit.record(actor=owner, action="finance.budget.remove", object_type="finance.budget")
        return None
    minor = _amount(errors, "amount", amount, currency_code)
    if errors:
        raise FinanceInputError(errors)
    budget, _created = Budget.objects.update_or_create(
        owner=owner,
        month=month,
        category=category,
        defaults={"amount_minor": minor, "currency": currency_code.upper()},
    )
    audit.record(actor=owner, action="finance.budget.set", target=budget)
    return budget


@dataclass
class GoalInput:
    name: str
    target: str
    currency: str
    saved_before: str = ""
    target_date: dt.date | None = None


@transaction.atomic
def do_create_goal(*, owner: User, data: GoalInput, public_id: uuid.UUID | None = None) -> Goal:
    errors: dict[str, list[str]] = {}
    name = " ".join((data.name or "").split())[:80]
    if not name:
        errors["name"] = [_('Name your goal, for example "shop at home" or "school fees".')]
    code = (data.currency or "").upper()
    if not currency.is_currency(code):
        errors["currency"] = [_("Choose a currency.")]
        code = HOME
    target = _amount(errors, "target", data.target, code)
    saved = _amount(errors, "saved_before", data.saved_before, code, optional=True)
    if errors:
        raise FinanceInputError(errors)
    goal = Goal.objects.create(
        owner=owner,
        name=name,
        target_minor=target,
        saved_before_minor=saved,
        currency=code,
        target_date=data.target_date,
        public_id=public_id or uuid.uuid4(),
    )
    audit.record(actor=owner, action="finance.goal.create", target=goal)
    return goal


@transaction.atomic
def do_delete_goal(*, owner: User, goal: Goal) -> None:
    audit.record(actor=owner, action="finance.goal.delete", target=goal)
    goal.delete()


# ---- debts and the placement-fee ceiling ----


@dataclass
class DebtInput:
    kind: str
    principal: str
    currency: str
    first_due: dt.date | None
    instalments: int = 1
    instalment: str = ""
    lender: str = ""
    destination_country: str = ""
    sector: str = ""
    monthly_income: str = ""
    income_currency: str = ""
    note: str = ""


@dataclass(frozen=True)
class CeilingCheck:
    """The placement fee compared with the ceiling on record for its country and sector."""

    ceiling: PlacementFeeCeiling | None
    over: bool
    fee_idr: Decimal | None
    ceiling_idr: Decimal | None


def find_ceiling(country: str, sector: str) -> PlacementFeeCeiling | None:
    if not country:
        return None
    rows = {c.sector: c for c in PlacementFeeCeiling.objects.filter(country=country, sector__in=[sector, ""])}
    return rows.get(sector) or rows.get("")


def check_placement_fee(debt: Debt, *, book: RateBook | None = None) -> CeilingCheck:
    """Is this placement fee higher than the ceiling for that destination and sector? Compared in rupiah at
    the reference rate of the day the debt was recorded (in the same currency, exactly)."""
    if debt.kind != Debt.Kind.PLACEMENT_FEE:
        return CeilingCheck(None, False, None, None)
    ceiling = find_ceiling(debt.destination_country, debt.sector)
    if ceiling is None:
        return CeilingCheck(None, False, None, None)
    if ceiling.currency == debt.currency:
        return CeilingCheck(ceiling, debt.principal_minor > ceiling.amount_minor, None, None)
    book = book or load_rate_book({debt.currency, ceiling.currency})
    day = debt.created_at.date()
    fee_rate, ceiling_rate = book.rate(debt.currency, day), book.rate(ceiling.currency, day)
    if fee_rate is None or ceiling_rate is None:
        return CeilingCheck(ceiling, False, None, None)
    fee_idr = convert(debt.principal_minor, currency.exponent(debt.currency), fee_rate)
    ceiling_idr = convert(ceiling.amount_minor, currency.exponent(ceiling.currency), ceiling_rate)
    return CeilingCheck(ceiling, fee_idr > ceiling_idr, fee_idr, ceiling_idr)


@transaction.atomic
def do_create_debt(
    *, owner: User, data: DebtInput, public_id: uuid.UUID | None = None, today: dt.date | None = None
) -> tuple[Debt, CeilingCheck]:
    from perisai.registry.models import Sector

    errors: dict[str, list[str]] = {}
    if data.kind not in Debt.Kind.values:
        errors["kind"] = [_("Choose what kind of debt this is.")]
    code = (data.currency or "").upper()
    if not currency.is_currency(code):
        errors["currency"] = [_("Choose a currency.")]
        code = HOME
    principal = _amount(errors, "principal", data.principal, code)
    instalment = _amount(errors, "instalment", data.instalment, code, optional=True)
    if not 1 <= int(data.instalments or 0) <= 240:
        errors["instalments"] = [_("Enter a number of monthly payments from 1 to 240.")]
    income_code = (data.income_currency or code).upper()
    income = 0
    if (data.monthly_income or "").strip():
        if not currency.is_currency(income_code):
            errors["income_currency"] = [_("Choose a currency.")]
        else:
            income = _amount(errors, "monthly_income", data.monthly_income, income_code)
    if data.first_due is None:
        errors["first_due"] = [_("Enter the date of the first payment.")]
    country = (data.destination_country or "").upper()[:2]
    sector = data.sector if data.sector in Sector.values else ""
    if data.sector and not sector:
        errors["sector"] = [_("Choose a sector from the list.")]
    if len(data.note or "") > MAX_NOTE:
        errors["note"] = [
            _("This note is too long (%(n)d characters; at most %(max)d).")
            % {"n": len(data.note), "max": MAX_NOTE}
        ]
    if errors:
        raise FinanceInputError(errors)
    assert data.first_due is not None  # noqa: S101
    debt = Debt.objects.create(
        public_id=public_id or uuid.uuid4(),
        owner=owner,
        kind=data.kind,
        lender=(data.lender or "").strip()[:120],
        principal_minor=principal,
        currency=code,
        destination_country=country,
        sector=sector,
        monthly_income_minor=income or None,
        income_currency=income_code if income else "",
        first_due=data.first_due,
        instalments=int(data.instalments),
        instalment_minor=instalment or None,
        note=(data.note or "").strip(),
    )
    check = check_placement_fee(debt)
    audit.record(
        actor=owner,
        action="finance.debt.create",
        target=debt,
        details={"kind": debt.kind, "over_ceiling": check.over},
    )
    return debt, check


@transaction.atomic
def do_delete_debt(*, owner: User, debt: Debt) -> None:
    audit.record(actor=owner, action="finance.debt.delete", target=debt)
    debt.delete()


# ---- monthly entries (salary, remittance) ----


def _next_occurrence(day_of_month: int, on_or_after: dt.date) -> dt.date:
    candidate = _clamp(on_or_after.year, on_or_after.month, day_of_month)
    if candidate < on_or_after:
        nxt = add_months(on_or_after.replace(day=1), 1)
        candidate = _clamp(nxt.year, nxt.month, day_of_month)
    return candidate


def _clamp(year: int, month: int, day: int) -> dt.date:
    first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    last = (first_next - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day, last))


@dataclass
class RecurrenceInput:
    wallet: uuid.UUID | str | None
    category: str
    amount: str
    day_of_month: int
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    note: str = ""


@transaction.atomic
def do_create_recurrence(
    *, owner: User, data: RecurrenceInput, public_id: uuid.UUID | None = None, today: dt.date | None = None
) -> Recurrence:
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    wallet_id = _uuid(data.wallet)
    wallet = Wallet.objects.filter(owner=owner, public_id=wallet_id).first() if wallet_id else None
    if wallet is None:
        errors["wallet"] = [_("Choose where the money is: cash, bank or e-wallet.")]
    if data.category not in categories.BY_CODE:
        errors["category"] = [_("Choose what the money is for.")]
    amount = _amount(errors, "amount", data.amount, wallet.currency if wallet else HOME)
    if not 1 <= int(data.day_of_month or 0) <= 31:
        errors["day_of_month"] = [_("Enter a day of the month from 1 to 31.")]
    if data.ends_on and data.starts_on and data.ends_on < data.starts_on:
        errors["ends_on"] = [_("The end comes before the start: check the dates.")]
    if errors:
        raise FinanceInputError(errors)
    assert wallet is not None  # noqa: S101
    recurrence = Recurrence.objects.create(
        public_id=public_id or uuid.uuid4(),
        owner=owner,
        wallet=wallet,
        category=data.category,
        amount_minor=amount,
        note=(data.note or "").strip()[:200],
        day_of_month=int(data.day_of_month),
        next_on=_next_occurrence(int(data.day_of_month), data.starts_on or today),
        ends_on=data.ends_on,
    )
    audit.record(actor=owner, action="finance.recurrence.create", target=recurrence)
    return recurrence


@transaction.atomic
def do_stop_recurrence(*, owner: User, recurrence: Recurrence) -> None:
    recurrence.active = False
    recurrence.save(update_fields=["active"])
    audit.record(actor=owner, action="finance.recurrence.stop", target=recurrence)


def recurrence_entry_id(recurrence: Recurrence, day: dt.date) -> uuid.UUID:
    """The same UUID for the same monthly entry, however often the task runs."""
    return uuid.uuid5(RECURRENCE_NAMESPACE, f"{recurrence.public_id}:{day.isoformat()}")


def do_materialise_recurrences(*, today: dt.date | None = None, limit_months: int = 24) -> int:
    """Write every monthly entry that is due up to today, once (idempotent: the entry's UUID is derived from
    the recurrence and the date). Returns the number of entries written."""
    today = today or timezone.localdate()
    written = 0
    due = Recurrence.objects.filter(active=True, next_on__lte=today).select_related("wallet", "owner")
    for recurrence in due.iterator(chunk_size=500):
        with transaction.atomic():
            locked = Recurrence.objects.select_for_update().get(pk=recurrence.pk)
            if not locked.active or locked.next_on > today:
                continue
            day, months = locked.next_on, 0
            rows = []
            while (
                day <= today and months < limit_months and (locked.ends_on is None or day <= locked.ends_on)
            ):
                public_id = recurrence_entry_id(locked, day)
                rows.append(
                    Entry(
                        public_id=public_id,
                        owner_id=locked.owner_id,
                        wallet_id=locked.wallet_id,
                        kind=categories.BY_CODE[locked.category].kind,
                        category=locked.category,
                        amount_minor=locked.amount_minor,
                        currency=recurrence.wallet.currency,
                        occurred_on=day,
                        note=locked.note,
                        recurrence=locked,
                    )
                )
                nxt = add_months(day.replace(day=1), 1)
                day = _clamp(nxt.year, nxt.month, locked.day_of_month)
                months += 1
            have = set(
                Entry.objects.filter(public_id__in=[r.public_id for r in rows]).values_list(
                    "public_id", flat=True
                )
            )
            fresh = [r for r in rows if r.public_id not in have]
            Entry.objects.bulk_create(fresh)
            locked.next_on = day
            if locked.ends_on is not None and day > locked.ends_on:
                locked.active = False
            locked.save(update_fields=["next_on", "active"])
            if fresh:
                audit.record(
                    actor=None,
                    action="finance.recurrence.materialise",
                    target=locked,
                    details={"entries": len(fresh)},
                )
            written += len(fresh)
    return written


# ---- delete everything ----


@transaction.atomic
def do_erase_finances(*, owner: User) -> dict[str, int]:
    """Delete all of her finance records. The audit log keeps only that it happened, and how many."""
    counts = {}
    for model in (Entry, Recurrence, Budget, Goal, Debt, Wallet):
        _total, by_model = model.objects.filter(owner=owner).delete()  # type: ignore[attr-defined]
        counts[model._meta.model_name or ""] = by_model.get(model._meta.label, 0)
    audit.record(actor=owner, action="finance.erase", object_type="finance", details=counts)
    return counts


# ---- reference data (administrators and operator commands) ----


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}"
        return text + (f", {len(self.errors)} rejected" if self.errors else "")


@dataclass(frozen=True)
class RateRow:
    line: int
    currency: str
    valid_on: str
    rate: str
    source: str = ""


def _check_rate_row(row: RateRow) -> tuple[str, dt.date, Decimal, str]:
    code = (row.currency or "").strip().upper()
    if code == HOME or not currency.is_currency(code):
        raise ValueError(_("Unknown currency code: %(code)s.") % {"code": code or "-"})
    try:
        day = dt.date.fromisoformat((row.valid_on or "").strip())
    except ValueError as exc:
        raise ValueError(_("The date must be written as YYYY-MM-DD.")) from exc
    try:
        rate = parse_rate(row.rate)
    except AmountError as exc:
        raise ValueError(_("The rate must be a positive number with at most 6 decimals.")) from exc
    return code, day, rate, (row.source or "").strip()[:120]


@transaction.atomic
def do_import_rates(*, rows: Iterable[RateRow], actor: User | None, source: str = "") -> LoadReport:
    """Add or update reference rates (rupiah per unit, valid from a date). Idempotent: the same file twice
    changes nothing. Rows in error are listed, the others are kept."""
    report = LoadReport()
    touched: set[str] = set()
    for row in rows:
        try:
            code, day, rate, row_source = _check_rate_row(row)
        except ValueError as exc:
            report.errors.append((row.line, str(exc)))
            continue
        current = ExchangeRate.objects.filter(currency=code, valid_on=day).first()
        if current is None:
            ExchangeRate.objects.create(
                currency=code, valid_on=day, idr_per_unit=rate, source=row_source or source, updated_by=actor
            )
            report.created += 1
        elif current.idr_per_unit != rate:
            current.idr_per_unit = rate
            current.source = row_source or source
            current.updated_by = actor
            current.updated_at = timezone.now()
            current.save()
            report.updated += 1
        else:
            report.unchanged += 1
            continue
        touched.add(code)
    if touched:
        refresh_remittance_costs(currencies=touched)
    audit.record(
        actor=actor,
        action="finance.rates.import",
        object_type="finance.exchangerate",
        details={"created": report.created, "updated": report.updated, "rejected": len(report.errors)},
    )
    return report


def do_set_rate(*, actor: User, currency_code: str, valid_on: str, rate: str) -> ExchangeRate:
    report = do_import_rates(
        rows=[RateRow(1, currency_code, valid_on, rate)], actor=actor, source=_("entered by an administrator")
    )
    if report.errors:
        raise FinanceInputError({"rate": [report.errors[0][1]]})
    return ExchangeRate.objects.get(currency=currency_code.strip().upper(), valid_on=valid_on.strip())


def refresh_remittance_costs(*, currencies: Iterable[str]) -> int:
    """Recompute the reference rate and true cost of transfers in these currencies (after a rate change)."""
    codes = set(currencies)
    book = load_rate_book(codes)
    changed = []
    for remittance in Remittance.objects.filter(entry__currency__in=codes).select_related("entry"):
        entry = remittance.entry
        reference = book.rate(entry.currency, entry.occurred_on)
        if reference is None:
            continue
        exp = currency.exponent(entry.currency)
        sent = Decimal(entry.amount_minor).scaleb(-exp)
        received = Decimal(remittance.received_minor).scaleb(-currency.exponent(HOME))
        cost = true_cost_percent(
            sent_minor=entry.amount_minor,
            fee_minor=entry.fee_minor,
            exponent=exp,
            rate_received=received / sent,
            reference_rate=reference,
        ).quantize(Decimal("0.000001"))
        if remittance.reference_rate != reference or remittance.cost_percent != cost:
            remittance.reference_rate = reference
            remittance.cost_percent = cost
            changed.append(remittance)
    Remittance.objects.bulk_update(changed, ["reference_rate", "cost_percent"], batch_size=500)
    return len(changed)


@dataclass(frozen=True)
class CorridorRow:
    line: int
    sending_iso3: str
    receiving_iso3: str
    series_code: str
    quarter: str
    average: str


@transaction.atomic
def do_import_corridor_costs(*, rows: Iterable[CorridorRow]) -> LoadReport:
    """World Bank Remittance Prices Worldwide corridor averages. Idempotent (one value per corridor, series
    and quarter); values are kept exactly as published."""
    import re

    import pycountry

    report = LoadReport()
    existing = {
        (c.sending_iso3, c.receiving_iso3, c.series_code, c.quarter): c for c in CorridorCost.objects.all()
    }
    for row in rows:
        sending = (row.sending_iso3 or "").strip().upper()
        country = pycountry.countries.get(alpha_3=sending)
        quarter = (row.quarter or "").strip().upper()
        if country is None:
            report.errors.append((row.line, f"unknown sending country {sending!r}"))
            continue
        if not re.fullmatch(r"(19|20)\d\dQ[1-4]", quarter):
            report.errors.append((row.line, f"quarter {quarter!r} is not like 2020Q3"))
            continue
        try:
            value = Decimal((row.average or "").strip())
        except ArithmeticError:
            report.errors.append((row.line, f"average cost {row.average!r} is not a number"))
            continue
        if not value.is_finite() or value < 0 or value >= 1000 or -value.as_tuple().exponent > 14:  # type: ignore[operator]
            report.errors.append((row.line, f"average cost {row.average!r} is out of range"))
            continue
        key = (
            sending,
            (row.receiving_iso3 or "IDN").strip().upper(),
            (row.series_code or "").strip(),
            quarter,
        )
        current = existing.get(key)
        if current is None:
            existing[key] = CorridorCost.objects.create(
                sending_country=country.alpha_2,
                sending_iso3=key[0],
                receiving_iso3=key[1],
                series_code=key[2],
                quarter=quarter,
                average_cost_percent=value,
            )
            report.created += 1
        elif Decimal(current.average_cost_percent) != value:
            current.average_cost_percent = value
            current.save(update_fields=["average_cost_percent"])
            report.updated += 1
        else:
            report.unchanged += 1
    audit.record(
        actor=None,
        action="finance.corridors.import",
        object_type="finance.corridorcost",
        details={"created": report.created, "updated": report.updated, "rejected": len(report.errors)},
    )
    return report


@transaction.atomic
def do_load_ceilings(
    *, records: Iterable[dict[str, Any]], actor: User | None = None, overwrite: bool = False
) -> LoadReport:
    """Load placement-fee ceilings from authored data. Rows the operator has edited or verified are kept
    unless `overwrite` is given."""
    report = LoadReport()
    for i, record in enumerate(records, start=1):
        country = str(record.get("country", "")).upper()
        sector = str(record.get("sector", ""))
        code = str(record.get("currency", HOME)).upper()
        try:
            minor = int(Decimal(str(record.get("amount", ""))).scaleb(currency.exponent(code)))
        except (ArithmeticError, KeyError):
            report.errors.append((i, "bad amount or currency"))
            continue
        if len(country) != 2 or minor < 0:
            report.errors.append((i, "bad country or amount"))
            continue
        values = {
            "amount_minor": minor,
            "currency": code,
            "legal_basis": str(record.get("legal_basis", ""))[:300],
            "note": str(record.get("note", ""))[:500],
        }
        current = PlacementFeeCeiling.objects.filter(country=country, sector=sector).first()
        if current is None:
            PlacementFeeCeiling.objects.create(country=country, sector=sector, updated_by=actor, **values)
            report.created += 1
        elif (current.verified or current.updated_by_id) and not overwrite:
            report.unchanged += 1
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            current.updated_at = timezone.now()
            current.updated_by = actor
            current.save()
            report.updated += 1
        else:
            report.unchanged += 1
    audit.record(
        actor=actor,
        action="finance.ceilings.load",
        object_type="finance.placementfeeceiling",
        details={"created": report.created, "updated": report.updated},
    )
    return report


@transaction.atomic
def do_update_ceiling(
    *,
    actor: User,
    ceiling: PlacementFeeCeiling | None,
    country: str,
    sector: str,
    amount: str,
    currency_code: str,
    legal_basis: str,
    note: str,
    verified: bool,
) -> PlacementFeeCeiling:
    from perisai.registry.models import Sector

    errors: dict[str, list[str]] = {}
    country = (country or "").strip().upper()
    code = (currency_code or HOME).strip().upper()
    if len(country) != 2:
        errors["country"] = [_("Choose a country.")]
    if sector and sector not in Sector.values:
        errors["sector"] = [_("Choose a sector from the list.")]
    if not currency.is_currency(code):
        errors["currency"] = [_("Choose a currency.")]
        code = HOME
    text = (amount or "").strip()
    minor = 0 if text in ("0", "0,00", "0.00") else _amount(errors, "amount", text, code)
    if not (legal_basis or "").strip():
        errors["legal_basis"] = [_("Name the regulation that sets this ceiling.")]
    if errors:
        raise FinanceInputError(errors)
    target = (
        ceiling
        or PlacementFeeCeiling.objects.filter(country=country, sector=sector).first()
        or PlacementFeeCeiling(country=country, sector=sector)
    )
    target.country, target.sector = country, sector
    target.amount_minor, target.currency = minor, code
    target.legal_basis, target.note = legal_basis.strip()[:300], (note or "").strip()[:500]
    target.verified = verified
    target.updated_at, target.updated_by = timezone.now(), actor
    target.save()
    audit.record(actor=actor, action="finance.ceiling.update", target=target, details={"verified": verified})
    return target
