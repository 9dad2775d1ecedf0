"""Modern community (现代社区): residents' needs, the social organisations that answer the
community's calls (吹哨报到). The development fund and its grant rounds are in
:mod:`.models_funds`, activities and projects in their own modules.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
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


# Defined in their own module to keep this one short; imported so that Django registers them.
from .models_activities import Activity, Facility
from .models_funds import Fund, FundBalance, FundEntry, GrantApplication, GrantRound, GrantScore
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
