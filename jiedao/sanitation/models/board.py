"""The monthly compound score and the 红黄黑榜: the rule tables, the published lists and the
black list's rectification tasks.

* :class:`ScoreRule` — one row per measure (participation, accuracy, recycling per household,
  inspection findings, their rectification) with its weight in percent and its benchmark; the
  weights of a subdistrict's table add up to 100 (:mod:`jiedao.sanitation.scoring`).
* :class:`ListRule` — how the list is drawn: by score thresholds or by ranks, and how many
  working days a black-listed compound has to put things right.
* :class:`MonthlyList` and :class:`ListEntry` — a month's list as published: every compound with
  its score, rank, colour, parts and the counts they came from, frozen when published (the
  rules in force are kept with it). Nothing here is typed in: the publishing service derives
  every entry from the records.
* :class:`BlackListTask` — the rectification task of a compound on a published black list,
  due a number of working days after publication.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..scoring import Colour, ListMode, Metric


class MetricChoice(models.TextChoices):
    PARTICIPATION = Metric.PARTICIPATION.value, _("Participation rate")
    ACCURACY = Metric.ACCURACY.value, _("Accuracy rate")
    RECYCLING = Metric.RECYCLING.value, _("Recycling per household (kg)")
    FINDINGS = Metric.FINDINGS.value, _("Inspection findings")
    RECTIFICATION = Metric.RECTIFICATION.value, _("Findings rectified on time")


class ColourChoice(models.TextChoices):
    RED = Colour.RED.value, _("Red list (红榜)")
    YELLOW = Colour.YELLOW.value, _("Yellow list (黄榜)")
    BLACK = Colour.BLACK.value, _("Black list (黑榜)")


class ListModeChoice(models.TextChoices):
    SCORE = ListMode.SCORE.value, _("By score thresholds")
    RANK = ListMode.RANK.value, _("By rank")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Being rectified")
    DONE = "done", _("Rectified")


class ScoreRule(models.Model):
    """One measure of the monthly compound score, its weight and its benchmark."""

    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="sanitation_score_rules",
        verbose_name=_("subdistrict"),
    )
    metric = models.CharField(_("measure"), max_length=20, choices=MetricChoice.choices)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    # Full marks at this value (a rate, or kg per household); for findings, points off each.
    benchmark = models.DecimalField(_("benchmark"), max_digits=9, decimal_places=3)

    class Meta:
        verbose_name = _("score rule")
        verbose_name_plural = _("score rules")
        ordering = ["subdistrict_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "metric"], name="sanitation_score_rule_unique_metric"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=100),
                name="sanitation_score_rule_weight_percent",
            ),
            models.CheckConstraint(
                condition=Q(benchmark__gt=0), name="sanitation_score_rule_benchmark_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} {self.weight}%"


class ListRule(models.Model):
    """How a subdistrict draws its 红黄黑榜, and the black list's time to rectify."""

    subdistrict = models.OneToOneField(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="sanitation_list_rule",
        verbose_name=_("subdistrict"),
    )
    mode = models.CharField(
        _("drawn"), max_length=10, choices=ListModeChoice.choices, default=ListModeChoice.SCORE
    )
    red_min = models.DecimalField(_("red list from score"), max_digits=5, decimal_places=2)
    yellow_below = models.DecimalField(_("yellow list below score"), max_digits=5, decimal_places=2)
    black_below = models.DecimalField(_("black list below score"), max_digits=5, decimal_places=2)
    red_count = models.PositiveSmallIntegerField(_("red list: first ranks"))
    yellow_count = models.PositiveSmallIntegerField(_("yellow list: ranks above the black"))
    black_count = models.PositiveSmallIntegerField(_("black list: last ranks"))
    rectification_days = models.PositiveSmallIntegerField(_("working days to rectify"))

    class Meta:
        verbose_name = _("list rule")
        verbose_name_plural = _("list rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(black_below__gte=0)
                & Q(yellow_below__gte=models.F("black_below"))
                & Q(red_min__gte=models.F("yellow_below"))
                & Q(red_min__lte=100),
                name="sanitation_list_rule_thresholds_ordered",
            ),
            models.CheckConstraint(
                condition=Q(rectification_days__gte=1),
                name="sanitation_list_rule_days_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.subdistrict_id)


class MonthlyList(models.Model):
    """A month's 红黄黑榜 as published."""

    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="sanitation_lists",
        verbose_name=_("subdistrict"),
    )
    month = models.DateField(_("month"))  # its first day
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    # The weights and thresholds the list was drawn with, so a later change leaves it readable.
    rules = models.JSONField(_("rules applied"))

    class Meta:
        verbose_name = _("monthly list")
        verbose_name_plural = _("monthly lists")
        ordering = ["subdistrict_id", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "month"], name="sanitation_list_once_a_month"
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="sanitation_list_month_first_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class ListEntry(models.Model):
    """One compound on a published list: score, rank and colour, and what they came from."""

    monthly_list = models.ForeignKey(
        MonthlyList, on_delete=models.PROTECT, related_name="entries", verbose_name=_("list")
    )
    compound = models.ForeignKey(
        "sanitation.Compound",
        on_delete=models.PROTECT,
        related_name="list_entries",
        verbose_name=_("compound"),
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True)
    colour = models.CharField(_("list"), max_length=10, choices=ColourChoice.choices, blank=True)
    parts = models.JSONField(_("part scores"), default=dict)  # metric → "83.33"
    counts = models.JSONField(_("counts"), default=dict)  # the MonthRecords fields

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        ordering = ["monthly_list_id", "rank", "compound__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["monthly_list", "compound"], name="sanitation_entry_once_per_list"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=False) | Q(rank__isnull=True, colour=""),
                name="sanitation_entry_unscored_has_no_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.compound_id} {self.rank} {self.colour}"


class BlackListTask(models.Model):
    """The rectification task of a black-listed compound (黑榜整改), due in working days."""

    entry = models.OneToOneField(
        ListEntry,
        on_delete=models.PROTECT,
        related_name="task",
        verbose_name=_("list entry"),
    )
    compound = models.ForeignKey(
        "sanitation.Compound",
        on_delete=models.PROTECT,
        related_name="black_list_tasks",
        verbose_name=_("compound"),
    )
    deadline = models.DateTimeField(_("rectification deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    done_at = models.DateTimeField(_("rectified at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rectified by"),
    )
    done_notes = models.CharField(_("what was done"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("black list rectification task")
        verbose_name_plural = _("black list rectification tasks")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(done_at__isnull=False),
                name="sanitation_task_done_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.compound_id} {self.deadline:%Y-%m-%d}"
