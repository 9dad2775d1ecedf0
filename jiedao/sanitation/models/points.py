"""The points ledger: rules, rewards and entries (see the package docstring)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..workflow import (
    EntryKind,
    PointsTrigger,
    RewardKind,
)
from .places import Account
from .records import DropOff, WeighIn


class PointsRule(models.Model):
    """What earns points: so many per correct drop-off (at most so many a day), or so many per
    yuan of recycling credited as points. One active rule per trigger."""

    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="points_rules",
        verbose_name=_("subdistrict"),
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
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="sanitation_rewards",
        verbose_name=_("subdistrict"),
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
        PointsRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("points rule"),
    )
    drop_off = models.ForeignKey(
        DropOff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="points_entries",
        verbose_name=_("drop-off"),
    )
    weigh_in = models.ForeignKey(
        WeighIn,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="points_entries",
        verbose_name=_("weigh-in"),
    )
    reward = models.ForeignKey(
        Reward,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="redemptions",
        verbose_name=_("reward"),
    )
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    description = models.CharField(_("description"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
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
