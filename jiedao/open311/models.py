"""Open311 GeoReport v2: the API keys that may post requests, and what a posted request brings
beyond the event.

* :class:`Open311ApiKey` — issued by an administrator for one subdistrict (the jurisdiction).
  Only the SHA-256 of the key is stored; the key is shown once, when it is issued. Each key has
  its own rate limit per minute; a revoked key stops working at once.
* :class:`Open311Request` — the Open311 side of an event reported through the API: the key that
  posted it, the token the spec returns, and the requester's private details that the event has
  no field for (e-mail, first and last name, device and account ids, the media URL). None of
  them is ever part of an Open311 answer.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Open311ApiKey(models.Model):
    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("jurisdiction"),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Who uses the key, and for what.")
    )
    prefix = models.CharField(_("key prefix"), max_length=12, help_text=_("To recognise a key."))
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    rate_limit_per_minute = models.PositiveIntegerField(
        _("requests per minute"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Open311Request(models.Model):
    event = models.OneToOneField(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="open311_request",
        verbose_name=_("event"),
    )
    api_key = models.ForeignKey(
        Open311ApiKey, on_delete=models.PROTECT, related_name="requests", verbose_name=_("API key")
    )
    token = models.CharField(_("token"), max_length=40, unique=True)
    email = models.EmailField(_("e-mail"), blank=True)
    first_name = models.CharField(_("first name"), max_length=50, blank=True)
    last_name = models.CharField(_("last name"), max_length=50, blank=True)
    device_id = models.CharField(_("device id"), max_length=100, blank=True)
    account_id = models.CharField(_("account id"), max_length=100, blank=True)
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event_id} via {self.api_key_id}"
