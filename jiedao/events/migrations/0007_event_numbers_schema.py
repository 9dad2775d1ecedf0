"""On PostgreSQL, the schema that holds the per-day sequences of event numbers.

The intake creates a day's sequence there with its first report of the day (see
``jiedao.events.services.intake.next_event_number``). A schema of its own lets the application's
role create sequences there (``GRANT USAGE, CREATE ON SCHEMA event_numbers``) without the right to
create anything among the tables.
"""

from django.db import migrations

SCHEMA = "event_numbers"


def create_schema(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")


def drop_schema(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")


class Migration(migrations.Migration):
    dependencies = [("events", "0006_supervision_deadline_and_pending_flag")]

    operations = [migrations.RunPython(create_schema, drop_schema)]
