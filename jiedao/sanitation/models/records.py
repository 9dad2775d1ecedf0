"""The records every figure is derived from: drop-offs, inspections, findings, rectification
items, recycling materials and weigh-ins (see the package docstring)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..workflow import (
    CreditKind,
    FindingKind,
    FindingRoute,
    PricingUnit,
    RecordSource,
    RectificationStatus,
    WasteClass,
)
from .places import Account, CollectionPoint, Compound, SmartBin

# Weights are kilograms with three decimals (a smart bin weighs to the gram); money is yuan.


class DropOff(models.Model):
    """One drop-off of one class of waste by one account at one collection point."""

    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="drop_offs", verbose_name=_("account")
    )
    collection_point = models.ForeignKey(
        CollectionPoint,
        on_delete=models.PROTECT,
        related_name="drop_offs",
        verbose_name=_("collection point"),
    )
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, related_name="drop_offs", verbose_name=_("compound")
    )
    waste_class = models.CharField(_("waste class"), max_length=20, choices=WasteClass.choices)
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=9, decimal_places=3)
    is_correct = models.BooleanField(_("sorted correctly"))
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=RecordSource.choices, default=RecordSource.INSPECTOR
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    smart_bin = models.ForeignKey(
        SmartBin,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drop_offs",
        verbose_name=_("smart bin"),
    )
    # A smart bin's message id: a redelivered message is recognised and changes nothing.
    message_id = models.CharField(
        _("message id"), max_length=100, null=True, blank=True, unique=True
    )
    photo = models.FileField(_("photo"), upload_to="sanitation/photos/%Y/%m", blank=True)
    dropped_at = models.DateTimeField(_("dropped at"), default=timezone.now)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("drop-off")
        verbose_name_plural = _("drop-offs")
        ordering = ["-dropped_at", "-pk"]
        indexes = [
            models.Index(fields=["compound", "dropped_at"], name="sanitation_drop_compound_time"),
            models.Index(fields=["account", "dropped_at"], name="sanitation_drop_account_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_kg__gt=0), name="sanitation_drop_off_weight_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.waste_class} {self.weight_kg}"


class Inspection(models.Model):
    """The daily inspection of a collection point: passed, or with findings."""

    collection_point = models.ForeignKey(
        CollectionPoint,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("collection point"),
    )
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("compound")
    )
    inspected_on = models.DateField(_("inspected on"))
    inspected_at = models.DateTimeField(_("inspected at"), default=timezone.now)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inspector"),
    )
    notes = models.TextField(_("notes"), blank=True)
    photo = models.FileField(_("photo"), upload_to="sanitation/photos/%Y/%m", blank=True)

    class Meta:
        verbose_name = _("collection point inspection")
        verbose_name_plural = _("collection point inspections")
        ordering = ["-inspected_on", "-pk"]
        indexes = [
            models.Index(fields=["compound", "inspected_on"], name="sanitation_insp_compound_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["collection_point", "inspected_on"],
                name="sanitation_inspection_once_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.collection_point} {self.inspected_on}"


class Finding(models.Model):
    """A problem an inspection found; it goes to the responsible party or to a department."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="findings", verbose_name=_("inspection")
    )
    kind = models.CharField(_("kind of finding"), max_length=20, choices=FindingKind.choices)
    description = models.CharField(_("description"), max_length=500)
    route = models.CharField(_("handled by"), max_length=20, choices=FindingRoute.choices)
    event = models.OneToOneField(
        "events.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sanitation_finding",
        verbose_name=_("event"),
    )

    class Meta:
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        ordering = ["inspection_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(route="rectification", event__isnull=True) | Q(route="event"),
                name="sanitation_finding_event_only_when_routed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:40]}"


class Rectification(models.Model):
    """整改: a finding the collection point's responsible party puts right by a deadline counted
    in working days, reported done and then verified (or sent back) by an inspector."""

    finding = models.OneToOneField(
        Finding, on_delete=models.PROTECT, related_name="rectification", verbose_name=_("finding")
    )
    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name=_("compound"),
    )
    responsible_party = models.CharField(_("responsible party"), max_length=100)
    working_days = models.PositiveSmallIntegerField(_("working days to rectify"))
    found_at = models.DateTimeField(_("found at"))
    deadline = models.DateTimeField(_("rectification deadline"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    done_at = models.DateTimeField(_("reported done at"), null=True, blank=True)
    done_notes = models.CharField(_("what was done"), max_length=500, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    # Times it was reported done and sent back: rework counts against the responsible party.
    returns = models.PositiveSmallIntegerField(_("times sent back"), default=0)

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["compound", "found_at"], name="sanitation_rect_compound_found"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(done_at__isnull=False),
                name="sanitation_rectification_done_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_at__isnull=False),
                name="sanitation_rectification_verified_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.finding} ({self.get_status_display()})"


class RecyclingMaterial(models.Model):
    """A recyclable material and its price, per kilogram or per item (configurable)."""

    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="recycling_materials",
        verbose_name=_("subdistrict"),
    )
    name = models.CharField(_("material"), max_length=60)
    pricing_unit = models.CharField(_("priced"), max_length=10, choices=PricingUnit.choices)
    price = models.DecimalField(_("price (yuan)"), max_digits=12, decimal_places=2)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("recycling material")
        verbose_name_plural = _("recycling materials")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "name"], name="sanitation_material_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(price__gt=0), name="sanitation_material_price_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WeighIn(models.Model):
    """再生资源回收: one material weighed (or counted) for one account, and what it was worth.

    The price is copied from the material when weighed, so a later price change leaves the
    record as it was; ``value`` = quantity × price, credited as points (under the recycling rule)
    or paid as money."""

    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="weigh_ins", verbose_name=_("account")
    )
    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="weigh_ins",
        verbose_name=_("compound"),
    )
    material = models.ForeignKey(
        RecyclingMaterial,
        on_delete=models.PROTECT,
        related_name="weigh_ins",
        verbose_name=_("material"),
    )
    pricing_unit = models.CharField(_("priced"), max_length=10, choices=PricingUnit.choices)
    # Kilograms, or a whole number of items.
    quantity = models.DecimalField(_("quantity"), max_digits=9, decimal_places=3)
    price = models.DecimalField(_("price (yuan)"), max_digits=12, decimal_places=2)
    value = models.DecimalField(_("value (yuan)"), max_digits=12, decimal_places=2)
    credited_as = models.CharField(_("credited as"), max_length=10, choices=CreditKind.choices)
    points = models.PositiveIntegerField(_("points credited"), default=0)
    source = models.CharField(
        _("source"), max_length=20, choices=RecordSource.choices, default=RecordSource.INSPECTOR
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    message_id = models.CharField(
        _("message id"), max_length=100, null=True, blank=True, unique=True
    )
    weighed_at = models.DateTimeField(_("weighed at"), default=timezone.now)

    class Meta:
        verbose_name = _("recycling weigh-in")
        verbose_name_plural = _("recycling weigh-ins")
        ordering = ["-weighed_at", "-pk"]
        indexes = [
            models.Index(fields=["compound", "weighed_at"], name="sanitation_weigh_compound_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="sanitation_weigh_in_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(credited_as="money", points=0) | Q(credited_as="points"),
                name="sanitation_weigh_in_money_earns_no_points",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.material} {self.quantity}"
