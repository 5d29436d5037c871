"""Her data as one CSV file, and back. Every record keeps its UUID, so importing a file twice (or importing
it into the account it came from) changes nothing, and an export, a "delete everything" and an import of
that export give back the same export. Amounts are exact decimal strings in the record's currency.

Columns: ``record`` says what a row is (wallet, goal, debt, recurrence, budget, entry); each record uses the
columns that apply to it and leaves the others empty. A text that a spreadsheet would run as a formula
(starting with = + - @) is written with a leading apostrophe, which the import removes.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from perisai.core import audit
from perisai.core.models import User

from . import actions, currency
from .models import Budget, Debt, Entry, Goal, Recurrence, Wallet
from .money import from_minor

COLUMNS = [
    "record", "id", "wallet", "name", "kind", "category", "currency", "amount", "fee", "date", "note",
    "goal", "debt", "provider", "rate_received", "received_idr", "sending_country", "target", "saved_before",
    "instalments", "instalment", "destination_country", "sector", "monthly_income", "income_currency",
    "day_of_month", "ends_on", "archived", "active",
]  # fmt: skip
ORDER = ["wallet", "goal", "debt", "recurrence", "budget", "entry"]
MAX_BYTES = 20 * 1024 * 1024
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA) else value


def _unsafe(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:2] in FORMULA and len(value) > 1 else value


def _money(minor: int | None, code: str) -> str:
    if minor is None:
        return ""
    return str(from_minor(minor, currency.exponent(code)))


def export_rows(*, owner: User) -> Iterator[dict[str, str]]:
    for w in Wallet.objects.filter(owner=owner).order_by("created_at", "id"):
        yield {"record": "wallet", "id": str(w.public_id), "name": w.name, "kind": w.kind,
               "currency": w.currency, "archived": "1" if w.archived else "0"}  # fmt: skip
    for g in Goal.objects.filter(owner=owner).order_by("created_at", "id"):
        yield {"record": "goal", "id": str(g.public_id), "name": g.name, "currency": g.currency,
               "target": _money(g.target_minor, g.currency), "saved_before": _money(g.saved_before_minor, g.currency),
               "date": g.target_date.isoformat() if g.target_date else ""}  # fmt: skip
    for d in Debt.objects.filter(owner=owner).order_by("created_at", "id"):
        yield {"record": "debt", "id": str(d.public_id), "kind": d.kind, "name": d.lender, "currency": d.currency,
               "amount": _money(d.principal_minor, d.currency), "date": d.first_due.isoformat(),
               "instalments": str(d.instalments), "instalment": _money(d.instalment_minor, d.currency),
               "destination_country": d.destination_country, "sector": d.sector,
               "monthly_income": _money(d.monthly_income_minor, d.income_currency or d.currency)
               if d.monthly_income_minor else "",
               "income_currency": d.income_currency, "note": d.note}  # fmt: skip
    for r in Recurrence.objects.filter(owner=owner).select_related("wallet").order_by("created_at", "id"):
        yield {"record": "recurrence", "id": str(r.public_id), "wallet": str(r.wallet.public_id),
               "category": r.category, "currency": r.wallet.currency,
               "amount": _money(r.amount_minor, r.wallet.currency), "day_of_month": str(r.day_of_month),
               "date": r.next_on.isoformat(), "ends_on": r.ends_on.isoformat() if r.ends_on else "",
               "note": r.note, "active": "1" if r.active else "0"}  # fmt: skip
    for b in Budget.objects.filter(owner=owner).order_by("month", "category"):
        yield {"record": "budget", "category": b.category, "currency": b.currency,
               "amount": _money(b.amount_minor, b.currency), "date": b.month.isoformat()}  # fmt: skip
    entries = (
        Entry.objects.filter(owner=owner)
        .select_related("wallet", "goal", "debt", "remittance")
        .order_by("occurred_on", "created_at", "id")
    )
    for e in entries.iterator(chunk_size=2000):
        data = actions.entry_as_dict(e)
        yield {"record": "entry", "id": data["id"], "wallet": data["wallet"], "category": e.category,
               "currency": e.currency, "amount": data["amount"], "fee": data["fee"], "date": data["occurred_on"],
               "note": e.note, "goal": data["goal"], "debt": data["debt"], "provider": data["provider"],
               "rate_received": data["rate_received"], "received_idr": data["received"],
               "sending_country": data["sending_country"]}  # fmt: skip


def export_csv_lines(*, owner: User) -> Iterator[str]:
    audit.record(actor=owner, action="finance.export", object_type="finance")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="raise", lineterminator="\r\n")
    writer.writeheader()
    yield "\ufeff" + buffer.getvalue()
    for row in export_rows(owner=owner):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow({k: _safe(v) for k, v in row.items()})
        yield buffer.getvalue()


def export_csv(*, owner: User) -> str:
    return "".join(export_csv_lines(owner=owner))


class ImportFileError(ValueError):
    pass


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    conflicts: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    def add(self, record: str) -> None:
        self.created[record] = self.created.get(record, 0) + 1

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


def _flatten(errors: dict[str, list[str]]) -> str:
    return " ".join(f"{name}: {' '.join(problems)}" for name, problems in errors.items())


def _read(raw: bytes) -> list[tuple[int, dict[str, str]]]:
    if len(raw) > MAX_BYTES:
        raise ImportFileError(_("This file is too large (at most 20 MB)."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("This file is not a CSV file exported from Perisai (it is not UTF-8 text).")
        ) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "record" not in reader.fieldnames or "id" not in reader.fieldnames:
        raise ImportFileError(_('This file is not a CSV file exported from Perisai (no "record" column).'))
    rows = []
    for row in reader:
        clean = {k: _unsafe((v or "").strip()) for k, v in row.items() if k}
        rows.append((reader.line_num, clean))
    return rows


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


@transaction.atomic
def do_import_csv(*, owner: User, raw: bytes) -> ImportReport:
    """Import her CSV. Records already in her account are left as they are (an entry that differs is
    reported as a conflict); rows in error are listed by line and the others are imported."""
    rows = _read(raw)
    report = ImportReport()
    by_record: dict[str, list[tuple[int, dict[str, str]]]] = {name: [] for name in ORDER}
    for line, row in rows:
        record = row.get("record", "")
        if record not in by_record:
            report.errors.append((line, _("Unknown record type: %(record)s.") % {"record": record or "-"}))
            continue
        by_record[record].append((line, row))
    for line, row in by_record["wallet"]:
        _import_wallet(owner, line, row, report)
    for line, row in by_record["goal"]:
        _import_goal(owner, line, row, report)
    for line, row in by_record["debt"]:
        _import_debt(owner, line, row, report)
    for line, row in by_record["recurrence"]:
        _import_recurrence(owner, line, row, report)
    for line, row in by_record["budget"]:
        _import_budget(owner, line, row, report)
    _import_entries(owner, by_record["entry"], report)
    audit.record(
        actor=owner,
        action="finance.import",
        object_type="finance",
        details={
            "created": report.total_created,
            "unchanged": report.unchanged,
            "conflicts": len(report.conflicts),
            "rejected": len(report.errors),
        },
    )
    return report


def _existing(model: Any, owner: User, public_id: uuid.UUID, line: int, report: ImportReport) -> bool:
    """True when the record is already there (hers: unchanged; someone else's: an error)."""
    found = model.objects.filter(public_id=public_id).values_list("owner_id", flat=True).first()
    if found is None:
        return False
    if found == owner.pk:
        report.unchanged += 1
    else:
        report.errors.append((line, _("This record cannot be imported.")))
    return True


def _import_wallet(owner: User, line: int, row: dict[str, str], report: ImportReport) -> None:
    public_id = _uuid(row.get("id", ""))
    if public_id is None:
        report.errors.append((line, _("The id is missing or not valid.")))
        return
    if _existing(Wallet, owner, public_id, line, report):
        return
    try:
        with transaction.atomic():
            wallet = actions.do_create_wallet(
                owner=owner, name=row.get("name", ""), kind=row.get("kind", ""),
                currency_code=row.get("currency", ""), public_id=public_id,
            )  # fmt: skip
            if row.get("archived") == "1":
                actions.do_archive_wallet(owner=owner, wallet=wallet)
    except actions.FinanceInputError as error:
        report.errors.append((line, _flatten(error.errors)))
    else:
        report.add("wallet")


def _date(text: str) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return "invalid"


def _import_goal(owner: User, line: int, row: dict[str, str], report: ImportReport) -> None:
    public_id = _uuid(row.get("id", ""))
    if public_id is None:
        report.errors.append((line, _("The id is missing or not valid.")))
        return
    if _existing(Goal, owner, public_id, line, report):
        return
    target_date = _date(row.get("date", ""))
    if target_date == "invalid":
        report.errors.append((line, _("The date must be written as YYYY-MM-DD.")))
        return
    try:
        with transaction.atomic():
            actions.do_create_goal(
                owner=owner,
                data=actions.GoalInput(
                    name=row.get("name", ""), target=row.get("target", ""), currency=row.get("currency", ""),
                    saved_before=row.get("saved_before", ""), target_date=target_date,
                ),
                public_id=public_id,
            )  # fmt: skip
    except actions.FinanceInputError as error:
        report.errors.append((line, _flatten(error.errors)))
    else:
        report.add("goal")


def _import_debt(owner: User, line: int, row: dict[str, str], report: ImportReport) -> None:
    public_id = _uuid(row.get("id", ""))
    if public_id is None:
        report.errors.append((line, _("The id is missing or not valid.")))
        return
    if _existing(Debt, owner, public_id, line, report):
        return
    first_due = _date(row.get("date", ""))
    if first_due == "invalid":
        report.errors.append((line, _("The date must be written as YYYY-MM-DD.")))
        return
    try:
        instalments = int(row.get("instalments") or 1)
    except ValueError:
        instalments = 0
    try:
        with transaction.atomic():
            actions.do_create_debt(
                owner=owner,
                data=actions.DebtInput(
                    kind=row.get("kind", ""), principal=row.get("amount", ""), currency=row.get("currency", ""),
                    first_due=first_due, instalments=instalments, instalment=row.get("instalment", ""),
                    lender=row.get("name", ""), destination_country=row.get("destination_country", ""),
                    sector=row.get("sector", ""), monthly_income=row.get("monthly_income", ""),
                    income_currency=row.get("income_currency", ""), note=row.get("note", ""),
                ),
                public_id=public_id,
            )  # fmt: skip
    except actions.FinanceInputError as error:
        report.errors.append((line, _flatten(error.errors)))
    else:
        report.add("debt")


def _import_recurrence(owner: User, line: int, row: dict[str, str], report: ImportReport) -> None:
    public_id = _uuid(row.get("id", ""))
    if public_id is None:
        report.errors.append((line, _("The id is missing or not valid.")))
        return
    if _existing(Recurrence, owner, public_id, line, report):
        return
    next_on, ends_on = _date(row.get("date", "")), _date(row.get("ends_on", ""))
    if next_on in (None, "invalid") or ends_on == "invalid":
        report.errors.append((line, _("The date must be written as YYYY-MM-DD.")))
        return
    try:
        day = int(row.get("day_of_month") or 0)
    except ValueError:
        day = 0
    try:
        with transaction.atomic():
            recurrence = actions.do_create_recurrence(
                owner=owner,
                data=actions.RecurrenceInput(
                    wallet=row.get("wallet", ""), category=row.get("category", ""), amount=row.get("amount", ""),
                    day_of_month=day, starts_on=min(next_on, ends_on) if ends_on else next_on, ends_on=ends_on, note=row.get("note", ""),
                ),
                public_id=public_id,
            )  # fmt: skip
            if recurrence.next_on != next_on:
                recurrence.next_on = next_on
                recurrence.save(update_fields=["next_on"])
            if row.get("active") == "0":
                actions.do_stop_recurrence(owner=owner, recurrence=recurrence)
    except actions.FinanceInputError as error:
        report.errors.append((line, _flatten(error.errors)))
    else:
        report.add("recurrence")


def _import_budget(owner: User, line: int, row: dict[str, str], report: ImportReport) -> None:
    month = _date(row.get("date", ""))
    if month in (None, "invalid"):
        report.errors.append((line, _("The date must be written as YYYY-MM-DD.")))
        return
    code = row.get("currency", "").upper()
    current = Budget.objects.filter(owner=owner, month=month, category=row.get("category", "")).first()
    if current is not None:
        exp = currency.exponent(current.currency)
        same = current.currency == code and str(from_minor(current.amount_minor, exp)) == row.get("amount")
        if same:
            report.unchanged += 1
        else:
            report.conflicts.append(
                (line, _("A different budget for this month is already saved; it is kept."))
            )
        return
    if not currency.is_currency(code):
        report.errors.append((line, _("Choose a currency.")))
        return
    try:
        with transaction.atomic():
            actions.do_set_budget(
                owner=owner, month=month, category=row.get("category", ""), amount=row.get("amount", ""),
                currency_code=code,
            )  # fmt: skip
    except actions.FinanceInputError as error:
        report.errors.append((line, _flatten(error.errors)))
    else:
        report.add("budget")


def _import_entries(owner: User, rows: list[tuple[int, dict[str, str]]], report: ImportReport) -> None:
    items, lines = [], []
    for line, row in rows:
        public_id = _uuid(row.get("id", ""))
        if public_id is None:
            report.errors.append((line, _("The id is missing or not valid.")))
            continue
        wallet_currency = (
            Wallet.objects.filter(owner=owner, public_id=_uuid(row.get("wallet", "")) or uuid.UUID(int=0))
            .values_list("currency", flat=True)
            .first()
        )
        if wallet_currency is not None and row.get("currency") and row["currency"].upper() != wallet_currency:
            report.errors.append((line, _("The currency does not match the wallet's currency.")))
            continue
        items.append(
            actions.EntryItem(
                id=public_id,
                wallet=row.get("wallet") or None,
                category=row.get("category", ""),
                amount=row.get("amount", ""),
                fee=row.get("fee", ""),
                occurred_on=row.get("date", ""),
                note=row.get("note", ""),
                goal=row.get("goal") or None,
                debt=row.get("debt") or None,
                provider=row.get("provider", ""),
                rate_received=row.get("rate_received", ""),
                received=row.get("received_idr", ""),
                sending_country=row.get("sending_country", ""),
            )
        )
        lines.append(line)
    for start in range(0, len(items), actions.MAX_BATCH):
        chunk = items[start : start + actions.MAX_BATCH]
        summary = actions.do_sync_entries(owner=owner, items=chunk, source="import")
        for line, result in zip(lines[start : start + actions.MAX_BATCH], summary.results, strict=True):
            if result.status == "created":
                report.add("entry")
            elif result.status == "unchanged":
                report.unchanged += 1
            elif result.status == "conflict":
                report.conflicts.append(
                    (line, _("A different version of this entry is already saved; it is kept."))
                )
            else:
                report.errors.append((line, _flatten(result.errors)))
