"""The figures' rates keep their numerators inside their denominators (jiedao.events.figures):
every closure is now due, a closure before registration is on time, and only closed events count
as reworked. The rollup's table is unchanged, but two of its stored columns now count other
events — ``on_time_closed`` (closures before registration) and ``reworked`` (events reworked but
not closed) — so the days holding such events are stored under the old definitions.

This logs those days as changed, exactly as the triggers of 0009 would: until the next
``refresh_figures`` rebuilds them, the figures count them from the events (the rollup's dirty
days), so the figures are right from the moment the migration commits. Only the days of the
events whose stored counts differ are logged, so a city-sized table is not recounted whole.
"""

from django.db import migrations

# The UTC hour of a report, as the triggers of 0009 log it.
HOUR = "date_trunc('hour', e.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"

LOG_CHANGED_DAYS = f"""
INSERT INTO events_figurechange (subdistrict_id, hour)
SELECT DISTINCT e.subdistrict_id, {HOUR}
FROM events_event e
WHERE e.rework_count > 0
    OR e.reopen_count > 0
    OR (e.status = 'closed' AND e.accepted_at IS NULL AND NOT e.is_self_resolved)
"""


def log_changed_days(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LOG_CHANGED_DAYS)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0010_step_public_note_index"),
    ]

    # Going back logs the same days, which the old definitions then rebuild.
    operations = [migrations.RunPython(log_changed_days, log_changed_days)]
