"""Devices, their alarms, the messages already taken in, and the messages that could not be.

The rules that hold whatever the code does are constraints here: one open alarm per (device,
type) (a partial unique index), one row per message id (so a redelivered message is recognised),
one event per alarm."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.events.models import Category, Event
from jiedao.events.workflow import Urgency
from jiedao.geo.models import Department, Grid, Subdistrict

from .workflow import AlarmState, DeadLetterReason, OnClear


class DeviceKind(models.Model):
    """The catalogue of device kinds (camera, fire-lane monitor …), kept by an administrator."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # Without a message for this long, a device shows as not heard from on the map.
    silent_after_minutes = models.PositiveIntegerField(_("silent after (minutes)"), default=1440)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("device kind")
        verbose_name_plural = _("device kinds")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class AlarmType(models.Model):
    """What a kind of device reports, and the event it becomes."""

    kind = models.ForeignKey(
        DeviceKind, on_delete=models.CASCADE, related_name="alarm_types", verbose_name=_("kind")
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("event category")
    )
    urgency = models.CharField(
        _("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    # Hysteresis: an alarm that clears sooner never becomes an event (a car stopping briefly).
    min_active_seconds = models.PositiveIntegerField(_("minimum active time (seconds)"), default=0)
    on_clear = models.CharField(
        _("on recovery"), max_length=20, choices=OnClear.choices, default=OnClear.VERIFY
    )

    class Meta:
        verbose_name = _("alarm type")
        verbose_name_plural = _("alarm types")
        ordering = ["kind__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="sensors_alarmtype_kind_code")
        ]

    def __str__(self) -> str:
        return self.name


class Device(models.Model):
    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="+", verbose_name=_("subdistrict")
    )
    code = models.CharField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=100)
    kind = models.ForeignKey(
        DeviceKind, on_delete=models.PROTECT, related_name="devices", verbose_name=_("kind")
    )
    lat = models.FloatField(_("latitude"))
    lng = models.FloatField(_("longitude"))
    grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="+", verbose_name=_("grid")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner department"),
    )
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "code"], name="sensors_device_subdistrict_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Alarm(models.Model):
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, related_name="alarms", verbose_name=_("device")
    )
    alarm_type = models.ForeignKey(
        AlarmType, on_delete=models.PROTECT, related_name="alarms", verbose_name=_("alarm type")
    )
    # Denormalised from the device so that lists filter and scope without a join.
    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="+", verbose_name=_("subdistrict")
    )
    grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="+", verbose_name=_("grid")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner department")
    )
    state = models.CharField(
        _("state"), max_length=20, choices=AlarmState.choices, default=AlarmState.ACTIVE
    )
    count = models.PositiveIntegerField(_("messages"), default=1)
    raised_at = models.DateTimeField(_("raised"))
    last_seen_at = models.DateTimeField(_("last seen"))
    last_value = models.FloatField(_("last value"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True)
    # None when the device itself reported the recovery.
    cleared_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cleared by"),
    )
    event = models.OneToOneField(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sensor_alarm",
        verbose_name=_("event"),
    )
    # The follow-up stage (:func:`~jiedao.sensors.services.alarms_follow_up`) works from these two,
    # so that a batch of messages never waits on the events intake: when the alarm is to become
    # an event (raised + its type's minimum active time; None once it has one, or when it
    # cleared sooner), and whether the device's recovery is still to reach its event.
    event_due_at = models.DateTimeField(_("event due"), null=True, blank=True)
    recovery_pending = models.BooleanField(_("recovery pending"), default=False)

    class Meta:
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "alarm_type"],
                condition=Q(state__in=["active", "acknowledged"]),
                name="sensors_alarm_one_open",
            )
        ]
        indexes = [
            models.Index(fields=["subdistrict", "state", "-raised_at"], name="sensors_alarm_list"),
            # The follow-up stage's work: events to make, recoveries to bring to their events.
            models.Index(
                fields=["event_due_at"],
                condition=Q(event_due_at__isnull=False) | Q(recovery_pending=True),
                name="sensors_alarm_follow_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device_id}/{self.alarm_type_id} {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state in (AlarmState.ACTIVE, AlarmState.ACKNOWLEDGED)


class Message(models.Model):
    """A device message taken in: its id makes a redelivery recognisable, and the rows are the
    device's and the alarm's history."""

    message_id = models.CharField(_("message id"), max_length=100, unique=True)
    device = models.ForeignKey(
        Device, on_delete=models.CASCADE, related_name="messages", verbose_name=_("device")
    )
    alarm = models.ForeignKey(
        Alarm,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("alarm"),
    )
    type_code = models.CharField(_("alarm type"), max_length=40)
    state = models.CharField(_("state"), max_length=20)
    value = models.FloatField(_("value"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("device message")
        verbose_name_plural = _("device messages")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["device", "-sent_at"], name="sensors_message_device")]

    def __str__(self) -> str:
        return self.message_id


class DeadLetter(models.Model):
    """A message the listener could not take in, kept with its reason (and acknowledged)."""

    topic = models.CharField(_("topic"), max_length=300)
    payload = models.TextField(_("payload"))
    reason = models.CharField(_("reason"), max_length=30, choices=DeadLetterReason.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("dead letter")
        verbose_name_plural = _("dead letters")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reason}: {self.topic}"
