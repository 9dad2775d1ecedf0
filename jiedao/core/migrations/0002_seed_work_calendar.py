"""Seed the working calendar with the years chinese-calendar knows (2004–2026).

Later years are entered by administrators (``jiedao calendar publish``) when the State Council
publishes them.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from jiedao.core.calendar_library import seed_library_years

    seed_library_years(
        apps.get_model("core", "WorkCalendarYear"), apps.get_model("core", "WorkCalendarDay")
    )


def unseed(apps, schema_editor):
    from jiedao.core.calendar_library import library_years

    WorkCalendarYear = apps.get_model("core", "WorkCalendarYear")
    WorkCalendarDay = apps.get_model("core", "WorkCalendarDay")
    years = WorkCalendarYear.objects.filter(year__in=library_years(), source="chinese_calendar")
    for year in years.values_list("year", flat=True):
        WorkCalendarDay.objects.filter(date__year=year).delete()
    years.delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
