"""Unified event management (一网统管): the catalogue, events, their timeline and photos.

* :class:`Category` — the two-level catalogue (大类 → 小类) of components (部件) and events (事件)
  after GB/T 30428.2, each with a default department and time limits for acceptance and handling
  in working hours or working days. Events are filed under a 小类 (a category with a parent).
* :class:`DutyAssignment` — the duty matrix (职责清单): category × grid or community → department.
  See :mod:`jiedao.events.routing`.
* :class:`Event` — one reported problem, from intake to closure. ``status`` changes only through
  :func:`jiedao.events.services.event_transition` following :mod:`jiedao.events.workflow`.
* :class:`EventStep` — the timeline (留痕): one row per applied action, with who, when, the status
  before and after, the department involved and the action's data.
* :class:`EventPhoto` — photos before, during and after handling, checked by content.
* :class:`EventAssignment` — the departments working on an event: the lead (responsible) one and
  those called in for joint handling (吹哨报到), each reporting in.
* :class:`Notification` — what a user is told about events (written after commit; no SMS).
* :class:`EventNumberSequence` — the per-subdistrict, per-day counter behind event numbers.

Times are stored in UTC. ``created_at`` and the per-stage timestamps are *business* times: the
demo generator back-dates them through the services' ``at`` argument, so they are plain fields
with a default rather than ``auto_now_add``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .workflow import (
    OPEN_STATES,
    Action,
    PhotoStage,
    Source,
    Status,
    Urgency,
    WarningLevel,
)


class Category(models.Model):
    class Kind(models.TextChoices):
        COMPONENT = "component", _("Component (部件)")
        EVENT = "event", _("Event (事件)")

    class TimeUnit(models.TextChoices):
        WORKING_HOURS = "working_hours", _("working hours")
        WORKING_DAYS = "working_days", _("working days")

    class Priority(models.IntegerChoices):
        HIGH = 1, _("High")
        NORMAL = 2, _("Normal")
        LOW = 3, _("Low")

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("main category"),
        help_text=_("Empty for a main category (大类); set for a subcategory (小类)."),
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    default_department = models.ForeignKey(
        "geo.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default department"),
        help_text=_(
            "Proposed when the duty matrix has no entry. In another subdistrict the department "
            "with the same code is proposed."
        ),
    )
    acceptance_limit = models.PositiveIntegerField(
        _("acceptance limit"), default=2, validators=[MinValueValidator(1)]
    )
    acceptance_unit = models.CharField(
        _("acceptance limit unit"),
        max_length=20,
        choices=TimeUnit.choices,
        default=TimeUnit.WORKING_HOURS,
    )
    handling_limit = models.PositiveIntegerField(
        _("handling limit"), default=3, validators=[MinValueValidator(1)]
    )
    handling_unit = models.CharField(
        _("handling limit unit"),
        max_length=20,
        choices=TimeUnit.choices,
        default=TimeUnit.WORKING_DAYS,
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("event category")
        verbose_name_plural = _("event categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_subcategory(self) -> bool:
        return self.parent_id is not None

    @property
    def label(self) -> str:
        """The name in the reader's language: ``name`` is the catalogue's own (Chinese) name and
        the API's contract, ``name_en`` its English name where the catalogue gives one."""
        return localised_name(self.name, self.name_en)


def reads_english() -> bool:
    return (translation.get_language() or "").startswith("en")


def localised_name(name: str, name_en: str) -> str:
    """``name_en`` for a reader of English when there is one, ``name`` otherwise."""
    return name_en if name_en and reads_english() else name


class DutyAssignment(models.Model):
    """One line of the duty matrix: in this grid (or community), this category goes to this
    department. A grid line beats a community line, which beats the category's default."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="duties", verbose_name=_("category")
    )
    community = models.ForeignKey(
        "geo.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    grid = models.ForeignKey(
        "geo.Grid",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("grid"),
    )
    department = models.ForeignKey(
        "geo.Department",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("department"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("duty assignment")
        verbose_name_plural = _("duty matrix")
        ordering = ["category__code", "grid__code", "community__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(community__isnull=True, grid__isnull=False)
                | Q(community__isnull=False, grid__isnull=True),
                name="events_duty_grid_or_community",
            ),
            models.UniqueConstraint(
                fields=["category", "grid"],
                condition=Q(grid__isnull=False),
                name="events_duty_unique_grid",
            ),
            models.UniqueConstraint(
                fields=["category", "community"],
                condition=Q(community__isnull=False),
                name="events_duty_unique_community",
            ),
        ]

    def __str__(self) -> str:
        where = self.grid or self.community
        return f"{self.category.label} @ {where} → {self.department}"


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
    )
    proposed_department = models.ForeignKey(
        "geo.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed department"),
        help_text=_("What the duty matrix proposed on acceptance; the dispatcher may override."),
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
    created_at = models.DateTimeField(_("reported at"), default=timezone.now, db_index=True)
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


class EventStep(models.Model):
    """One line of the timeline: an applied action, or a deadline warning from the periodic job
    (action ``warning``) or a photo added later (action ``add_photo``)."""

    WARNING = "warning"
    ADD_PHOTO = "add_photo"
    # A note from the sensors: the device behind the event, its alarm acknowledged or cleared.
    SENSOR = "sensor"

    # Indexed by the timeline index (event, created_at).
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="steps", db_index=False)
    action = models.CharField(_("action"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
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
        return str(Action(self.action).label) if self.action in Action.values else self.action


def photo_path(instance: "EventPhoto", filename: str) -> str:
    # The name comes from the content type, never from the uploader's file name.
    return f"events/photos/{timezone.now():%Y/%m}/{filename}"


class EventPhoto(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(_("stage"), max_length=20, choices=PhotoStage.choices)
    file = models.FileField(_("file"), upload_to=photo_path, max_length=200)
    content_type = models.CharField(_("content type"), max_length=30)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
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

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="assignments")
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


class Notification(models.Model):
    user = models.ForeignKey(  # indexed by events_notification_unread (user, read_at)
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_notifications",
        db_index=False,
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    # What happened is stored as a code and its parameters and rendered in the reader's
    # language (see jiedao.events.notices); ``message`` is the finished text of a notification
    # written before that, shown as it was when ``params`` is null.
    kind = models.CharField(_("kind"), max_length=30)
    params = models.JSONField(_("parameters"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="events_notification_unread")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.event_id}"

    @property
    def text(self) -> str:
        from .notices import notification_text

        return notification_text(self)


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
