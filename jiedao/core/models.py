"""The working-time calendar as data.

Monday to Friday are working days unless a :class:`WorkCalendarDay` says otherwise: only the
exceptions are stored — public holidays that fall on a weekday, and weekend days that are worked
to make up for them (调休上班). A :class:`WorkCalendarYear` row says that a year's official
schedule has been entered; for a year without one, :mod:`jiedao.core.workcalendar` falls back to
Monday to Friday and says so.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkCalendarYear(models.Model):
    class Source(models.TextChoices):
        CHINESE_CALENDAR = "chinese_calendar", _("chinese-calendar package")
        ADMINISTRATOR = "administrator", _("Entered by an administrator")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=30, choices=Source.choices)
    published_at = models.DateTimeField(_("entered at"))
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("Where the schedule comes from, e.g. the State Council notice."),
    )

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class WorkCalendarDay(models.Model):
    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(
        _("working day"),
        help_text=_("Checked: a weekend day that is worked (调休). Unchecked: a weekday holiday."),
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"
