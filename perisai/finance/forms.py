"""Forms of the finance pages. They only parse; the actions check the money and report every problem. The
entry form's field names are the offline queue's item fields, so the page and the phone send the same thing.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.registry.models import Sector

from . import categories
from .actions import DebtInput, EntryItem, GoalInput, RecurrenceInput
from .models import Debt, Wallet


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # noqa: S101
    return field


class CategoryWidget(forms.RadioSelect):
    template_name = "finance/widgets/categories.html"
    option_template_name = "finance/widgets/category_option.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["icons"] = {c.code: c.icon for c in categories.CATEGORIES}
        return context


def country_choices() -> list[tuple[str, str]]:
    from perisai.places.models import Country

    return [("", "—")] + [(c.iso2, str(c)) for c in Country.objects.exclude(iso2="ID").order_by("name")]


class EntryForm(forms.Form):
    id = forms.UUIDField(widget=forms.HiddenInput)
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    category = forms.ChoiceField(label=_("What for?"), choices=categories.choices(), widget=CategoryWidget)
    amount = forms.CharField(
        label=_("Amount"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "enterkeyhint": "done"}),
    )
    wallet = forms.ChoiceField(label=_("Wallet"), choices=())
    occurred_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)
    fee = forms.CharField(
        label=_("Fee paid (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    provider = forms.CharField(label=_("Sent with (bank, post office, app)"), max_length=80, required=False)
    rate_received = forms.CharField(
        label=_("Rate you got (rupiah for 1 unit)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    received = forms.CharField(
        label=_("Or: rupiah your family received"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    sending_country = forms.ChoiceField(label=_("Sent from (country)"), choices=(), required=False)
    goal = forms.ChoiceField(label=_("For savings goal"), choices=(), required=False)
    debt = forms.ChoiceField(label=_("Repays debt"), choices=(), required=False)

    def __init__(
        self,
        *args: Any,
        wallets: list[Wallet],
        goals: list[tuple[str, str]],
        debts: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "wallet").choices = [(str(w.public_id), f"{w.name} ({w.currency})") for w in wallets]
        if len(wallets) == 1:
            self.fields["wallet"].widget = forms.HiddenInput()
        _choices(self, "goal").choices = [("", "—"), *goals]
        _choices(self, "debt").choices = [("", "—"), *debts]
        _choices(self, "sending_country").choices = country_choices()
        if not self.is_bound:
            self.initial.setdefault("id", uuid.uuid4())
            self.initial.setdefault("occurred_on", timezone.localdate())
            self.initial.setdefault("base_version", 0)
            if wallets:
                self.initial.setdefault("wallet", str(wallets[0].public_id))

    def to_item(self, *, deleted: bool = False) -> EntryItem:
        data = self.cleaned_data
        return EntryItem(
            id=data["id"],
            base_version=data.get("base_version") or 0,
            deleted=deleted,
            wallet=data.get("wallet") or None,
            category=data["category"],
            amount=data["amount"],
            occurred_on=data["occurred_on"],
            note=data.get("note") or "",
            fee=data.get("fee") or "",
            provider=data.get("provider") or "",
            rate_received=data.get("rate_received") or "",
            received=data.get("received") or "",
            sending_country=data.get("sending_country") or "",
            goal=data.get("goal") or None,
            debt=data.get("debt") or None,
        )


class WalletForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60, initial=_("Cash"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Wallet.Kind.choices, initial=Wallet.Kind.CASH)
    currency = forms.ChoiceField(label=_("Currency"), choices=())

    def __init__(self, *args: Any, currencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "currency").choices = currencies


class BudgetForm(forms.Form):
    category = forms.ChoiceField(label=_("Spending on"), choices=categories.choices(categories.OUT))
    amount = forms.CharField(
        label=_("Budget for the month (empty: no budget)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class GoalForm(forms.Form):
    name = forms.CharField(label=_("What are you saving for?"), max_length=80)
    target = forms.CharField(
        label=_("Amount needed"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=())
    saved_before = forms.CharField(
        label=_("Already saved (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    target_date = forms.DateField(
        label=_("By when (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, currencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "currency").choices = currencies

    def to_input(self) -> GoalInput:
        d = self.cleaned_data
        return GoalInput(
            name=d["name"],
            target=d["target"],
            currency=d["currency"],
            saved_before=d.get("saved_before") or "",
            target_date=d.get("target_date"),
        )


class DebtForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of debt"), choices=Debt.Kind.choices)
    lender = forms.CharField(label=_("Owed to (agency, person, bank)"), max_length=120, required=False)
    principal = forms.CharField(
        label=_("Amount owed"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=())
    destination_country = forms.ChoiceField(label=_("Country where you work"), choices=(), required=False)
    sector = forms.ChoiceField(label=_("Your work"), choices=[("", "—"), *Sector.choices], required=False)
    monthly_income = forms.CharField(
        label=_("Your monthly salary (to compare)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    income_currency = forms.ChoiceField(label=_("Salary currency"), choices=(), required=False)
    instalments = forms.IntegerField(
        label=_("Number of monthly payments"), min_value=1, max_value=240, initial=1
    )
    instalment = forms.CharField(
        label=_("Monthly payment (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    first_due = forms.DateField(
        label=_("First payment due"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("Note (optional)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, currencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "currency").choices = currencies
        _choices(self, "income_currency").choices = [("", "—"), *currencies]
        _choices(self, "destination_country").choices = country_choices()

    def to_input(self) -> DebtInput:
        d = self.cleaned_data
        return DebtInput(
            kind=d["kind"],
            principal=d["principal"],
            currency=d["currency"],
            first_due=d.get("first_due"),
            instalments=d.get("instalments") or 1,
            instalment=d.get("instalment") or "",
            lender=d.get("lender") or "",
            destination_country=d.get("destination_country") or "",
            sector=d.get("sector") or "",
            monthly_income=d.get("monthly_income") or "",
            income_currency=d.get("income_currency") or "",
            note=d.get("note") or "",
        )


class RecurrenceForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What"),
        choices=[
            (c, str(categories.label(c)))
            for c in ("salary", "sending_home", "rent", "loan_repayment", "savings", "phone")
        ]
        + [
            (c.code, c.label)
            for c in categories.CATEGORIES
            if c.code not in ("salary", "sending_home", "rent", "loan_repayment", "savings", "phone")
        ],
    )
    amount = forms.CharField(
        label=_("Amount"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    wallet = forms.ChoiceField(label=_("Wallet"), choices=())
    day_of_month = forms.IntegerField(label=_("Day of the month"), min_value=1, max_value=31, initial=1)
    starts_on = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)

    def __init__(self, *args: Any, wallets: list[Wallet], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "wallet").choices = [(str(w.public_id), f"{w.name} ({w.currency})") for w in wallets]
        if not self.is_bound:
            self.initial.setdefault("starts_on", timezone.localdate())

    def to_input(self) -> RecurrenceInput:
        d = self.cleaned_data
        return RecurrenceInput(
            wallet=d["wallet"],
            category=d["category"],
            amount=d["amount"],
            day_of_month=d["day_of_month"],
            starts_on=d["starts_on"],
            ends_on=d.get("ends_on"),
            note=d.get("note") or "",
        )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file exported from Perisai"))


class EraseForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, delete all my money records for ever"), required=True)


class RateForm(forms.Form):
    currency = forms.CharField(label=_("Currency code"), max_length=3)
    valid_on = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    rate = forms.CharField(label=_("Rupiah for 1 unit"), max_length=30)


class RatesImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file: currency, valid_on, idr_per_unit[, source]"))


class CeilingForm(forms.Form):
    country = forms.ChoiceField(label=_("Country of work"), choices=())
    sector = forms.ChoiceField(
        label=_("Sector (empty: any)"), choices=[("", "—"), *Sector.choices], required=False
    )
    amount = forms.CharField(label=_("Ceiling"), max_length=30)
    currency = forms.CharField(label=_("Currency code"), max_length=3, initial="IDR")
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300)
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    verified = forms.BooleanField(label=_("Verified against the regulation"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "country").choices = country_choices()
