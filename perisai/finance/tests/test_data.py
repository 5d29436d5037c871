"""Her data: CSV export and import (idempotent, lossless), and "delete everything"."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perisai.core.models import AuditEvent, User
from perisai.finance import actions, exports
from perisai.finance.models import Budget, Debt, Entry, Goal, Recurrence, Remittance, Wallet


def _fill(user: User) -> dict[str, Any]:
    myr = actions.do_create_wallet(owner=user, name="Tunai", kind="cash", currency_code="MYR")
    kwd = actions.do_create_wallet(owner=user, name="=HYPERLINK(evil)", kind="bank", currency_code="KWD")
    goal = actions.do_create_goal(
        owner=user, data=actions.GoalInput(name="Sekolah anak", target="3000", currency="MYR", saved_before="10,5",
                                           target_date=dt.date(2026, 7, 1)),
    )  # fmt: skip
    debt, _ = actions.do_create_debt(
        owner=user,
        data=actions.DebtInput(kind="placement_fee", principal="12500000", currency="IDR", first_due=dt.date(2025, 2, 1),
                               instalments=5, destination_country="MY", sector="domestic", monthly_income="1700",
                               income_currency="MYR", lender="PT X", note="potong gaji"),
    )  # fmt: skip
    actions.do_create_recurrence(
        owner=user,
        data=actions.RecurrenceInput(wallet=myr.public_id, category="salary", amount="1700", day_of_month=25,
                                     starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 2, 28)),
    )  # fmt: skip
    actions.do_materialise_recurrences(today=dt.date(2025, 3, 1))
    actions.do_set_budget(
        owner=user, month=dt.date(2025, 3, 1), category="food", amount="250", currency_code="MYR"
    )
    items = [
        actions.EntryItem(id=uuid.uuid4(), wallet=myr.public_id, category="food", amount="12.35", occurred_on="2025-03-02",
                          note='+62 "quoted", comma\nnew line'),
        actions.EntryItem(id=uuid.uuid4(), wallet=myr.public_id, category="sending_home", amount="1000", fee="12",
                          occurred_on="2025-03-03", provider="Bank X", rate_received="3450.25", sending_country="MY"),
        actions.EntryItem(id=uuid.uuid4(), wallet=myr.public_id, category="savings", amount="100",
                          occurred_on="2025-03-04", goal=goal.public_id),
        actions.EntryItem(id=uuid.uuid4(), wallet=myr.public_id, category="loan_repayment", amount="500",
                          occurred_on="2025-03-05", debt=debt.public_id),
        actions.EntryItem(id=uuid.uuid4(), wallet=kwd.public_id, category="other_in", amount="1.505",
                          occurred_on="2025-03-06"),
    ]  # fmt: skip
    summary = actions.do_sync_entries(owner=user, items=items)
    assert summary.count("created") == len(items), [r.errors for r in summary.results]
    return {"myr": myr, "goal": goal, "debt": debt}


def _counts(user: User) -> dict[str, int]:
    return {
        m.__name__: m.objects.filter(owner=user).count()
        for m in (Wallet, Entry, Goal, Debt, Budget, Recurrence)
    }


def test_export_delete_import_gives_back_the_same_export(client_m: Client, migrant: User) -> None:
    _fill(migrant)
    response = client_m.get(reverse("finance:export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    exported = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    text = exported.decode("utf-8-sig")
    assert "'=HYPERLINK(evil)" in text  # a spreadsheet will not run it
    before = _counts(migrant)
    assert before == {"Wallet": 2, "Entry": 7, "Goal": 1, "Debt": 1, "Budget": 1, "Recurrence": 1}

    erased = client_m.post(reverse("finance:erase"), {"confirm": "on"})
    assert erased.status_code == 302
    assert all(n == 0 for n in _counts(migrant).values()) and Remittance.objects.count() == 0

    upload = SimpleUploadedFile("data.csv", exported, content_type="text/csv")
    page = client_m.post(reverse("finance:import"), {"file": upload})
    result = page.context["import_result"]
    assert result.errors == [] and result.conflicts == [] and result.total_created == 13
    assert _counts(migrant) == before
    assert exports.export_csv(owner=migrant).encode("utf-8") == exported  # nothing lost, nothing changed
    assert Wallet.objects.get(name="=HYPERLINK(evil)").currency == "KWD"

    again = client_m.post(reverse("finance:import"), {"file": SimpleUploadedFile("data.csv", exported)})
    assert (
        again.context["import_result"].total_created == 0 and again.context["import_result"].unchanged == 13
    )
    assert _counts(migrant) == before


def test_import_lists_bad_rows_and_keeps_the_good_ones(client_m: Client, migrant: User) -> None:
    wallet = actions.do_create_wallet(owner=migrant, name="Tunai", kind="cash", currency_code="MYR")
    good, other = uuid.uuid4(), uuid.uuid4()
    csv_text = (
        "record,id,wallet,category,currency,amount,date,note\n"
        f"entry,{good},{wallet.public_id},food,MYR,10.00,2025-03-01,ok\n"
        f"entry,{other},{wallet.public_id},food,MYR,ten,2025-03-01,bad amount\n"
        f"entry,not-a-uuid,{wallet.public_id},food,MYR,1,2025-03-01,\n"
        "spaceship,x,,,,,,\n"
    )
    page = client_m.post(reverse("finance:import"), {"file": SimpleUploadedFile("d.csv", csv_text.encode())})
    result = page.context["import_result"]
    assert result.created == {"entry": 1}
    assert sorted(line for line, _m in result.errors) == [3, 4, 5]
    assert Entry.objects.get().public_id == good
    body = page.content.decode()
    assert "data-import-result" in body


def test_import_refuses_a_file_that_is_not_an_export(client_m: Client, migrant: User) -> None:
    page = client_m.post(
        reverse("finance:import"), {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00garbage")}
    )
    assert page.status_code == 200 and page.context["import_form"].errors["file"]
    page = client_m.post(reverse("finance:import"), {"file": SimpleUploadedFile("x.csv", b"a,b\n1,2\n")})
    assert page.context["import_form"].errors["file"] and Entry.objects.count() == 0


def test_erase_needs_the_confirmation_and_touches_only_her(
    client_m: Client, migrant: User, make_migrant: Any
) -> None:
    _fill(migrant)
    other = make_migrant()
    actions.do_create_wallet(owner=other, name="Cash", kind="cash", currency_code="SGD")
    before = _counts(migrant)
    page = client_m.post(reverse("finance:erase"), {})
    assert page.status_code == 200 and page.context["erase_form"].errors and _counts(migrant) == before
    client_m.post(reverse("finance:erase"), {"confirm": "on"})
    assert all(n == 0 for n in _counts(migrant).values())
    assert Wallet.objects.filter(owner=other).count() == 1
    event = AuditEvent.objects.filter(action="finance.erase").get()
    assert event.details["entry"] == 7


amounts = st.integers(min_value=1, max_value=10**12)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["MYR", "JPY", "KWD", "IDR"]),
            amounts,
            st.integers(min_value=0, max_value=10**6),
            st.sampled_from(["food", "salary", "phone", "gifts", "overtime"]),
            st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=40),
            st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2025, 12, 31)),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_property_export_then_import_loses_nothing(migrant: User, rows: list[Any]) -> None:
    from perisai.finance import currency

    for model in (Entry, Wallet):
        model.objects.filter(owner=migrant).delete()
    wallets = {code: actions.do_create_wallet(owner=migrant, name=code, kind="cash", currency_code=code)
               for code in {r[0] for r in rows}}  # fmt: skip
    items = []
    for code, minor, fee, category, note, day in rows:
        exp = currency.exponent(code)
        items.append(
            actions.EntryItem(
                id=uuid.uuid4(),
                wallet=wallets[code].public_id,
                category=category,
                amount=str(Decimal(minor).scaleb(-exp)),
                fee=str(Decimal(fee).scaleb(-exp)),
                note=note.strip(),
                occurred_on=day,
            )
        )
    summary = actions.do_sync_entries(owner=migrant, items=items)
    assert summary.count("created") == len(items), [r.errors for r in summary.results]
    first = exports.export_csv(owner=migrant)
    actions.do_erase_finances(owner=migrant)
    report = exports.do_import_csv(owner=migrant, raw=first.encode())
    assert report.errors == []
    assert exports.export_csv(owner=migrant) == first
    stored = sorted((e.currency, e.amount_minor, e.fee_minor) for e in Entry.objects.filter(owner=migrant))
    assert stored == sorted((c, m, f) for c, m, f, *_rest in rows)
