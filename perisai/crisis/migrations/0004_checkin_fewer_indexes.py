"""Three indexes of crisis_checkin go: crisis_id alone (the (crisis, person, received_at) index serves it),
received_at and recorded_by_id (no query uses them). Each was one more page written per check-in during a
surge (docs/benchmarks-crisis.md).

Dropped with DROP INDEX rather than AlterField: on SQLite, AlterField rebuilds the table, which would drop the
append-only triggers (perisai.crisis.db) with it."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

INDEXES = (
    "crisis_checkin_crisis_id_6cd07f5c",
    "crisis_checkin_received_at_8a3428a2",
    "crisis_checkin_recorded_by_id_4ff1e49d",
)


class Migration(migrations.Migration):
    dependencies = [
        ("crisis", "0003_erasure_path"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    [f"DROP INDEX IF EXISTS {name}" for name in INDEXES],
                    reverse_sql=[
                        'CREATE INDEX IF NOT EXISTS crisis_checkin_crisis_id_6cd07f5c ON crisis_checkin ("crisis_id")',
                        'CREATE INDEX IF NOT EXISTS crisis_checkin_received_at_8a3428a2 ON crisis_checkin ("received_at")',
                        "CREATE INDEX IF NOT EXISTS crisis_checkin_recorded_by_id_4ff1e49d"
                        ' ON crisis_checkin ("recorded_by_id")',
                    ],
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="checkin",
                    name="crisis",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="checkins",
                        to="crisis.crisis",
                    ),
                ),
                migrations.AlterField(
                    model_name="checkin",
                    name="received_at",
                    field=models.DateTimeField(default=django.utils.timezone.now),
                ),
                migrations.AlterField(
                    model_name="checkin",
                    name="recorded_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        )
    ]
