"""Request and response shapes of the enforcement API. Requests are checked by the services,
which name a wrong field by its label; here only the shape."""

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

# The largest key the databases store (PostgreSQL's integer): a larger one is refused as input
# instead of overflowing the query.
MAX_ID = 2_147_483_647


class InspectionFilter(Schema):
    status: str = ""
    action_id: int | None = Field(None, ge=1, le=MAX_ID)


class TargetIn(Schema):
    kind: str = Field(description="business or person")
    name: str
    credit_code: str = Field("", description="统一社会信用代码 (GB 32100), for a business")
    id_number: str = Field("", description="Resident ID number, for a person")
    address: str = ""
    lat: float | None = None
    lng: float | None = None
    crs: str = Field("wgs84", description="wgs84, gcj02 or bd09")
    trade: str = ""
    risk_level: str = Field("low", description="low, medium or high")


class TargetOut(Schema):
    id: int
    kind: str
    name: str
    identifier: str = Field(description="The credit code, or the masked ID number of a person")
    address: str
    grid: str | None = Field(description="The grid's code")
    trade: str
    risk_level: str
    inspection_count: int | None = None


class ImportRowError(Schema):
    row: int
    column: str
    message: str


class ImportOut(Schema):
    created: int


class MatterIn(Schema):
    department_id: int
    code: str
    title: str
    basis: str = ""
    position: int = 0


class MatterOut(Schema):
    id: int
    department: str
    code: str
    title: str
    basis: str


class ActionIn(Schema):
    kind: str = Field(description="joint, campaign, complaint, assigned or recheck")
    title: str
    starts_on: date
    ends_on: date
    lead_department_id: int | None = None


class DrawIn(Schema):
    title: str
    starts_on: date
    ends_on: date
    size: int
    trade: str = ""
    risk_level: str = ""
    joining_department_ids: list[int] = []
    seed: str = Field("", description="Empty: a new random seed")


class ActionOut(Schema):
    id: int
    kind: str
    title: str
    lead_department: str
    starts_on: date
    ends_on: date
    inspection_count: int | None = None
    draw_seed: str
    draw_pool: list[int]
    draw_size: int | None
    draw_reproduces: bool | None = None


class PlanIn(Schema):
    action_id: int
    target_id: int
    planned_on: date
    joining_department_ids: list[int] = []
    override_reason: str = Field("", description="A supervisor's reason to override the guard")


class TransitionIn(Schema):
    action: str = Field(description="start, cancel (text: the reason) or complete (the conclusion)")
    text: str = ""


class ItemIn(Schema):
    result: str = Field(description="pass (合格), fail (不合格) or na (不涉及)")
    notes: str = ""
    working_days: int | None = Field(None, description="Days to rectify a failed item")


class PhotoOut(Schema):
    id: int
    content_type: str
    size: int
    url: str = Field(description="The photo's file, for those who see the inspection")
    created_at: datetime


class PhotosAddedOut(Schema):
    photos: list[PhotoOut]


class ItemOut(Schema):
    id: int
    department: str
    matter: str
    result: str
    notes: str
    can_record: bool
    photos: list[PhotoOut] = []


class FindingIn(Schema):
    description: str
    working_days: int | None = None
    event_number: str = Field("", description="The event the finding starts from")


class RectificationOut(Schema):
    id: int
    inspection_id: int
    target: str
    description: str
    deadline: datetime
    status: str
    overdue: bool
    event_number: str | None
    recheck_notes: str
    photos: list[PhotoOut] | None = Field(
        None, description="The finding's photos (in an inspection's and a finding's output)"
    )


class RecheckIn(Schema):
    passed: bool
    notes: str


class InspectionOut(Schema):
    id: int
    action_id: int
    action: str
    target_id: int
    target: str
    lead_department: str
    joining_departments: list[str]
    planned_on: date
    status: str
    override_reason: str
    code_url: str = Field(description="The public page the 行政检查码 opens")


class InspectionDetailOut(InspectionOut):
    conclusion: str
    items: list[ItemOut]
    rectifications: list[RectificationOut]
    actions: list[str] = Field(description="The moves the user may make now")
