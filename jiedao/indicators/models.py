"""Indicators (经济社会发展指标): the catalogue, the values and targets per period, and the figures
read out of narrative reports that wait in the review queue.

Values are stored in the indicator's base unit (元, 件, %); year-on-year change is never stored
as a result: :mod:`jiedao.indicators.aggregation` computes it from last year's value when known
and otherwise shows the change the source stated, marked as stated.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .periods import PeriodKey, PeriodKind


class Indicator(models.Model):
    class Kind(models.TextChoices):
        AMOUNT = "amount", _("Amount")
        COUNT = "count", _("Count")
        RATE = "rate", pgettext_lazy("indicator kind", "Rate")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Sum of the periods")
        LAST = "last", _("Last period's value")
        AVERAGE = "average", _("Average of the periods")
        RATIO = "ratio", _("Ratio of the sums")

    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("subdistrict"),
    )
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=100)
    definition = models.TextField(_("definition"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    unit = models.CharField(
        _("unit"), max_length=20, help_text=_("The base unit values are stored in: 元, 件, %.")
    )
    display_unit = models.CharField(
        _("display unit"),
        max_length=20,
        help_text=_("The unit values are typed and shown in, e.g. 亿元 for an amount in 元."),
    )
    aggregation = models.CharField(
        _("aggregation"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    numerator = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("numerator"),
    )
    denominator = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("denominator"),
    )
    department = models.ForeignKey(
        "geo.Department",
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("responsible department"),
    )
    is_key = models.BooleanField(
        _("key indicator"), default=False, help_text=_("Shown on the leaders' cockpit.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "code"], name="indicators_indicator_unique_code"
            ),
            models.UniqueConstraint(
                fields=["subdistrict", "name"], name="indicators_indicator_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Value(models.Model):
    """An indicator's value and target for one period, in base units. Either may be missing."""

    class Source(models.TextChoices):
        FORM = "form", _("Entered in the form")
        UPLOAD = "upload", _("Excel upload")
        REVIEW = "review", _("Confirmed from a report")
        API = "api", _("Entered through the API")
        DEMO = "demo", _("Demo data")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    stated_change = models.DecimalField(
        _("stated year-on-year change (%)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The change the source states; shown only when last year's value is unknown."),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    is_synthetic = models.BooleanField(
        _("value synthesised"), default=False, help_text=_("Made up for the demo, not real.")
    )
    target_is_synthetic = models.BooleanField(_("target synthesised"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"))

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "year", "period_kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "period_kind", "number"],
                name="indicators_value_unique_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.period.label}"

    @property
    def period(self) -> PeriodKey:
        return PeriodKey(self.year, self.period_kind, self.number)


class Report(models.Model):
    """A narrative report uploaded for review: its repaired text and what could not be read."""

    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="indicator_reports",
        verbose_name=_("subdistrict"),
    )
    file_name = models.CharField(_("file name"), max_length=200)
    content_hash = models.CharField(_("content hash"), max_length=64)
    text = models.TextField(_("repaired text"))
    unreadable = models.JSONField(
        _("unreadable places"), default=list, help_text=_("[{sentence, start, end, reason}]")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "content_hash"], name="indicators_report_unique_hash"
            ),
        ]

    def __str__(self) -> str:
        return self.file_name


class Figure(models.Model):
    """One figure read out of a report, waiting for a supervisor to confirm or reject it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", pgettext_lazy("figure", "Rejected")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="figures", verbose_name=_("report")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name as written"), max_length=200, blank=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=20)
    change = models.DecimalField(
        _("year-on-year change (%)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    change_is_stated = models.BooleanField(_("change stated by the source"), default=False)
    sentence = models.TextField(_("sentence"))
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="figures",
        verbose_name=_("indicator"),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    period_kind = models.CharField(
        _("period"), max_length=10, choices=PeriodKind.choices, blank=True
    )
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "position"], name="indicators_figure_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or '—'} {self.value} {self.unit}"

    @property
    def period(self) -> PeriodKey | None:
        if self.year is None or self.number is None or not self.period_kind:
            return None
        return PeriodKey(self.year, self.period_kind, self.number)
