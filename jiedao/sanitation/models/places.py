"""Places and accounts: compounds, collection points, households, units, smart accounts and
smart bins (see the package docstring)."""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..workflow import (
    AccountHolder,
    UnitKind,
    WasteClass,
)


class Compound(models.Model):
    """小区: a residential compound in one grid."""

    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="compounds",
        verbose_name=_("subdistrict"),
    )
    grid = models.ForeignKey(
        "geo.Grid", on_delete=models.PROTECT, related_name="compounds", verbose_name=_("grid")
    )
    name = models.CharField(_("compound name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # The prefix of its accounts' numbers (letters and digits), e.g. SJMY for 三江名苑.
    code = models.CharField(_("compound code"), max_length=12)
    managing_department = models.ForeignKey(
        "geo.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="compounds",
        verbose_name=_("managing department"),
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    is_active = models.BooleanField(_("under management"), default=True)
    is_synthetic = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("compound")
        verbose_name_plural = _("compounds")
        ordering = ["grid__code", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "name"], name="sanitation_compound_unique_name"
            ),
            models.UniqueConstraint(
                fields=["subdistrict", "code"], name="sanitation_compound_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CollectionPoint(models.Model):
    """投放点: where the compound's residents drop their sorted waste, with its 投放管理责任人."""

    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        related_name="collection_points",
        verbose_name=_("compound"),
    )
    name = models.CharField(_("collection point"), max_length=100)
    responsible_party = models.CharField(_("responsible party"), max_length=100)
    responsible_phone = models.CharField(_("responsible party's phone"), max_length=20, blank=True)
    # Local drop-off hours as text (定时定点), e.g. "07:00-09:00,18:00-20:00".
    opening_hours = models.CharField(_("drop-off hours"), max_length=60, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    is_synthetic = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("collection point")
        verbose_name_plural = _("collection points")
        ordering = ["compound_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["compound", "name"], name="sanitation_point_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.compound} · {self.name}"


class HouseholdQuerySet(models.QuerySet["Household"]):
    def present_in(self, first_day: date, last_day: date) -> "HouseholdQuerySet":
        """The households registered on or before ``last_day`` and not moved out before
        ``first_day``: the denominator of a period's participation rate."""
        return self.filter(registered_on__lte=last_day).filter(
            Q(moved_out_on__isnull=True) | Q(moved_out_on__gte=first_day)
        )


class Household(models.Model):
    """A household of a compound (building, unit, room) and the person the account is in the
    name of. Names and phones are masked for the roles that do not need them."""

    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, related_name="households", verbose_name=_("compound")
    )
    address = models.CharField(_("building and room"), max_length=60)
    contact_name = models.CharField(_("householder"), max_length=50)
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    people = models.PositiveSmallIntegerField(_("people in the household"), default=1)
    registered_on = models.DateField(_("registered on"))
    moved_out_on = models.DateField(_("moved out on"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("demo data"), default=False)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["compound_id", "address", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["compound", "address"],
                condition=Q(moved_out_on__isnull=True),
                name="sanitation_household_unique_address",
            ),
            models.CheckConstraint(
                condition=Q(moved_out_on__isnull=True)
                | Q(moved_out_on__gte=models.F("registered_on")),
                name="sanitation_household_moves_out_after_registering",
            ),
            models.CheckConstraint(
                condition=Q(people__gte=1), name="sanitation_household_has_people"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.compound} {self.address}"


class Unit(models.Model):
    """A shop, restaurant, office or school that sorts its own waste under its own account."""

    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="sanitation_units",
        verbose_name=_("subdistrict"),
    )
    grid = models.ForeignKey(
        "geo.Grid",
        on_delete=models.PROTECT,
        related_name="sanitation_units",
        verbose_name=_("grid"),
    )
    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("compound"),
    )
    kind = models.CharField(_("kind of unit"), max_length=20, choices=UnitKind.choices)
    name = models.CharField(_("unit name"), max_length=200)
    address = models.CharField(_("address"), max_length=200, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_synthetic = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "credit_code"],
                condition=~Q(credit_code=""),
                name="sanitation_unit_unique_credit_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Account(models.Model):
    """智能账户: one household's or one unit's account, with its points balance.

    ``grid`` and ``compound`` are the holder's, copied when the account is opened, so that the
    scope rules and the figures read them without a join through the holder."""

    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="sanitation_accounts",
        verbose_name=_("subdistrict"),
    )
    number = models.CharField(_("account number"), max_length=24, unique=True)
    holder_kind = models.CharField(_("holder"), max_length=10, choices=AccountHolder.choices)
    household = models.OneToOneField(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account",
        verbose_name=_("household"),
    )
    unit = models.OneToOneField(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account",
        verbose_name=_("unit"),
    )
    grid = models.ForeignKey(
        "geo.Grid",
        on_delete=models.PROTECT,
        related_name="sanitation_accounts",
        verbose_name=_("grid"),
    )
    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("compound"),
    )
    # The secret lookup code is an HMAC of the number and this salt (see codes.py).
    code_salt = models.CharField(max_length=32, verbose_name=_("lookup code salt"))
    points_balance = models.IntegerField(_("points balance"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)

    class Meta:
        verbose_name = _("smart account")
        verbose_name_plural = _("smart accounts")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(holder_kind="household", household__isnull=False, unit__isnull=True)
                | Q(holder_kind="unit", unit__isnull=False, household__isnull=True),
                name="sanitation_account_one_holder",
            ),
            # The last word on "never below zero": whatever the code does, the database refuses.
            models.CheckConstraint(
                condition=Q(points_balance__gte=0), name="sanitation_account_balance_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class SmartBin(models.Model):
    """A bin at a collection point that weighs what is dropped into it and reports over MQTT."""

    collection_point = models.ForeignKey(
        CollectionPoint,
        on_delete=models.PROTECT,
        related_name="smart_bins",
        verbose_name=_("collection point"),
    )
    code = models.CharField(_("bin code"), max_length=64, unique=True)
    waste_class = models.CharField(_("waste class"), max_length=20, choices=WasteClass.choices)
    is_active = models.BooleanField(_("in use"), default=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)

    class Meta:
        verbose_name = _("smart bin")
        verbose_name_plural = _("smart bins")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code
