"""Activities and trainings held in the communities, and the service facilities (elderly-care
beds, childcare places, rooms) with their capacity and use. Imported by :mod:`.models`."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .workflow import ActivityStatus


class Activity(models.Model):
    """An activity or a training, planned by its organiser and recorded when held with the
    participants counted in person-times (人次)."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("Activity")
        TRAINING = "training", _("Training")

    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="community_activities",
        verbose_name=_("subdistrict"),
    )
    community = models.ForeignKey(
        "geo.Community",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("community"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    organiser = models.ForeignKey(
        "community.Organisation",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("organiser"),
    )
    project = models.ForeignKey(
        "community.GrantApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("project"),
    )
    planned_on = models.DateField(pgettext_lazy("activity", "planned on"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    person_times = models.PositiveIntegerField(_("person-times"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    is_synthetic = models.BooleanField(_("synthesised"), default=False)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-planned_on", "-id"]
        indexes = [models.Index(fields=["status", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ActivityStatus.HELD)
                | Q(held_on__isnull=False, person_times__gt=0),
                name="community_activity_held_has_date_and_people",
            ),
            models.CheckConstraint(
                condition=~Q(status=ActivityStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="community_activity_cancelled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Facility(models.Model):
    """A service facility counted in places: its capacity and how many are in use."""

    class Kind(models.TextChoices):
        ELDERLY_BED = "elderly_bed", _("Elderly-care beds")
        CHILDCARE = "childcare", _("Childcare places")
        ROOM = "room", _("Activity room places")

    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="community_facilities",
        verbose_name=_("subdistrict"),
    )
    community = models.ForeignKey(
        "geo.Community",
        on_delete=models.PROTECT,
        related_name="facilities",
        verbose_name=_("community"),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    capacity = models.PositiveIntegerField(_("capacity"))
    in_use = models.PositiveIntegerField(_("in use"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    is_synthetic = models.BooleanField(_("synthesised"), default=False)

    class Meta:
        verbose_name = _("service facility")
        verbose_name_plural = _("service facilities")
        ordering = ["community", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gt=0) & Q(in_use__gte=0) & Q(in_use__lte=F("capacity")),
                name="community_facility_use_within_capacity",
            ),
            models.UniqueConstraint(
                fields=["community", "name"], name="community_facility_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def free(self) -> int:
        return self.capacity - self.in_use
