"""Reference data: the World Bank corridor file, exchange rates (command and administrator page) and the
placement-fee ceilings; and the installable app's manifest and service worker."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from perisai.conftest import login, shared_data
from perisai.core.models import User
from perisai.core.roles import Role
from perisai.finance import actions
from perisai.finance.models import CorridorCost, ExchangeRate, PlacementFeeCeiling, Remittance, Wallet

from .conftest import item


def test_import_rpw_reads_the_world_bank_layout_exactly_and_idempotently(db: None, capsys: Any) -> None:
    path = shared_data("remittance", "rpw_corridors_to_indonesia.csv")
    call_command("finance", "import-rpw", str(path))
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert CorridorCost.objects.count() == len(rows)
    for row in rows:
        stored = CorridorCost.objects.get(sending_iso3=row["sending_iso3"], quarter=row["quarter"])
        assert stored.average_cost_percent == Decimal(row["avg_total_cost_pct"])  # nothing rounded away
    malaysia = CorridorCost.objects.filter(sending_country="MY").order_by("-quarter").first()
    assert malaysia is not None and malaysia.quarter == "2020Q3"
    capsys.readouterr()
    call_command("finance", "import-rpw", str(path))
    assert f"unchanged {len(rows)}" in capsys.readouterr().out and CorridorCost.objects.count() == len(rows)


def test_import_rpw_reports_bad_rows(db: None, tmp_path: Path, capsys: Any) -> None:
    bad = tmp_path / "rpw.csv"
    bad.write_text(
        "sending_country,sending_iso3,receiving_country,receiving_iso3,series_code,series_name,quarter,avg_total_cost_pct\n"
        "Malaysia,MYS,Indonesia,IDN,ATCR.CORR,x,2020Q3,5.1\n"
        "Atlantis,XXX,Indonesia,IDN,ATCR.CORR,x,2020Q3,5.1\n"
        "Malaysia,MYS,Indonesia,IDN,ATCR.CORR,x,2020-3,5.1\n"
        "Malaysia,MYS,Indonesia,IDN,ATCR.CORR,x,2020Q4,lots\n"
    )
    call_command("finance", "import-rpw", str(bad))
    err = capsys.readouterr().err
    assert "line 3" in err and "line 4" in err and "line 5" in err
    assert CorridorCost.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("finance", "import-rpw", str(tmp_path / "missing.csv"))


def test_import_rates_command_is_idempotent_and_updates_transfer_costs(
    migrant: User, wallet: Wallet, tmp_path: Path, capsys: Any
) -> None:
    actions.do_sync_entries(
        owner=migrant,
        items=[item(wallet=wallet.public_id, category="sending_home", amount="100", rate_received="3400",
                    occurred_on="2025-02-10")],
    )  # fmt: skip
    remittance = Remittance.objects.get()
    assert remittance.cost_percent is None  # no reference rate yet: shown as such, filled in later
    rates = tmp_path / "rates.csv"
    rates.write_text(
        "currency,valid_on,idr_per_unit,source\nMYR,2025-01-01,3500,BI JISDOR\nQQQ,2025-01-01,1,\nMYR,2025-02-01,-3,\n"
    )
    call_command("finance", "import-rates", str(rates))
    out = capsys.readouterr()
    assert "created 1" in out.out and "line 3" in out.err and "line 4" in out.err
    remittance.refresh_from_db()
    assert remittance.reference_rate == Decimal(3500)
    assert remittance.cost_percent is not None
    assert remittance.cost_percent.quantize(Decimal("0.0001")) == Decimal("2.8571")
    call_command("finance", "import-rates", str(rates))
    assert "unchanged 1" in capsys.readouterr().out and ExchangeRate.objects.count() == 1


def test_ceilings_load_once_and_keep_the_operators_edits(db: None) -> None:
    # The data migration already loaded the authored file; every row is "to be verified".
    assert PlacementFeeCeiling.objects.filter(country="MY", sector="domestic", verified=False).exists()
    report = actions.do_load_ceilings(records=[{"country": "MY", "sector": "domestic", "amount": "1000",
                                                "currency": "IDR", "legal_basis": "x"}])  # fmt: skip
    assert report.updated == 1
    ceiling = PlacementFeeCeiling.objects.get(country="MY", sector="domestic")
    ceiling.verified = True
    ceiling.save()
    report = actions.do_load_ceilings(records=[{"country": "MY", "sector": "domestic", "amount": "0",
                                                "currency": "IDR", "legal_basis": "y"}])  # fmt: skip
    assert report.unchanged == 1 and PlacementFeeCeiling.objects.get(pk=ceiling.pk).amount_minor == 100000


def test_administrator_maintains_rates_and_ceilings(make_user: Any, countries: None) -> None:
    admin_user = make_user(Role.ADMIN)
    client = login(Client(), admin_user)
    url = reverse("finance:reference")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"add_rate": "1", "currency": "myr", "valid_on": "2025-03-01", "rate": "3.612,5"}
    )
    assert response.status_code == 302
    assert ExchangeRate.objects.get().idr_per_unit == Decimal("3612.5")
    bad = client.post(url, {"add_rate": "1", "currency": "ZZZ", "valid_on": "2025-03-01", "rate": "1"})
    assert bad.status_code == 200 and bad.context["rate_form"].errors and ExchangeRate.objects.count() == 1
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("r.csv", b"currency,valid_on,idr_per_unit\nSGD,2025-03-01,11900\nSGD,bad,1\n")
    page = client.post(url, {"import_rates": "1", "file": upload})
    assert page.context["import_report"].created == 1 and len(page.context["import_report"].errors) == 1
    ceiling = PlacementFeeCeiling.objects.get(country="MY", sector="domestic")
    edit = reverse("finance:ceiling_edit", kwargs={"pk": ceiling.pk})
    saved = client.post(edit, {"amount": "0", "currency": "IDR", "legal_basis": "UU 18/2017 Pasal 30",
                               "verified": "on", "country": "SG", "sector": "care"})  # fmt: skip
    assert saved.status_code == 302
    ceiling.refresh_from_db()
    assert (
        ceiling.verified
        and ceiling.updated_by == admin_user
        and (ceiling.country, ceiling.sector) == ("MY", "domestic")
    )
    added = client.post(url, {"add_ceiling": "1", "country": "SG", "sector": "care", "amount": "3000",
                              "currency": "SGD", "legal_basis": "MOM"})  # fmt: skip
    assert (
        added.status_code == 302
        and PlacementFeeCeiling.objects.get(country="SG", sector="care").amount_minor == 300000
    )


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_only_administrators_maintain_reference_data(role: str, make_user: Any) -> None:
    client = login(Client(), make_user(role))
    before = ExchangeRate.objects.count()
    response = client.post(reverse("finance:reference"), {"add_rate": "1", "currency": "MYR",
                                                          "valid_on": "2025-03-01", "rate": "1"})  # fmt: skip
    assert response.status_code == 403 and ExchangeRate.objects.count() == before


# ---- the installable app ----


def test_manifest_and_service_worker(client: Client) -> None:
    manifest = client.get(reverse("finance:manifest"))
    assert manifest.status_code == 200 and manifest["Content-Type"] == "application/manifest+json"
    data = json.loads(manifest.content)
    assert (
        data["start_url"] == "/finance/" and data["scope"] == "/finance/" and data["display"] == "standalone"
    )
    from django.contrib.staticfiles import finders

    for icon in data["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon
    assert any(i["sizes"] == "512x512" for i in data["icons"])
    worker = client.get(reverse("finance:service_worker"))
    body = worker.content.decode()
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/finance/"
    assert "__SHELL__" not in body and '"/finance/catat/"' in body and "/static/finance/finance.js" in body
    assert "no-cache" in worker["Cache-Control"]
    assert client.get(reverse("finance:offline")).status_code == 200
