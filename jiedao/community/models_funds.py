"""The community development fund, kept as a ledger, and its grant rounds (公益创投): the
applications organisations make, the panel's scores and the grants paid from the fund.

The fund's balances are never typed: :class:`FundBalance` is maintained by the ledger service
under a row lock, and its CHECK constraints refuse any state in which more is committed than was
injected or more is paid than was committed, whatever code writes it.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Fund(models.Model):
    """A community fund such as the 安居乐堰 community development fund; its size is pledged."""

    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="community_funds",
        verbose_name=_("subdistrict"),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    size = models.DecimalField(_("pledged size (yuan)"), max_digits=14, decimal_places=2)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="community_fund_size_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class FundBalance(models.Model):
    """The fund's running totals, one row per fund: the row the ledger locks (SELECT … FOR
    UPDATE) before it writes an entry, and whose constraints make overspending impossible.

    ``committed`` is net of releases and includes what has been paid out of the commitments, so
    available = injected − committed, and what is still to pay = committed − paid.
    """

    fund = models.OneToOneField(
        Fund, on_delete=models.PROTECT, primary_key=True, related_name="balance"
    )
    injected = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    committed = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    paid = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))

    class Meta:
        verbose_name = _("fund balance")
        verbose_name_plural = _("fund balances")
        constraints = [
            models.CheckConstraint(
                condition=Q(paid__gte=0)
                & Q(committed__gte=F("paid"))
                & Q(injected__gte=F("committed")),
                name="community_fund_never_overspent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id}: {self.injected} / {self.committed} / {self.paid}"

    @property
    def available(self) -> Decimal:
        return self.injected - self.committed

    @property
    def unpaid(self) -> Decimal:
        return self.committed - self.paid


class FundEntry(models.Model):
    """One immutable line of the fund's ledger. Corrections are new entries (a release gives back
    what a commitment will not use), never edits."""

    class Kind(models.TextChoices):
        INJECTION = "injection", _("Injection")
        COMMITMENT = "commitment", _("Commitment")
        PAYMENT = "payment", _("Payment")
        RELEASE = "release", _("Release")

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="entries", verbose_name=_("fund")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    booked_on = models.DateField(_("booked on"))
    # A payment or release draws on one commitment.
    commitment = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drawings",
        verbose_name=_("commitment"),
    )
    organisation = models.ForeignKey(
        "community.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_entries",
        verbose_name=_("social organisation"),
    )
    description = models.CharField(_("description"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("fund entry")
        verbose_name_plural = _("fund entries")
        ordering = ["booked_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="community_entry_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["payment", "release"], commitment__isnull=False)
                | Q(kind__in=["injection", "commitment"], commitment__isnull=True),
                name="community_entry_drawing_has_commitment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class GrantRound(models.Model):
    """A 公益创投 round: a budget drawn from a fund, a maximum per project, one application per
    organisation, a review rubric (grades A/B/C by score) and the tranches of payment."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for applications")
        SELECTED = "selected", _("Projects selected")

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="grant_rounds", verbose_name=_("fund")
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    budget = models.DecimalField(_("budget (yuan)"), max_digits=14, decimal_places=2)
    max_per_project = models.DecimalField(
        _("maximum per project (yuan)"), max_digits=14, decimal_places=2
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    grade_a_min = models.PositiveSmallIntegerField(_("grade A from"), default=85)
    grade_b_min = models.PositiveSmallIntegerField(_("grade B from"), default=60)
    # Shares of the grant paid on signing and after the mid-term review (the rest after the
    # final review), in percent.
    first_share = models.PositiveSmallIntegerField(_("first tranche (%)"), default=50)
    midterm_share = models.PositiveSmallIntegerField(_("mid-term tranche (%)"), default=30)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )

    class Meta:
        verbose_name = _("grant round")
        verbose_name_plural = _("grant rounds")
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_per_project__gt=0) & Q(budget__gte=F("max_per_project")),
                name="community_round_budget_covers_a_project",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="community_round_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(grade_a_min__gt=F("grade_b_min")) & Q(grade_a_min__lte=100),
                name="community_round_grades_in_order",
            ),
            models.CheckConstraint(
                condition=Q(first_share__gt=0)
                & Q(midterm_share__gte=0)
                & Q(first_share__lte=100 - F("midterm_share")),
                name="community_round_tranches_add_up",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def grade(self, score: Decimal | None) -> str:
        if score is None:
            return ""
        if score >= self.grade_a_min:
            return "A"
        return "B" if score >= self.grade_b_min else "C"


class GrantApplication(models.Model):
    """An organisation's project in a round, from application to final evaluation."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")
        SIGNED = "signed", _("Agreement signed")
        STOPPED = "stopped", _("Stopped after a failed review")
        COMPLETED = "completed", _("Completed")

    round = models.ForeignKey(
        GrantRound,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("grant round"),
    )
    organisation = models.ForeignKey(
        "community.Organisation",
        on_delete=models.PROTECT,
        related_name="grant_applications",
        verbose_name=_("social organisation"),
    )
    title = models.CharField(_("project title"), max_length=100)
    summary = models.TextField(_("project summary"))
    amount = models.DecimalField(_("amount requested (yuan)"), max_digits=14, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=1, blank=True)
    signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    commitment = models.OneToOneField(
        FundEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant",
        verbose_name=_("commitment"),
    )
    midterm_passed = models.BooleanField(_("mid-term review passed"), null=True, blank=True)
    final_passed = models.BooleanField(_("final review passed"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        ordering = ["round", "-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"], name="community_one_application_per_round"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="community_application_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class GrantScore(models.Model):
    """One panel member's score (0–100) of an application."""

    application = models.ForeignKey(
        GrantApplication,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("grant application"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="community_one_score_per_reviewer"
            ),
            models.CheckConstraint(condition=Q(score__lte=100), name="community_score_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.score}"
