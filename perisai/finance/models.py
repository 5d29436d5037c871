"""A migrant's own finances (hers alone: no staff role opens them) and the reference data they are compared
with (exchange rates, placement-fee ceilings, World Bank corridor costs), which administrators maintain.

Money is stored as integers of the currency's minor units next to the ISO 4217 code (`perisai.finance.money`);
rates are exact decimals. Her records carry a public UUID (made by the phone for offline entries) and a
version number, so that an edit made offline against an older version is shown as a conflict.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import categories


class Wallet(models.Model):
    class Kind(models.TextChoices):
        CASH = "cash", _("Cash")
        BANK = "bank", _("Bank account")
        EWALLET = "ewallet", _("E-wallet")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CASH)
    currency = models.CharField(_("currency"), max_length=3)
    archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("wallet")
        verbose_name_plural = _("wallets")
        ordering: ClassVar = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.currency})"


class Goal(models.Model):
    """A savings goal (capital for a business at home, a child's school fees). Progress = the amount she had
    already saved when she set it plus every entry she links to it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("goal"), max_length=80)
    target_minor = models.BigIntegerField(_("target"))
    saved_before_minor = models.BigIntegerField(_("already saved"), default=0)
    currency = models.CharField(_("currency"), max_length=3)
    target_date = models.DateField(_("by when"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("savings goal")
        verbose_name_plural = _("savings goals")
        ordering: ClassVar = ["created_at", "id"]

    def __str__(self) -> str:
        return f"goal {self.public_id}"


class Debt(models.Model):
    """Money she owes: a placement-fee loan, an advance on salary, a loan from family or a lender."""

    class Kind(models.TextChoices):
        PLACEMENT_FEE = "placement_fee", _("Placement fee (agency or recruitment costs)")
        SALARY_ADVANCE = "salary_advance", _("Salary advance or deduction by the employer")
        FAMILY = "family", _("Loan from family or friends")
        BANK = "bank", _("Bank or cooperative loan (e.g. KUR)")
        MONEYLENDER = "moneylender", _("Moneylender")
        OTHER = "other", _("Other debt")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind of debt"), max_length=24, choices=Kind.choices)
    lender = models.CharField(_("lender"), max_length=120, blank=True)
    principal_minor = models.BigIntegerField(_("amount owed"))
    currency = models.CharField(_("currency"), max_length=3)
    destination_country = models.CharField(_("country of work"), max_length=2, blank=True)
    sector = models.CharField(_("sector of work"), max_length=24, blank=True)
    monthly_income_minor = models.BigIntegerField(_("monthly income"), null=True, blank=True)
    income_currency = models.CharField(_("income currency"), max_length=3, blank=True)
    first_due = models.DateField(_("first payment due"))
    instalments = models.PositiveSmallIntegerField(_("number of monthly payments"), default=1)
    instalment_minor = models.BigIntegerField(_("monthly payment"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("debt")
        verbose_name_plural = _("debts")
        ordering: ClassVar = ["created_at", "id"]

    def __str__(self) -> str:
        return f"debt {self.public_id}"


class Recurrence(models.Model):
    """A monthly entry (salary, remittance) that the periodic task writes on its day, once."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    wallet = models.ForeignKey(Wallet, on_delete=models.CASCADE, related_name="recurrences")
    category = models.CharField(_("category"), max_length=24)
    amount_minor = models.BigIntegerField(_("amount"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    day_of_month = models.PositiveSmallIntegerField(_("day of the month"))
    next_on = models.DateField(_("next on"), db_index=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("monthly entry")
        verbose_name_plural = _("monthly entries")
        ordering: ClassVar = ["day_of_month", "id"]

    def __str__(self) -> str:
        return f"recurrence {self.public_id}"


class Entry(models.Model):
    """Money in or out of a wallet. `fee_minor` is paid on top (a transfer fee), in the same currency."""

    class Kind(models.TextChoices):
        IN = categories.IN, _("Money in")
        OUT = categories.OUT, _("Money out")

    public_id = models.UUIDField(unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    wallet = models.ForeignKey(Wallet, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("in or out"), max_length=3, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=24)
    amount_minor = models.BigIntegerField(_("amount"))
    fee_minor = models.BigIntegerField(_("fee"), default=0)
    currency = models.CharField(_("currency"), max_length=3)
    occurred_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    goal = models.ForeignKey(Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries")
    debt = models.ForeignKey(Debt, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries")
    recurrence = models.ForeignKey(
        Recurrence, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering: ClassVar = ["-occurred_on", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["owner", "occurred_on"]),
            models.Index(fields=["owner", "category", "occurred_on"]),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(condition=models.Q(amount_minor__gt=0), name="finance_entry_positive"),
            models.CheckConstraint(
                condition=models.Q(fee_minor__gte=0), name="finance_entry_fee_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"entry {self.public_id}"


class Remittance(models.Model):
    """The details of a transfer home (an entry in "sending home"): what the family received and its cost."""

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, primary_key=True, related_name="remittance")
    provider = models.CharField(_("provider"), max_length=80, blank=True)
    sending_country = models.CharField(_("sent from"), max_length=2, blank=True, db_index=True)
    rate_received = models.DecimalField(_("rate received"), max_digits=15, decimal_places=6)
    received_minor = models.BigIntegerField(_("received in rupiah"))
    reference_rate = models.DecimalField(_("reference rate"), max_digits=15, decimal_places=6, null=True)
    cost_percent = models.DecimalField(_("true cost"), max_digits=12, decimal_places=6, null=True)

    class Meta:
        verbose_name = _("transfer home")
        verbose_name_plural = _("transfers home")

    def __str__(self) -> str:
        return f"remittance {self.entry_id}"


class Budget(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))  # the first day of the month
    category = models.CharField(_("category"), max_length=24)
    amount_minor = models.BigIntegerField(_("budget"))
    currency = models.CharField(_("currency"), max_length=3)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["owner", "month", "category"], name="finance_budget_one_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"budget {self.pk}"


# ---- reference data, maintained by administrators ----


class ExchangeRate(models.Model):
    """Reference (mid-market) rate: rupiah for one unit of the currency, valid from a date until the next."""

    currency = models.CharField(_("currency"), max_length=3)
    valid_on = models.DateField(_("valid from"))
    idr_per_unit = models.DecimalField(_("rupiah per unit"), max_digits=15, decimal_places=6)
    source = models.CharField(_("source"), max_length=120, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering: ClassVar = ["currency", "-valid_on"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["currency", "valid_on"], name="finance_rate_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.valid_on}: {self.idr_per_unit}"


class PlacementFeeCeiling(models.Model):
    """The most a worker may be charged for placement in a country and sector (blank sector: any sector).
    Authored reference data to be verified and kept current by the operator."""

    country = models.CharField(_("country of work"), max_length=2)
    sector = models.CharField(_("sector"), max_length=24, blank=True)
    amount_minor = models.BigIntegerField(_("ceiling"))
    currency = models.CharField(_("currency"), max_length=3, default="IDR")
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    note = models.CharField(_("note"), max_length=500, blank=True)
    verified = models.BooleanField(_("verified by the operator"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("placement-fee ceiling")
        verbose_name_plural = _("placement-fee ceilings")
        ordering: ClassVar = ["country", "sector"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["country", "sector"], name="finance_ceiling_one_per_sector")
        ]

    def __str__(self) -> str:
        return f"{self.country}/{self.sector or '*'}"


class CorridorCost(models.Model):
    """World Bank Remittance Prices Worldwide: average total cost (% of USD 200) per corridor and quarter."""

    sending_country = models.CharField(_("sending country"), max_length=2, db_index=True)
    sending_iso3 = models.CharField(max_length=3)
    receiving_iso3 = models.CharField(max_length=3, default="IDN")
    series_code = models.CharField(max_length=20)
    quarter = models.CharField(_("quarter"), max_length=6)  # 2020Q3
    average_cost_percent = models.DecimalField(_("average cost"), max_digits=17, decimal_places=14)

    class Meta:
        verbose_name = _("corridor cost")
        verbose_name_plural = _("corridor costs")
        ordering: ClassVar = ["sending_country", "quarter"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["sending_iso3", "receiving_iso3", "series_code", "quarter"],
                name="finance_corridor_one_per_quarter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sending_iso3}->{self.receiving_iso3} {self.quarter}"
