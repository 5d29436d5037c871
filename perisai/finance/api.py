"""The finance module's JSON API, mounted at /api/v1/finance: her own money only (Cap.SELF_SERVICE, which no
staff role holds). The offline queue on her phone calls `entry_sync`; the pages call the same action."""

import datetime as dt
import uuid

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from perisai.core.api_auth import capability
from perisai.core.models import User
from perisai.core.roles import Cap

from . import actions, selectors

router = Router(tags=["finance"])


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


class WalletOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    currency: str
    balance: str = Field(description="Exact balance in the wallet's currency (decimal string)")
    balance_idr: str | None = Field(
        description="Exact rupiah equivalent at today's reference rate, unrounded"
    )


@router.get(
    "/wallets", response=list[WalletOut], operation_id="wallet_list", summary="My wallets and balances"
)
@capability(Cap.SELF_SERVICE)
def wallet_list(request: HttpRequest) -> list[WalletOut]:
    from . import currency
    from .money import from_minor

    return [
        WalletOut(
            id=b.wallet.public_id,
            name=b.wallet.name,
            kind=b.wallet.kind,
            currency=b.wallet.currency,
            balance=str(from_minor(b.balance.minor, currency.exponent(b.wallet.currency))),
            balance_idr=str(b.balance.idr) if b.balance.idr is not None else None,
        )
        for b in selectors.wallet_balances(user=_user(request))
    ]


class EntryIn(Schema):
    id: uuid.UUID = Field(description="Made by the phone (UUID v4); sending it again stores nothing new")
    base_version: int = Field(0, ge=0, description="The version the edit was made against; 0 for a new entry")
    deleted: bool = False
    wallet: uuid.UUID | None = None
    category: str = Field("", max_length=24)
    amount: str = Field("", max_length=30, description="In the wallet's currency, e.g. 1500 or 1.500,50")
    fee: str = Field("", max_length=30)
    occurred_on: str = Field("", max_length=10, description="YYYY-MM-DD")
    note: str = Field("", max_length=2000)
    goal: uuid.UUID | None = None
    debt: uuid.UUID | None = None
    provider: str = Field("", max_length=200)
    rate_received: str = Field("", max_length=30, description="Rupiah received for one unit sent")
    received: str = Field("", max_length=30, description="Or: rupiah the family received")
    sending_country: str = Field("", max_length=2)


class SyncIn(Schema):
    items: list[EntryIn] = Field(..., max_length=actions.MAX_BATCH)


class EntryResultOut(Schema):
    id: uuid.UUID
    status: str = Field(description="created | updated | unchanged | deleted | conflict | invalid")
    version: int | None
    errors: dict[str, list[str]]
    server: dict[str, str | int] | None = Field(
        description="The saved entry, when the item conflicts with it"
    )
    tip: str


class SyncOut(Schema):
    results: list[EntryResultOut]
    counts: dict[str, int]


@router.post("/sync", response=SyncOut, operation_id="entry_sync", summary="Send entries queued on the phone")
@capability(Cap.SELF_SERVICE)
def entry_sync(request: HttpRequest, payload: SyncIn) -> SyncOut:
    items = [
        actions.EntryItem(
            id=i.id,
            base_version=i.base_version,
            deleted=i.deleted,
            wallet=i.wallet,
            category=i.category,
            amount=i.amount,
            fee=i.fee,
            occurred_on=i.occurred_on,
            note=i.note,
            goal=i.goal,
            debt=i.debt,
            provider=i.provider,
            rate_received=i.rate_received,
            received=i.received,
            sending_country=i.sending_country,
        )
        for i in payload.items
    ]
    try:
        summary = actions.do_sync_entries(owner=_user(request), items=items)
    except actions.FinanceInputError as error:
        raise HttpError(422, " ".join(m for ms in error.errors.values() for m in ms)) from error
    return SyncOut(
        results=[
            EntryResultOut(
                id=r.id, status=r.status, version=r.version, errors=r.errors, server=r.server, tip=r.tip
            )
            for r in summary.results
        ],
        counts=summary.counts(),
    )


class EntryOut(Schema):
    id: str
    version: int
    wallet: str
    category: str
    kind: str
    amount: str
    fee: str
    currency: str
    occurred_on: str
    note: str
    goal: str
    debt: str
    provider: str
    rate_received: str
    received: str
    sending_country: str


class MonthQuery(Schema):
    month: str = Field("", pattern=r"^(\d{4}-\d{2})?$", description="YYYY-MM (default: this month)")


def _month(text: str) -> dt.date:
    if not text:
        return timezone.localdate().replace(day=1)
    year, month = (int(p) for p in text.split("-"))
    try:
        return dt.date(year, month, 1)
    except ValueError as exc:
        raise HttpError(422, "month") from exc


@router.get("/entries", response=list[EntryOut], operation_id="entry_list", summary="My entries of one month")
@capability(Cap.SELF_SERVICE)
def entry_list(request: HttpRequest, filters: Query[MonthQuery]) -> list[EntryOut]:
    month = _month(filters.month)
    return [
        EntryOut(**actions.entry_as_dict(e)) for e in selectors.list_entries(user=_user(request), month=month)
    ]


class CategoryOut(Schema):
    category: str
    by_currency: dict[str, str]
    idr: str = Field(description="Exact rupiah equivalent (reference rate of each entry's day), unrounded")


class SummaryOut(Schema):
    month: str
    money_in: dict[str, str]
    money_out: dict[str, str]
    money_in_idr: str
    money_out_idr: str
    spending: list[CategoryOut]
    income: list[CategoryOut]
    missing_rate: bool


@router.get("/summary", response=SummaryOut, operation_id="month_summary", summary="My month in figures")
@capability(Cap.SELF_SERVICE)
def month_summary(request: HttpRequest, filters: Query[MonthQuery]) -> SummaryOut:
    from . import currency
    from .money import from_minor

    report = selectors.monthly_report(user=_user(request), month=_month(filters.month), trend_months=1)

    def amounts(total: selectors.MultiAmount) -> dict[str, str]:
        return {c: str(from_minor(m, currency.exponent(c))) for c, m in sorted(total.by_currency.items())}

    return SummaryOut(
        month=f"{report.month:%Y-%m}",
        money_in=amounts(report.money_in),
        money_out=amounts(report.money_out),
        money_in_idr=str(report.money_in.idr),
        money_out_idr=str(report.money_out.idr),
        spending=[
            CategoryOut(category=c.code, by_currency=amounts(c.total), idr=str(c.total.idr))
            for c in report.spending
        ],
        income=[
            CategoryOut(category=c.code, by_currency=amounts(c.total), idr=str(c.total.idr))
            for c in report.income
        ],
        missing_rate=report.missing_rate,
    )
