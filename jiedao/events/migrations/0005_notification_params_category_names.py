"""Notifications store their kind and parameters instead of a finished Chinese sentence, and
every category has its English name.

The stored sentences were all written in Chinese as "<number>（<category>）：<what> — <note>"; a
row whose sentence has that shape and names its own event gets its parameters (the note, or
for a deadline warning the deadline, written in local time), and is then rendered in the
reader's language. A row that does not match keeps ``params`` null and shows its old text.
"""

import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models

OLD_MESSAGE = re.compile(r"^(?P<number>[^（]+)（.*?）：(?P<what>.*?)(?: — (?P<note>.*))?$", re.S)
CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "categories.json"
BATCH = 1000


def _old_params(kind, number, message):
    match = OLD_MESSAGE.match(message)
    if match is None or match.group("number") != number:
        return None
    note = match.group("note") or ""
    if kind.startswith("warning_"):
        if not note:
            return {"due_at": None}
        try:
            local = datetime.strptime(note, "%Y-%m-%d %H:%M")
        except ValueError:
            return None
        return {"due_at": local.replace(tzinfo=ZoneInfo(settings.TIME_ZONE)).isoformat()}
    # A note cut at the old 300 characters stays cut: it is what the reader was shown.
    return {"note": note}


def notifications_forward(apps, schema_editor):
    Notification = apps.get_model("events", "Notification")
    batch = []
    rows = Notification.objects.filter(params__isnull=True).select_related("event")
    for notification in rows.only("pk", "kind", "message", "event__number").iterator(BATCH):
        params = _old_params(notification.kind, notification.event.number, notification.message)
        if params is None:
            continue
        notification.params = params
        batch.append(notification)
        if len(batch) >= BATCH:
            Notification.objects.bulk_update(batch, ["params"])
            batch = []
    if batch:
        Notification.objects.bulk_update(batch, ["params"])


def category_names_forward(apps, schema_editor):
    """Fill the English names the catalogue file gives to categories that have none."""
    Category = apps.get_model("events", "Category")
    english = {}
    for main in json.loads(CATALOGUE.read_text(encoding="utf-8"))["categories"]:
        for entry in [main, *main.get("children", [])]:
            if entry.get("name_en"):
                english[entry["code"]] = entry["name_en"]
    missing = list(Category.objects.filter(name_en="", code__in=english))
    for category in missing:
        category.name_en = english[category.code]
    Category.objects.bulk_update(missing, ["name_en"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_open_place_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, null=True, verbose_name="parameters"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="message",
            field=models.CharField(blank=True, max_length=300, verbose_name="message"),
        ),
        # Going back keeps the rows; the old text is still in ``message``.
        migrations.RunPython(notifications_forward, migrations.RunPython.noop),
        migrations.RunPython(category_names_forward, migrations.RunPython.noop),
    ]
