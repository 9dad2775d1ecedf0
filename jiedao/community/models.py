"""Modern community (现代社区): residents' needs, the social organisations that answer the
community's calls (吹哨报到), and the community development fund kept as a ledger.

The fund's balances are never typed: :class:`FundBalance` is maintained by the ledger service
under a row lock, and its CHECK constraints refuse any state in which more is committed than was
injected or more is paid than was committed, whatever code writes it.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .workflow import MatchKind, NeedStatus, ResponseStatus


class NeedGroup(models.Model):
    """A group of residents a need concerns (children, the elderly, …): a list kept as data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("group concerned")
        verbose_name_plural = _("groups concerned")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class Need(models.Model):
    """One need on the community's needs list (需求清单)."""

    class Source(models.TextChoices):
        SURVEY = "survey", _("Survey")
        VISIT = "visit", _("Visit")
        PORTAL = "portal", _("Residents' portal")
        EVENT = "event", _("Event")

    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="community_needs",
        verbose_name=_("subdistrict"),
    )
    community = models.ForeignKey(
        "geo.Community",
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("community"),
    )
    group = models.ForeignKey(
        NeedGroup, on_delete=models.PROTECT, related_name="needs", verbose_name=_("group concerned")
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.COLLECTED
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("raised by"),
    )
    # A resident without an account leaves a name and a phone for the community to call back;
    # they are shown masked to everyone but the community's lead and never published.
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    match_kind = models.CharField(
        _("matched to"), max_length=20, choices=MatchKind.choices, blank=True
    )
    matched_organisation = models.ForeignKey(
        "community.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matched_needs",
        verbose_name=_("matched organisation"),
    )
    matched_department = models.ForeignKey(
        "geo.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("matched department"),
    )
    matched_name = models.CharField(_("project or activity"), max_length=200, blank=True)
    decline_reason = models.TextField(_("reason"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    raised_at = models.DateTimeField(_("raised at"))
    status_changed_at = models.DateTimeField(_("status changed at"))
    is_synthetic = models.BooleanField(_("synthesised"), default=False)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["community", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=NeedStatus.NOT_FEASIBLE) | ~Q(decline_reason=""),
                name="community_need_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=NeedStatus.MERGED) | Q(merged_into__isnull=False),
                name="community_need_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[NeedStatus.MATCHED, NeedStatus.MET]) | ~Q(match_kind=""),
                name="community_need_matched_has_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def matched_label(self) -> str:
        if self.match_kind == MatchKind.ORGANISATION and self.matched_organisation:
            return self.matched_organisation.name
        if self.match_kind == MatchKind.DEPARTMENT and self.matched_department:
            return self.matched_department.name
        return self.matched_name


class Organisation(models.Model):
    """A social organisation registered with the civil affairs bureau (社会组织)."""

    class Kind(models.TextChoices):
        SOCIAL_GROUP = "social_group", _("Social group (社会团体)")
        SERVICE_INSTITUTION = "service_institution", _("Social service institution (社会服务机构)")
        FOUNDATION = "foundation", _("Foundation (基金会)")
        COMMUNITY_GROUP = "community_group", _("Community-based group (社区社会组织)")

    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="social_organisations",
        verbose_name=_("subdistrict"),
    )
    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    services = models.TextField(_("services offered"))
    communities = models.ManyToManyField(
        "geo.Community", related_name="social_organisations", verbose_name=_("communities served")
    )
    # The accounts that act for the organisation (role social_organisation).
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="social_organisations",
        blank=True,
        verbose_name=_("members"),
    )
    is_synthetic = models.BooleanField(_("synthesised"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("social organisation")
        verbose_name_plural = _("social organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "name"], name="community_organisation_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Call(models.Model):
    """A community lead's whistle (吹哨) for a need or for an event of the events app:
    organisations serving the community and the subdistrict's departments report in. The call
    keeps its community and subdistrict so that one scope rule serves both kinds."""

    need = models.ForeignKey(
        Need,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("need"),
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("event"),
    )
    community = models.ForeignKey(
        "geo.Community", on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    subdistrict = models.ForeignKey(
        "geo.Subdistrict", on_delete=models.PROTECT, related_name="+", verbose_name=_("subdistrict")
    )
    message = models.TextField(_("message"))
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("called by"),
    )
    called_at = models.DateTimeField(_("called at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-called_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(need__isnull=False, event__isnull=True)
                | Q(need__isnull=True, event__isnull=False),
                name="community_call_need_or_event",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The need's title, or the event's number and category."""
        if self.need is not None:
            return self.need.title
        return f"{self.event.number} {self.event.category.label}" if self.event else ""

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CallResponse(models.Model):
    """An organisation's or a department's answer to a call: reported in (报到), what it
    commits, what it did. Exactly one of the two answers."""

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="responses", verbose_name=_("call")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("social organisation"),
    )
    department = models.ForeignKey(
        "geo.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ResponseStatus.choices,
        default=ResponseStatus.REPORTED_IN,
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported in by"),
    )
    reported_at = models.DateTimeField(_("reported in at"))
    commitment = models.TextField(_("commitment"), blank=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)
    completion = models.TextField(_("completion report"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report-in")
        verbose_name_plural = _("report-ins")
        ordering = ["reported_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organisation"], name="community_response_once_per_call"
            ),
            models.UniqueConstraint(
                fields=["call", "department"], name="community_department_once_per_call"
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, department__isnull=True)
                | Q(organisation__isnull=True, department__isnull=False),
                name="community_response_one_responder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.responder} → {self.call}"

    @property
    def responder(self) -> str:
        """The organisation's or the department's name."""
        if self.organisation is not None:
            return self.organisation.name
        return self.department.name if self.department is not None else ""


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
        Organisation,
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
        Organisation,
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


# Defined in their own module to keep this one short; imported so that Django registers them.
from .models_activities import Activity, Facility
from .models_projects import Milestone, ProgressReport

__all__ = [
    "Activity",
    "Call",
    "CallResponse",
    "Facility",
    "Fund",
    "FundBalance",
    "FundEntry",
    "GrantApplication",
    "GrantRound",
    "GrantScore",
    "Milestone",
    "Need",
    "NeedGroup",
    "Organisation",
    "ProgressReport",
]
