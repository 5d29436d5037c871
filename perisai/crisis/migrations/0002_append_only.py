"""Timeline, check-ins and notes are append-only at the database level (perisai.crisis.db)."""

from django.db import migrations

from perisai.crisis import db


def forward(apps, schema_editor):
    db.install(schema_editor.connection)


def backward(apps, schema_editor):
    db.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("crisis", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
