"""The audit log is append-only at the database level (perisai.core.db.audit_triggers)."""

from django.db import migrations

from perisai.core.db import audit_triggers


def forward(apps, schema_editor):
    audit_triggers.install(schema_editor.connection)


def backward(apps, schema_editor):
    audit_triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
