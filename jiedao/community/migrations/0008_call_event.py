"""A call (吹哨) for a need or for an event: the event link, the call's own community and
subdistrict (copied from the need for the calls already written), one of need or event."""

import django.db.models.deletion
from django.db import migrations, models


def copy_place(apps, schema_editor):
    Call = apps.get_model("community", "Call")
    for call in Call.objects.select_related("need"):
        call.community_id = call.need.community_id
        call.subdistrict_id = call.need.subdistrict_id
        call.save(update_fields=["community", "subdistrict"])


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0007_milestones_progress"),
        ("events", "0007_event_numbers_schema"),
        ("geo", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="call",
            name="need",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="calls",
                to="community.need",
            ),
        ),
        migrations.AddField(
            model_name="call",
            name="event",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="calls",
                to="events.event",
                verbose_name="event",
            ),
        ),
        migrations.AddField(
            model_name="call",
            name="community",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="geo.community",
                verbose_name="community",
            ),
        ),
        migrations.AddField(
            model_name="call",
            name="subdistrict",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="geo.subdistrict",
                verbose_name="subdistrict",
            ),
        ),
        migrations.RunPython(copy_place, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="call",
            name="community",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="geo.community",
                verbose_name="community",
            ),
        ),
        migrations.AlterField(
            model_name="call",
            name="subdistrict",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="geo.subdistrict",
                verbose_name="subdistrict",
            ),
        ),
        migrations.AddConstraint(
            model_name="call",
            constraint=models.CheckConstraint(
                condition=models.Q(("event__isnull", True), ("need__isnull", False))
                | models.Q(("event__isnull", False), ("need__isnull", True)),
                name="community_call_need_or_event",
            ),
        ),
    ]
