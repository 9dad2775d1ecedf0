"""API schemas for events. Request schemas forbid unknown fields: ``status`` and the other
workflow fields are never writable — they change only through the actions."""

from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

# The words a form or a JSON client may use for yes and no when deciding an extension.
APPROVE_WORDS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def parse_approve(value: object) -> bool | None:
    """``value`` as a decision (True, False), or None when it is not one."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return APPROVE_WORDS.get(value.strip().lower())
    return None


def parse_whole_number(value: object) -> int | None:
    """``value`` as a whole number (an int, or digits in a string), or None when it is not one."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


# Said for a value of the wrong kind, by the API and the pages alike.
WORKING_DAYS_INVALID = _("Give the number of working days as a whole number, for example 3.")
APPROVE_INVALID = _("Say whether the extension is approved or refused.")
SATISFACTION_INVALID = _(
    "Satisfaction is a whole number from 1 (very dissatisfied) to 5 (very satisfied)."
)


class EventIn(Schema):
    """A report. Give the location as lat/lng (in ``crs``), or only the grid code when there are
    no coordinates (a hotline call): the point is then approximate. Photos come as multipart
    files ``photos`` (before) and ``after_photos`` (with ``self_resolved``)."""

    model_config = ConfigDict(extra="forbid")

    category: str = Field("", description="Subcategory code, e.g. E0101 (暴露垃圾)")
    description: str = Field("", max_length=2000)
    lat: float | None = Field(None, description="Latitude in the given coordinate system")
    lng: float | None = Field(None, description="Longitude in the given coordinate system")
    crs: str = Field("wgs84", description="wgs84 (GPS), gcj02 (Amap, Tencent) or bd09 (Baidu)")
    grid: str = Field("", description="Grid code; needed only without coordinates")
    address: str = Field("", max_length=200)
    source: str | None = Field(None, description="Defaults to your role's usual source")
    urgency: str | None = Field(None, description="normal, urgent or critical")
    reporter_name: str = ""
    reporter_phone: str = ""
    self_resolved: bool = Field(False, description="Grid workers: resolved on the spot")
    resolution_note: str = ""
    client_uuid: str = Field(
        "", description="Idempotency key for form posts (the Idempotency-Key header wins)"
    )


class TransitionIn(Schema):
    """Data of an action; which fields an action needs is listed in ``allowed_actions``."""

    model_config = ConfigDict(extra="forbid")

    note: str | None = None
    reason: str | None = None
    department: str | None = Field(None, description="dispatch: department code")
    departments: list[str] | None = Field(None, description="call_departments: codes")
    working_days: int | None = Field(None, description="request_extension: 1–30")
    approve: bool | None = Field(None, description="decide_extension")
    satisfaction: int | None = Field(None, description="rate: 1–5")
    primary: str | None = Field(None, description="merge: number of the primary event")
    deadline: date | None = Field(
        None, description="supervise: the date by which the department must answer (optional)"
    )

    @field_validator("working_days", "satisfaction", mode="before")
    @classmethod
    def _whole_number(cls, value: object, info: ValidationInfo) -> object:
        if value is None:
            return None
        number = parse_whole_number(value)
        if number is None:
            message = (
                WORKING_DAYS_INVALID if info.field_name == "working_days" else SATISFACTION_INVALID
            )
            raise PydanticCustomError("invalid", str(message))
        return number

    @field_validator("approve", mode="before")
    @classmethod
    def _decision(cls, value: object) -> object:
        if value is None:
            return None
        decision = parse_approve(value)
        if decision is None:
            raise PydanticCustomError("invalid", str(APPROVE_INVALID))
        return decision


class CodeName(Schema):
    code: str
    name: str


class CategoryOut(Schema):
    code: str
    name: str
    name_en: str
    kind: str
    parent_code: str | None
    parent_name: str | None
    default_department: CodeName | None
    acceptance_limit: int
    acceptance_unit: str
    handling_limit: int
    handling_unit: str
    priority: int


class ActionOut(Schema):
    action: str
    label: str
    requires: list[str]


class StepOut(Schema):
    id: int
    action: str
    label: str
    actor: str
    actor_unit: str = Field(
        description="The unit of the user who acted (their department, grid, community or "
        "command centre); empty for the system"
    )
    from_status: str
    to_status: str
    note: str
    department: CodeName | None
    created_at: datetime
    data: dict[str, Any]
    photo_ids: list[int]


