"""Each person's path is append-only at the database level (perisai.crisis.evacuation.db)."""

from django.db import migrations

from perisai.crisis.evacuation import db


def forward(apps, schema_editor):
    db.install(schema_editor.connection)


def backward(apps, schema_editor):
    db.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("evacuation", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
