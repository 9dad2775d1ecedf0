"""Events, their timeline, photos, assignments and the counter behind their numbers."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..workflow import (
    OPEN_STATES,
    Action,
    PhotoStage,
    Source,
    Status,
    Urgency,
    WarningLevel,
)
from .catalogue import Category


class EventQuerySet(models.QuerySet["Event"]):
    def open(self) -> "EventQuerySet":
        return self.filter(status__in=OPEN_STATES)


class Event(models.Model):
    # Unique through Meta.constraints, which spares PostgreSQL the second, pattern-ops index
    # Django adds for a unique CharField: nothing searches numbers by prefix.
    number = models.CharField(_("number"), max_length=40)
    # The foreign keys that lead a composite index in Meta.indexes need no index of their own:
    # every report writes each index, so each one must serve a query.
    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("subdistrict"),
        db_index=False,
    )
    source = models.CharField(_("source"), max_length=30, choices=Source.choices)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("category"),
        db_index=False,
    )
    description = models.TextField(_("description"))
    lat = models.FloatField(_("latitude (WGS-84)"))
    lng = models.FloatField(_("longitude (WGS-84)"))
    is_location_approximate = models.BooleanField(
        _("approximate location"),
        default=False,
        help_text=_("No coordinates were given: the point is inside the grid, not the spot."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    grid = models.ForeignKey(
        "geo.Grid",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("grid"),
        db_index=False,
    )
    # Denormalised from the grid so that a community lead's queries need no join.
    community = models.ForeignKey(
        "geo.Community",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("community"),
        db_index=False,
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
        help_text=_("The user who entered the report; empty when the system did (sensors)."),
        db_index=False,  # partial, in Meta.indexes
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=100, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=30, blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REPORTED
    )
    status_before_suspension = models.CharField(
        _("status before suspension"), max_length=20, choices=Status.choices, blank=True
    )
    responsible_department = models.ForeignKey(
        "geo.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible department"),
        db_index=False,
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
        db_index=False,  # partial, in Meta.indexes
    )
    proposed_department = models.ForeignKey(
        "geo.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed department"),
        help_text=_("What the duty matrix proposed on acceptance; the dispatcher may override."),
        db_index=False,  # partial, in Meta.indexes
    )
    # Deadlines, and the moment their yellow warning starts (both in working time, see
    # jiedao.events.deadlines).
    accept_due_at = models.DateTimeField(_("accept by"), null=True, blank=True)
    accept_warn_at = models.DateTimeField(_("acceptance warning from"), null=True, blank=True)
    handle_due_at = models.DateTimeField(_("handle by"), null=True, blank=True)
    handle_warn_at = models.DateTimeField(_("handling warning from"), null=True, blank=True)
    alert_level = models.CharField(
        _("announced warning"),
        max_length=10,
        choices=WarningLevel.choices,
        default=WarningLevel.NONE,
        help_text=_("The highest warning the periodic job has announced for the current deadline."),
    )
    extension_requested_until = models.DateTimeField(
        _("extension requested until"), null=True, blank=True
    )
    # 督办 or 催办 the responsible department has not answered yet: set by urging and supervising,
    # cleared by the department's next step on the event, a new dispatch or the end of the event
    # (jiedao.events.services.handlers.supervision_answered). Its list flags the event meanwhile.
    supervision_kind = models.CharField(
        _("unanswered urging or supervision"),
        max_length=20,
        blank=True,
        choices=[
            (Action.URGE.value, Action.URGE.label),
            (Action.SUPERVISE.value, Action.SUPERVISE.label),
        ],
    )
    supervision_since = models.DateTimeField(_("urged or supervised at"), null=True, blank=True)
    supervision_deadline = models.DateField(
        _("answer the supervision by"),
        null=True,
        blank=True,
        help_text=_("The date by which the department must answer a supervision (督办)."),
    )
    # Its own index for the figures of a period (a parallel index scan: rows come in time order).
    # Indexed by the keyset index (created_at DESC, id DESC), which serves ranges and either
    # order as well as an index of its own would.
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    handling_started_at = models.DateTimeField(_("handling started at"), null=True, blank=True)
    reported_back_at = models.DateTimeField(_("reported back at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    last_action_at = models.DateTimeField(_("last action at"), default=timezone.now)
    is_self_resolved = models.BooleanField(_("resolved on the spot"), default=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("merged into"),
        db_index=False,  # partial, in Meta.indexes
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    extension_count = models.PositiveSmallIntegerField(_("extensions"), default=0)
    rework_count = models.PositiveSmallIntegerField(_("reworks"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("reopenings"), default=0)
    client_key = models.CharField(
        _("client key"),
        max_length=100,
        blank=True,
        help_text=_("The Idempotency-Key of the request that created the event."),
    )
    request_fingerprint = models.CharField(_("request fingerprint"), max_length=64, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["subdistrict", "status"], name="events_subdistrict_status"),
            models.Index(fields=["grid", "status"], name="events_grid_status"),
            models.Index(fields=["community", "status"], name="events_community_status"),
            models.Index(
                fields=["responsible_department", "status"], name="events_department_status"
            ),
            models.Index(fields=["category", "created_at"], name="events_category_created"),
            # Duplicate candidates (jiedao.events.duplicates): open events of a category near a
            # latitude. Closed events, the great majority after a year, stay out of it.
            models.Index(
                fields=["category", "lat"],
                condition=Q(status__in=sorted(OPEN_STATES)),  # as duplicates.OPEN_STATUSES
                name="events_open_place",
            ),
            # The figures of a subdistrict for a period (jiedao.events.figures).
            models.Index(fields=["subdistrict", "created_at"], name="events_subdistrict_created"),
            models.Index(fields=["-created_at", "-id"], name="events_keyset"),
            # The figures of a period that ends today (jiedao.events.rollups): the events
            # dispatched, closed or due on the cutoff's own day are counted from the events.
            # Partial, so that a report, which has none of them yet, writes none of them.
            models.Index(
                fields=["closed_at"], condition=Q(closed_at__isnull=False), name="events_closed_at"
            ),
            models.Index(
                fields=["dispatched_at"],
                condition=Q(dispatched_at__isnull=False),
                name="events_dispatched_at",
            ),
            models.Index(
                fields=["handle_due_at"],
                condition=Q(handle_due_at__isnull=False),
                name="events_handle_due_at",
            ),
            # Foreign keys that most events leave empty (a 12345 or sensor event has no
            # reporting user, few events a responsible person, a proposal or a primary): only
            # the filled ones are indexed. Every lookup by them, a deletion's check among
            # them, asks for one value, which a partial index serves.
            *(
                models.Index(
                    fields=[name], condition=Q(**{f"{name}__isnull": False}), name=f"events_{name}"
                )
                for name in (
                    "reported_by",
                    "responsible_user",
                    "proposed_department",
                    "merged_into",
                )
            ),
        ]
        constraints = [
            # Every event has an owner, always (首接负责): never nobody's.
            models.CheckConstraint(
                condition=Q(responsible_department__isnull=False)
                | Q(responsible_user__isnull=False),
                name="events_event_has_owner",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="events_event_satisfaction_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.MERGED) | Q(merged_into__isnull=False),
                name="events_event_merged_has_primary",
            ),
            # One event per client key and reporter: parallel retries create one event.
            models.UniqueConstraint(fields=["number"], name="events_event_unique_number"),
            models.UniqueConstraint(
                fields=["reported_by", "client_key"],
                condition=~Q(client_key="") & Q(reported_by__isnull=False),
                name="events_event_unique_client_key",
            ),
            models.UniqueConstraint(
                fields=["client_key"],
                condition=~Q(client_key="") & Q(reported_by__isnull=True),
                name="events_event_unique_system_client_key",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def extension_requested(self) -> bool:
        return self.extension_requested_until is not None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES


# The steps whose note is written for the resident (the portal's and Open311's status note,
# jiedao.portal.selectors): the public lists read each event's latest such note.
PUBLIC_NOTE_ACTIONS = (Action.REJECT, Action.REPORT_BACK, Action.SELF_RESOLVE)


class EventStep(models.Model):
    """One line of the timeline: an applied action, or a deadline warning from the periodic job
    (action ``warning``) or a photo added later (action ``add_photo``)."""

    WARNING = "warning"
    ADD_PHOTO = "add_photo"
    # A note from the sensors: the device behind the event, its alarm acknowledged or cleared.
    SENSOR = "sensor"
    # Created by a 12345 import (jiedao.events.importing): the work order's number in ``data``.
    IMPORT = "import"
    PUBLIC_NOTE_ACTIONS = PUBLIC_NOTE_ACTIONS

    # Indexed by the timeline index (event, created_at).
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="steps",
        db_index=False,
        verbose_name=_("event"),
    )
    action = models.CharField(_("action"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        db_index=False,  # partial, in Meta.indexes: the system's steps have no actor
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    note = models.TextField(_("note"), blank=True)
    department = models.ForeignKey(
        "geo.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("event step")
        verbose_name_plural = _("event steps")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["event", "created_at"], name="events_step_timeline"),
            models.Index(fields=["action"], name="events_step_action"),
            models.Index(
                fields=["actor"], condition=Q(actor__isnull=False), name="events_step_actor"
            ),
            # The latest public note of an event, one index probe per listed event: a few rows
            # (most steps carry no public note), newest first.
            models.Index(
                fields=["event", "-created_at", "-id"],
                name="events_step_public_note",
                condition=Q(action__in=PUBLIC_NOTE_ACTIONS),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.action} {self.from_status}→{self.to_status}"

    @property
    def action_label(self) -> str:
        if self.action == self.WARNING:
            return str(_("Deadline warning"))
        if self.action == self.ADD_PHOTO:
            return str(_("Photo added"))
        if self.action == self.SENSOR:
            return str(_("Device alarm"))
        if self.action == self.IMPORT:
            return str(_("Imported from the 12345 hotline"))
        return str(Action(self.action).label) if self.action in Action.values else self.action


def photo_path(instance: "EventPhoto", filename: str) -> str:
    # The name comes from the content type, never from the uploader's file name.
    return f"events/photos/{timezone.now():%Y/%m}/{filename}"


class EventPhoto(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="photos", verbose_name=_("event")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=PhotoStage.choices)
    file = models.FileField(_("file"), upload_to=photo_path, max_length=200)
    content_type = models.CharField(_("content type"), max_length=30)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256 checksum"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    step = models.ForeignKey(
        EventStep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("step"),
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("event photo")
        verbose_name_plural = _("event photos")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.stage} {self.file.name}"


class EventAssignment(models.Model):
    """A department working on an event: the lead (the responsible department, from dispatch) or
    a cooperating one called in (吹哨), which reports in (报到) with its result."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        COOPERATING = "cooperating", _("Cooperating")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("event")
    )
    department = models.ForeignKey(
        "geo.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    reported_in_at = models.DateTimeField(_("reported in at"), null=True, blank=True)
    reported_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported in by"),
    )
    result = models.TextField(_("result"), blank=True)
    ended_at = models.DateTimeField(
        _("ended at"),
        null=True,
        blank=True,
        help_text=_("When a lead department returned the event or another took over."),
    )

    class Meta:
        verbose_name = _("event assignment")
        verbose_name_plural = _("event assignments")
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "department"], name="events_assignment_unique_department"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.department} ({self.role})"


class EventNumberSequence(models.Model):
    """The last number given to an event of a subdistrict on a local day. Incremented with one
    atomic upsert (see :func:`jiedao.events.services.next_event_number`)."""

    subdistrict = models.ForeignKey("geo.Subdistrict", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "day"], name="events_number_sequence_unique_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subdistrict_id} {self.day}: {self.last_value}"
