"""The residents' portal: what a public door adds to an event.

* :class:`PublicReport` — an event reported by a resident through a public door (the portal or
  Open311). It keeps the salt of the report's secret follow code (see :mod:`jiedao.portal.tokens`);
  the code itself is never stored.
* :class:`PublicVisibility` — moderation: whether a dispatcher has hidden an event from every
  public output (the portal's map and list, Open311), with the reason. Changes are audited.

The event itself — its number, status, timeline and the reporter's contact — lives in
:mod:`jiedao.events` and is written only through its services.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublicReport(models.Model):
    class Channel(models.TextChoices):
        PORTAL = "portal", _("Residents' portal")
        OPEN311 = "open311", _("Open311")

    event = models.OneToOneField(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="public_report",
        verbose_name=_("event"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    follow_salt = models.CharField(_("follow code salt"), max_length=32)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("public report")
        verbose_name_plural = _("public reports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event} ({self.channel})"


class PublicVisibility(models.Model):
    event = models.OneToOneField(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="public_visibility",
        verbose_name=_("event"),
    )
    is_hidden = models.BooleanField(_("hidden from the public"), default=False)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("public visibility")
        verbose_name_plural = _("public visibility")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event} {'hidden' if self.is_hidden else 'public'}"
