"""Waste sorting (垃圾分类): the places, the smart accounts, the records and the points ledger.

Places and accounts
* :class:`Compound` — a residential compound (小区) in one grid (hence one community) of the
  subdistrict; ``managing_department`` is the department that answers for its sorting (usually
  the 城市综合管理队), whose handlers see and inspect it.
* :class:`CollectionPoint` — a collection point (投放点) of a compound with its responsible party
  (投放管理责任人, 浙江省生活垃圾管理条例 art. 23); the phone is masked for roles that need not see it.
* :class:`Household` — a household of a compound, registered on a day and possibly moved out on
  another; the households of a compound in a month are those registered on or before its last
  day and not moved out before its first (:meth:`HouseholdQuerySet.present_in`).
* :class:`Unit` — a shop, restaurant, office or school with its own account, in a grid and
  possibly in a compound.
* :class:`Account` — the smart account (智能账户) of one household or one unit: a public number
  printed on its card and QR code, a secret lookup code derived from a stored salt (see
  :mod:`jiedao.sanitation.codes`; the code itself is never stored), and the points balance.

Records (the facts every score is derived from; none is typed in as a figure)
* :class:`DropOff` — one drop-off by an account at a collection point: waste class, weight in kg,
  sorted correctly or not, who checked it (or the smart bin that weighed it), an optional photo.
  ``compound`` is copied from the collection point so that monthly figures per compound are one
  grouped statement. Participation of a compound in a month = households of the compound with at
  least one drop-off in the month ÷ households present in the month; accuracy = correct drop-offs
  ÷ drop-offs checked.
* :class:`Inspection` — the daily inspection of a collection point (at most one per point per
  local day), and its :class:`Finding` rows. A finding either becomes a :class:`Rectification`
  (the responsible party puts it right within a number of working days; reported done, then
  verified by an inspector) or an event in the events app where a department must act.
* :class:`RecyclingMaterial` and :class:`WeighIn` — recycling (再生资源回收) weighed or counted at
  a configurable price per kg or per item; the value is credited as points or paid as money.
* :class:`SmartBin` — a bin that weighs drop-offs itself and reports them over MQTT.

Points (a ledger like the community fund's)
* :class:`PointsRule` — configurable: what earns how many points (and at most how many a day).
* :class:`Reward` — goods or services a household redeems points for.
* :class:`PointsEntry` — one immutable line of an account's ledger; the account's
  ``points_balance`` is the running total the ledger locks (``SELECT … FOR UPDATE``) and a CHECK
  constraint keeps at zero or above.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .workflow import (
    AccountHolder,
    CreditKind,
    EntryKind,
    FindingKind,
    FindingRoute,
    PointsTrigger,
    PricingUnit,
    RecordSource,
    RectificationStatus,
    RewardKind,
    UnitKind,
    WasteClass,
)

# Weights are kilograms with three decimals (a smart bin weighs to the gram); money is yuan.


class Compound(models.Model):
    """小区: a residential compound in one grid."""

    subdistrict = models.ForeignKey(
        "geo.Subdistrict", on_delete=models.PROTECT, related_name="compounds"
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
        "geo.Subdistrict", on_delete=models.PROTECT, related_name="sanitation_units"
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
        "geo.Subdistrict", on_delete=models.PROTECT, related_name="sanitation_accounts"
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
    code_salt = models.CharField(max_length=32)
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
        "geo.Subdistrict", on_delete=models.PROTECT, related_name="recycling_materials"
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


class PointsRule(models.Model):
    """What earns points: so many per correct drop-off (at most so many a day), or so many per
    yuan of recycling credited as points. One active rule per trigger."""

    subdistrict = models.ForeignKey(
        "geo.Subdistrict", on_delete=models.PROTECT, related_name="points_rules"
    )
    trigger = models.CharField(_("earned for"), max_length=30, choices=PointsTrigger.choices)
    points = models.PositiveIntegerField(_("points"))
    daily_cap = models.PositiveIntegerField(_("at most per account and day"), null=True, blank=True)
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("points rule")
        verbose_name_plural = _("points rules")
        ordering = ["trigger"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "trigger"],
                condition=Q(is_active=True),
                name="sanitation_rule_one_active_per_trigger",
            ),
            models.CheckConstraint(
                condition=Q(points__gt=0), name="sanitation_rule_points_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()}: {self.points}"


class Reward(models.Model):
    """Goods or a service a household can redeem points for; ``stock`` None is unlimited."""

    subdistrict = models.ForeignKey(
        "geo.Subdistrict", on_delete=models.PROTECT, related_name="sanitation_rewards"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RewardKind.choices)
    name = models.CharField(_("reward"), max_length=100)
    points_cost = models.PositiveIntegerField(_("points"))
    stock = models.PositiveIntegerField(_("in stock"), null=True, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["points_cost", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "name"], name="sanitation_reward_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(points_cost__gt=0), name="sanitation_reward_cost_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PointsEntry(models.Model):
    """One immutable line of an account's points ledger; a mistake is corrected by a new entry."""

    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="points_entries", verbose_name=_("account")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    points = models.PositiveIntegerField(_("points"))
    balance_after = models.PositiveIntegerField(_("balance after"))
    rule = models.ForeignKey(
        PointsRule, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    drop_off = models.ForeignKey(
        DropOff, on_delete=models.PROTECT, null=True, blank=True, related_name="points_entries"
    )
    weigh_in = models.ForeignKey(
        WeighIn, on_delete=models.PROTECT, null=True, blank=True, related_name="points_entries"
    )
    reward = models.ForeignKey(
        Reward, on_delete=models.PROTECT, null=True, blank=True, related_name="redemptions"
    )
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    description = models.CharField(_("description"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    booked_at = models.DateTimeField(_("booked at"), default=timezone.now)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["-booked_at", "-pk"]
        indexes = [
            models.Index(fields=["account", "booked_at"], name="sanitation_entry_account_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gt=0), name="sanitation_entry_points_positive"
            ),
            models.CheckConstraint(
                condition=Q(kind="redeem", reward__isnull=False)
                | Q(kind="earn", reward__isnull=True),
                name="sanitation_entry_redemption_has_reward",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.kind} {self.points}"


# The monthly score's rule tables, published lists and black-list tasks (branch board).
from .models_board import (  # noqa: F401
    BlackListTask,
    ListEntry,
    ListRule,
    MonthlyList,
    ScoreRule,
)
