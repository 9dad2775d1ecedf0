"""What a user is told about events (and, through ``link``, about other apps' work)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .event import Event


class Notification(models.Model):
    user = models.ForeignKey(  # indexed by events_notification_unread (user, read_at)
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_notifications",
        db_index=False,
        verbose_name=_("user"),
    )
    # Most notifications are about an event; another app's (a penalty decision not yet
    # disclosed, say) has no event and points to its own page through ``link``.
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
        verbose_name=_("event"),
    )
    link = models.CharField(_("link"), max_length=200, blank=True)
    # What happened is stored as a code and its parameters and rendered in the reader's
    # language (see jiedao.events.notices); ``message`` is the finished text of a notification
    # written before that, shown as it was when ``params`` is null.
    kind = models.CharField(_("kind"), max_length=30)
    params = models.JSONField(_("parameters"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="events_notification_unread")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.event_id}"

    @property
    def text(self) -> str:
        from ..notices import notification_text

        return notification_text(self)
