"""The assessment of city-management team members (城市综合管理队队员考核).

A team (its members are users, its leader a user) has one weight table. A month's scores are
computed from the members' work records (:mod:`jiedao.assessment.scoring`) whenever they are
asked for, until the month is closed: closing stores each member's counts, score and rank with
the weights used, and a closed month never changes again.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .measures import DEFAULT_WEIGHTS, MEASURE_KEYS


class Team(models.Model):
    subdistrict = models.ForeignKey(
        "geo.Subdistrict", on_delete=models.PROTECT, related_name="+", verbose_name=_("subdistrict")
    )
    name = models.CharField(_("team name"), max_length=100)
    department = models.ForeignKey(
        "geo.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("team leader"),
    )
    is_synthetic = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "name"], name="assessment_team_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="members", verbose_name=_("team")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member"),
    )
    is_synthetic = models.BooleanField(
        _("demo data"), default=False, help_text=_("A member made up for the demo.")
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="assessment_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.user}"


def _weight(key: str, label: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=6, decimal_places=2, default=DEFAULT_WEIGHTS[key])


class WeightTable(models.Model):
    """The points per counted record of each measure (see :mod:`jiedao.assessment.measures`)."""

    team = models.OneToOneField(
        Team, on_delete=models.CASCADE, related_name="weights", verbose_name=_("team")
    )
    handled = _weight("handled", _("Events handled"))
    on_time = _weight("on_time", _("Handled on time"))
    returned = _weight("returned", _("Returns"))
    reworked = _weight("reworked", _("Rework"))
    satisfied = _weight("satisfied", _("Satisfied ratings"))
    dissatisfied = _weight("dissatisfied", _("Dissatisfied ratings"))
    inspections = _weight("inspections", _("Inspections completed"))
    rechecks = _weight("rechecks", _("Rectifications re-checked"))
    task_reports = _weight("task_reports", _("Key-task progress reports"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("weight table")
        verbose_name_plural = _("weight tables")
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{key}__gte": 0 for key in MEASURE_KEYS}),
                name="assessment_weights_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(*[Q(**{f"{key}__gt": 0}) for key in MEASURE_KEYS], _connector=Q.OR),
                name="assessment_weights_one_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.team)

    def as_dict(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in MEASURE_KEYS}


class MonthResult(models.Model):
    """A closed month of a team: its scores are stored and no longer recomputed."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="months", verbose_name=_("team")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    weights = models.JSONField(_("weights used"))
    closed_at = models.DateTimeField(_("closed at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        verbose_name = _("closed month")
        verbose_name_plural = _("closed months")
        ordering = ["team", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["team", "month"], name="assessment_month_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="assessment_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.month:%Y-%m}"


class MemberScore(models.Model):
    """One member's counts, score and rank in a closed month."""

    result = models.ForeignKey(
        MonthResult, on_delete=models.CASCADE, related_name="scores", verbose_name=_("month")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member"),
    )
    name = models.CharField(_("name"), max_length=150)
    is_synthetic = models.BooleanField(_("demo data"), default=False)
    handled = models.PositiveIntegerField(_("Events handled"), default=0)
    on_time = models.PositiveIntegerField(_("Handled on time"), default=0)
    returned = models.PositiveIntegerField(_("Returns"), default=0)
    reworked = models.PositiveIntegerField(_("Rework"), default=0)
    satisfied = models.PositiveIntegerField(_("Satisfied ratings"), default=0)
    dissatisfied = models.PositiveIntegerField(_("Dissatisfied ratings"), default=0)
    inspections = models.PositiveIntegerField(_("Inspections completed"), default=0)
    rechecks = models.PositiveIntegerField(_("Rectifications re-checked"), default=0)
    task_reports = models.PositiveIntegerField(_("Key-task progress reports"), default=0)
    score = models.DecimalField(_("score"), max_digits=10, decimal_places=2)
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        verbose_name = _("member's monthly score")
        verbose_name_plural = _("members' monthly scores")
        ordering = ["result", "rank", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["result", "user"], name="assessment_score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.result} {self.name}: {self.score}"

    def counts(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in MEASURE_KEYS}
