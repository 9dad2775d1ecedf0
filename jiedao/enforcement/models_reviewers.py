"""The legal reviewers (法制审核人员); imported by ``models``.

法制审核 is not a role of its own: it is done by staff designated for it who hold a legal
qualification (法律职业资格) or an enforcement certificate, in the enforcement team or the 司法所.
A designation belongs to one user, records who made it and when, and is withdrawn rather than
deleted, so that the review steps it allowed keep their reviewer.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LegalReviewer(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="legal_reviewer",
        verbose_name=_("user"),
    )
    certificate = models.CharField(
        _("legal qualification or enforcement certificate number"), max_length=50
    )
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("designated by"),
    )
    designated_at = models.DateTimeField(_("designated at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        verbose_name = _("legal reviewer")
        verbose_name_plural = _("legal reviewers")
        ordering = ["withdrawn_at", "-designated_at", "pk"]
        # The reviewers of a case are found by this on every submission for review.
        indexes = [
            models.Index(
                fields=["user"], condition=Q(withdrawn_at__isnull=True), name="enf_reviewer_active"
            )
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
