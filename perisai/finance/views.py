"""Her money pages. Every page requires Cap.SELF_SERVICE (the migrant role only) and reads through the
selectors, which filter on her account: no staff role, administrators included, can open them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from perisai.core.forms import add_action_errors as _add_errors
from perisai.core.models import User
from perisai.core.permissions import requires
from perisai.core.roles import Cap

from . import actions, categories, charts, currency, exports, selectors, tips
from .forms import (
    BudgetForm,
    DebtForm,
    EntryForm,
    EraseForm,
    GoalForm,
    ImportForm,
    RecurrenceForm,
    WalletForm,
)
from .models import Debt

TRANSFERS_SHOWN = 24  # the latest two years of monthly transfers; her download has them all
COMMON_CURRENCIES = [
    "MYR",
    "SGD",
    "HKD",
    "TWD",
    "SAR",
    "AED",
    "QAR",
    "KWD",
    "OMR",
    "BND",
    "KRW",
    "JPY",
    "USD",
    "IDR",
]


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # pragma: no cover - @requires has already sent anonymous users away
        raise PermissionDenied
    return user


def owner_tag(user: User) -> str:
    """An opaque tag of the account, kept with each entry queued on the phone, so that a queue is never sent
    to another account signed in on the same phone. Not reversible to the account."""
    return salted_hmac("perisai.finance.owner", str(user.pk)).hexdigest()[:20]


def currency_choices(first: str = "") -> list[tuple[str, str]]:
    codes = [c for c, _l in currency.choices()]
    top = [c for c in [first, *COMMON_CURRENCIES] if c and c in codes]
    seen: set[str] = set()
    ordered = [c for c in top + codes if not (c in seen or seen.add(c))]  # type: ignore[func-returns-value]
    return [(c, c) for c in ordered]


def _month_param(request: HttpRequest) -> dt.date:
    text = request.GET.get("bulan", "")
    try:
        year, month = (int(p) for p in text.split("-", 1))
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        return timezone.localdate().replace(day=1)


def _entry_form(
    request: HttpRequest, user: User, data: Any = None, initial: dict[str, Any] | None = None
) -> EntryForm:
    wallets = list(selectors.list_wallets(user=user))
    goals = [(str(g.public_id), g.name) for g in selectors.list_goals(user=user)]
    debts = [
        (str(d.public_id), d.get_kind_display() + (" \u2013 " + d.lender if d.lender else ""))
        for d in selectors.list_debts(user=user)
    ]
    form = EntryForm(data, wallets=wallets, goals=goals, debts=debts, initial=initial or {})
    if not form.is_bound:
        home = actions._home_country(user)
        form.initial.setdefault("sending_country", home)
    return form


def _context(user: User, **extra: Any) -> dict[str, Any]:
    return {
        "owner_tag": owner_tag(user),
        "category_labels": {c.code: str(c.label) for c in categories.CATEGORIES},
        **extra,
    }


def _apply_entry(
    request: HttpRequest, user: User, form: EntryForm, *, deleted: bool = False
) -> actions.SyncResult | None:
    summary = actions.do_sync_entries(owner=user, items=[form.to_item(deleted=deleted)], source="page")
    result = summary.results[0]
    if result.status == "invalid":
        for name, problems in result.errors.items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
        return None
    return result


# ---- home, quick entry, entries ----


@requires(Cap.SELF_SERVICE)
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not selectors.has_any_data(user=user):
        return redirect("finance:wallets")
    month = timezone.localdate().replace(day=1)
    report = selectors.monthly_report(user=user, month=month, trend_months=1)
    return render(
        request,
        "finance/home.html",
        _context(
            user,
            balances=selectors.wallet_balances(user=user),
            report=report,
            rows=selectors.with_idr(list(selectors.list_entries(user=user, limit=8))),
        ),
    )


@requires(Cap.SELF_SERVICE)
@require_http_methods(["GET", "POST"])
def quick(request: HttpRequest) -> HttpResponse:
    """Quick entry in three taps: what for, how much, save. Works offline through the page's script (the
    entry is queued on the phone) and without JavaScript (a plain form post)."""
    user = _user(request)
    if not selectors.has_any_data(user=user):
        return redirect("finance:wallets")
    form = _entry_form(request, user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = _apply_entry(request, user, form)
        if result is not None and result.status == "conflict":
            return render(request, "finance/conflict.html", _context(user, result=result, form=form))
        if result is not None:
            messages.success(request, _("Saved."))
            if result.tip:
                messages.info(request, result.tip)
            return redirect("finance:quick")
    return render(request, "finance/quick.html", _context(user, form=form))


@requires(Cap.SELF_SERVICE)
def entries(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    month = _month_param(request)
    rows = selectors.with_idr(list(selectors.list_entries(user=user, month=month)))
    return render(
        request,
        "finance/entries.html",
        _context(
            user,
            month=month,
            previous=(month - dt.timedelta(days=1)).replace(day=1),
            next=(month + dt.timedelta(days=32)).replace(day=1),
            rows=rows,
        ),
    )


@requires(Cap.SELF_SERVICE)
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    entry = selectors.access_entry_by_id(user=user, public_id=public_id)
    stored = actions.entry_as_dict(entry)
    initial = {**stored, "base_version": entry.version, "occurred_on": entry.occurred_on}
    form = _entry_form(request, user, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if str(form.cleaned_data["id"]) != str(entry.public_id):
            raise PermissionDenied
        result = _apply_entry(request, user, form, deleted="delete" in request.POST)
        if result is not None and result.status == "conflict":
            return render(request, "finance/conflict.html", _context(user, result=result, form=form))
        if result is not None:
            messages.success(request, _("Deleted.") if result.status == "deleted" else _("Saved."))
            return redirect(reverse("finance:entries") + f"?bulan={entry.occurred_on:%Y-%m}")
    return render(request, "finance/entry_edit.html", _context(user, form=form, entry=entry))


# ---- wallets ----


@requires(Cap.SELF_SERVICE)
@require_http_methods(["GET", "POST"])
def wallets(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    default = selectors.default_currency(user=user)
    form = WalletForm(
        request.POST or None, currencies=currency_choices(default), initial={"currency": default}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_create_wallet(
                owner=user,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                currency_code=form.cleaned_data["currency"],
            )
        except actions.FinanceInputError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Wallet added."))
            return redirect("finance:home")
    return render(
        request,
        "finance/wallets.html",
        _context(
            user,
            form=form,
            balances=selectors.wallet_balances(user=user),
            archived=selectors.list_wallets(user=user, include_archived=True).filter(archived=True),
        ),
    )


@requires(Cap.SELF_SERVICE)
@require_POST
def wallet_archive(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    wallet = selectors.access_wallet_by_id(user=user, public_id=public_id)
    actions.do_archive_wallet(owner=user, wallet=wallet, archived=not wallet.archived)
    return redirect("finance:wallets")


# ---- budgets, goals ----


@requires(Cap.SELF_SERVICE)
@require_http_methods(["GET", "POST"])
def budgets(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    month = _month_param(request)
    code = selectors.default_currency(user=user)
    form = BudgetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_budget(
                owner=user,
                month=month,
                category=form.cleaned_data["category"],
                amount=form.cleaned_data["amount"],
                currency_code=code,
            )
        except actions.FinanceInputError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Budget saved."))
            return redirect(reverse("finance:budgets") + f"?bulan={month:%Y-%m}")
    report = selectors.monthly_report(user=user, month=month, trend_months=1)
    return render(
        request,
        "finance/budgets.html",
        _context(user, form=form, month=month, report=report, currency_code=code),
    )


@requires(Cap.SELF_SERVICE)
@require_http_methods(["GET", "POST"])
def goals(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    default = selectors.default_currency(user=user)
    form = GoalForm(request.POST or None, currencies=currency_choices(default), initial={"currency": default})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_create_goal(owner=user, data=form.to_input())
        except actions.FinanceInputError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Goal added."))
            messages.info(request, tips.tip("goal"))
            return redirect("finance:goals")
    return render(
        request,
        "finance/goals.html",
        _context(user, form=form, progress=selectors.goal_progress(user=user)),
    )


@requires(Cap.SELF_SERVICE)
@require_POST
def goal_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    actions.do_delete_goal(owner=user, goal=selectors.access_goal_by_id(user=user, public_id=public_id))
    messages.success(request, _("Deleted."))
    return redirect("finance:goals")


# ---- debts ----


@requires(Cap.SELF_SERVICE)
@require_http_methods(["GET", "POST"])
def debts(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    default = selectors.default_currency(user=user)
    from perisai.registry.selectors import own_person

    person = own_person(user=user)
    initial = {
        "currency": "IDR",
        "income_currency": default,
        "kind": Debt.Kind.PLACEMENT_FEE,
        "destination_country": person.country_id if person else "",
        "sector": person.sector if person else "",
        "first_due": timezone.localdate(),
    }
    form = DebtForm(request.POST or None, currencies=currency_choices(default), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            debt, check = actions.do_create_debt(owner=user, data=form.to_input())
        except actions.FinanceInputError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Debt added."))
            if check.over:
                messages.warning(request, tips.tip("placement_fee_over"))
            return redirect("finance:debt_detail", public_id=debt.public_id)
    views = [selectors.debt_view(debt=d) for d in selectors.list_debts(user=user)]
    return render(request, "finance/debts.html", _context(user, form=form, debts=views))


@requires(Cap.SELF_SERVICE)
def debt_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    debt = selectors.access_debt_by_id(user=user, public_id=public_id)
    return render(request, "finance/debt_detail.html", _context(user, view=selectors.debt_view(debt=debt)))


@requires(Cap.SELF_SERVICE)
@require_POST
def debt_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    actions.do_delete_debt(owner=user, debt=selectors.access_debt_by_id(user=user, public_id=public_id))
    messages.success(request, _("Deleted."))
    return redirect("finance:debts")


# ---- transfers home, monthly entries ----


@requires(Cap.SELF_SERVICE)
def transfers(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    transfers = selectors.list_transfers(user=user)
    return render(
        request,
        "finance/transfers.html",
        _context(user, transfers=transfers[:TRANSFERS_SHOWN], more=max(0, len(transfers) - TRANSFERS_SHOWN)),
    )


@requires(Cap.SELF_SERVICE)
@require_http_methods(["GET", "POST"])
def recurrences(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    wallets = list(selectors.list_wallets(user=user))
    form = RecurrenceForm(request.POST or None, wallets=wallets)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_create_recurrence(owner=user, data=form.to_input())
        except actions.FinanceInputError as error:
            _add_errors(form, error)
        else:
            actions.do_materialise_recurrences()
            messages.success(request, _("Monthly entry added."))
            messages.info(request, tips.tip("recurring"))
            return redirect("finance:recurrences")
    return render(
        request,
        "finance/recurrences.html",
        _context(user, form=form, rows=selectors.list_recurrences(user=user), has_wallets=bool(wallets)),
    )


@requires(Cap.SELF_SERVICE)
@require_POST
def recurrence_stop(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    actions.do_stop_recurrence(
        owner=user, recurrence=selectors.access_recurrence_by_id(user=user, public_id=public_id)
    )
    messages.success(request, _("Stopped."))
    return redirect("finance:recurrences")


# ---- report ----


@requires(Cap.SELF_SERVICE)
def report(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    month = _month_param(request)
    data = selectors.monthly_report(user=user, month=month)
    return render(
        request,
        "finance/report.html",
        _context(
            user,
            report=data,
            month=month,
            previous=(month - dt.timedelta(days=1)).replace(day=1),
            next=(month + dt.timedelta(days=32)).replace(day=1),
            spending_chart=charts.category_bars(data.spending, title=_("Spending by category")),
            trend_chart=charts.trend(data.trend, title=_("Money in and out, month by month")),
            sent_chart=charts.sent_home(data.sent_home_months, title=_("Sent home this year, by month")),
        ),
    )


# ---- her data: export, import, delete everything ----


@requires(Cap.SELF_SERVICE)
def data(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "finance/data.html",
        _context(
            user,
            counts=selectors.count_records(user=user),
            import_form=ImportForm(),
            erase_form=EraseForm(),
            consent=selectors.statistics_consent(user=user),
        ),
    )


@requires(Cap.SELF_SERVICE)
def export(request: HttpRequest) -> StreamingHttpResponse:
    user = _user(request)
    response = StreamingHttpResponse(
        exports.export_csv_lines(owner=user), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="perisai-keuangan-{timezone.localdate():%Y%m%d}.csv"'
    )
    return response


@requires(Cap.SELF_SERVICE)
@require_POST
def import_csv(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ImportForm(request.POST, request.FILES)
    result = None
    if form.is_valid():
        try:
            result = exports.do_import_csv(owner=user, raw=form.cleaned_data["file"].read())
        except exports.ImportFileError as error:
            form.add_error("file", str(error))
    return render(
        request,
        "finance/data.html",
        _context(
            user,
            counts=selectors.count_records(user=user),
            import_form=form,
            erase_form=EraseForm(),
            import_result=result,
            consent=selectors.statistics_consent(user=user),
        ),
    )


@requires(Cap.SELF_SERVICE)
@require_POST
def erase(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = EraseForm(request.POST)
    if form.is_valid():
        actions.do_erase_finances(owner=user)
        messages.success(request, _("All your money records are deleted."))
        return redirect(reverse("finance:wallets") + "?terhapus=1")
    return render(
        request,
        "finance/data.html",
        _context(
            user,
            counts=selectors.count_records(user=user),
            import_form=ImportForm(),
            erase_form=form,
            consent=selectors.statistics_consent(user=user),
        ),
    )
