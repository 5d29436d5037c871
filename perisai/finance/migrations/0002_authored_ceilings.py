"""Load the authored placement-fee ceilings (every row "to be verified"; the operator edits them)."""

import json
from decimal import Decimal
from pathlib import Path

from babel.numbers import get_currency_precision
from django.db import migrations

FILE = Path(__file__).resolve().parents[1] / "data" / "placement_fee_ceilings.json"


def load(apps, schema_editor):
    Ceiling = apps.get_model("finance", "PlacementFeeCeiling")
    for row in json.loads(FILE.read_text(encoding="utf-8"))["ceilings"]:
        Ceiling.objects.get_or_create(
            country=row["country"],
            sector=row.get("sector", ""),
            defaults={
                "amount_minor": int(Decimal(row["amount"]).scaleb(get_currency_precision(row.get("currency", "IDR")))),
                "currency": row.get("currency", "IDR"),
                "legal_basis": row["legal_basis"][:300],
                "note": row.get("note", "")[:500],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