class PhotoOut(Schema):
    id: int
    stage: str
    content_type: str
    size: int
    step_id: int | None
    url: str
    created_at: datetime


class AssignmentOut(Schema):
    department: CodeName
    role: str
    assigned_at: datetime
    reported_in_at: datetime | None
    result: str
    ended_at: datetime | None


class EventSummaryOut(Schema):
    number: str
    status: str
    status_label: str
    source: str
    category: CodeName
    main_category: CodeName | None
    description: str
    lat: float
    lng: float
    is_location_approximate: bool
    address: str
    grid: CodeName
    community: CodeName
    urgency: str
    responsible_department: CodeName | None
    warning_level: str
    accept_due_at: datetime | None
    handle_due_at: datetime | None
    created_at: datetime
    closed_at: datetime | None
    is_self_resolved: bool


class TodoTabOut(Schema):
    key: str
    label: str
    count: int


class ReturnedOut(Schema):
    reason: str
    department: str
    at: datetime


class PressedOut(Schema):
    kind: str = Field(description="urge (催办) or supervise (督办)")
    label: str
    since: datetime
    deadline: date | None
    note: str


class TodoItemOut(EventSummaryOut):
    tab: str
    tab_label: str
    due_at: datetime | None = Field(description="The deadline running in the event's status")
    working_seconds_left: int | None = Field(description="Office seconds; negative when overdue")
    time_left: str
    returned: ReturnedOut | None = Field(description="Returned by a department (退回), waiting")
    pressed: PressedOut | None = Field(description="An unanswered 督办 or 催办")


class TodoPageOut(Schema):
    tabs: list[TodoTabOut]
    total: int
    overdue: int
    items: list[TodoItemOut]
    next_cursor: str | None


class EventDetailOut(EventSummaryOut):
    reporter_name: str
    reporter_phone: str = Field(description="Masked; POST …/contact reveals it (logged)")
    responsible_user: str | None
    proposed_department: CodeName | None
    status_before_suspension: str
    extension_requested_until: datetime | None
    accepted_at: datetime | None
    dispatched_at: datetime | None
    handling_started_at: datetime | None
    reported_back_at: datetime | None
    rejected_at: datetime | None
    suspended_at: datetime | None
    merged_into: str | None
    merged_events: list[str]
    satisfaction: int | None
    extension_count: int
    rework_count: int
    reopen_count: int
    timeline: list[StepOut]
    photos: list[PhotoOut]
    assignments: list[AssignmentOut]
    allowed_actions: list[ActionOut]
    can_add_photo: bool
    can_reveal_contact: bool


class CandidateOut(Schema):
    event: EventSummaryOut
    distance_metres: float


class CandidatesOut(Schema):
    items: list[CandidateOut] = Field(description="The nearest candidates, nearest first")
    more: int = Field(description="How many more candidates there are, not listed")
    see_all_url: str = Field(description="The staff event list filtered to where they lie")


class EventCreatedOut(EventDetailOut):
    duplicate_candidates: list[CandidateOut] = Field(description="The nearest candidates")
    duplicate_candidates_more: int = Field(description="How many more, not listed")
    duplicate_candidates_url: str = Field(description="The event list where all can be seen")


class EventPageOut(Schema):
    items: list[EventSummaryOut]
    next_cursor: str | None


class EventListQuery(Schema):
    status: list[str] = Field(default_factory=list, description="Repeat or comma-separate")
    category: str = ""
    grid: str = ""
    community: str = ""
    department: str = Field("", description="Responsible department code")
    source: str = ""
    warning: str = Field("", description="none, yellow or red")
    created_from: date | None = None
    created_until: date | None = None
    search: str = ""
    cursor: str = ""
    limit: int = 50


class ContactOut(Schema):
    reporter_name: str
    reporter_phone: str


class PhotosAddedOut(Schema):
    photos: list[PhotoOut]


class NotificationOut(Schema):
    id: int
    event_number: str | None = Field(description="None when the notification is not about an event")
    link: str = Field(description="Where a notification that is not about an event leads")
    kind: str
    message: str
    created_at: datetime
    read_at: datetime | None


class NotificationsReadIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ids: list[int] | None = Field(None, description="Leave out to mark all read")


class CountOut(Schema):
    count: int
