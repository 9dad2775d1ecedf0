from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0009_figure_rollups"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="eventstep",
            index=models.Index(
                condition=models.Q(("action__in", ("reject", "report_back", "self_resolve"))),
                fields=["event", "-created_at", "-id"],
                name="events_step_public_note",
            ),
        ),
    ]
