"""Check-ins and notes stay append-only, with one narrow exception for erasure (UU 27/2022): an UPDATE that
only empties their personal columns (perisai.crisis.db.ERASABLE; docs/adr/0007-erasure.md)."""

from django.db import migrations

from perisai.crisis import db

TABLES = tuple(db.ERASABLE)


def forward(apps, schema_editor):
    db.remove(schema_editor.connection, TABLES)
    db.install(schema_editor.connection, TABLES)


def backward(apps, schema_editor):
    db.remove(schema_editor.connection, TABLES)
    db.install(schema_editor.connection, TABLES, erasure_path=False)


class Migration(migrations.Migration):
    dependencies = [("crisis", "0002_append_only")]
    operations = [migrations.RunPython(forward, backward)]
