"""A funded project's milestones and progress reports, planned and written by its organisation."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Milestone(models.Model):
    """A step the organisation commits to in its funded project, done on a day it records."""

    application = models.ForeignKey(
        "community.GrantApplication",
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("grant application"),
    )
    title = models.CharField(_("milestone"), max_length=100)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "title"], name="community_one_milestone_per_title"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """What the organisation reports of its funded project's progress, dated."""

    application = models.ForeignKey(
        "community.GrantApplication",
        on_delete=models.CASCADE,
        related_name="progress_reports",
        verbose_name=_("grant application"),
    )
    reported_on = models.DateField(_("reported on"))
    text = models.TextField(_("progress"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""), name="community_progress_report_has_text"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.reported_on}"


__all__ = ["Milestone", "ProgressReport"]
