"""Request and response types of the community API. Request fields are plain: the services
check the values and name a wrong one by its label."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field


class NeedIn(Schema):
    community_id: int
    group: str = Field(description="Code of the group concerned, e.g. elderly")
    source: str = Field(description="survey, visit or event")
    title: str
    description: str = ""


class NeedActionIn(Schema):
    action: str = Field(description="assess, match, meet, decline or merge")
    reason: str = ""
    match_kind: str = Field("", description="organisation, project, activity or department")
    organisation_id: int | None = None
    department_id: int | None = None
    matched_name: str = ""
    into_id: int | None = None


class NeedOut(Schema):
    id: int
    community: str
    group: str
    source: str
    title: str
    description: str
    status: str
    status_label: str
    matched_to: str
    decline_reason: str
    merged_into_id: int | None
    contact_name: str
    contact_phone: str = Field(description="Masked unless you lead the need's community")
    raised_at: datetime
    actions: list[str]


class SimilarOut(Schema):
    id: int
    title: str
    score: float
    shared: list[str]


class PublicNeedOut(Schema):
    title: str
    group: str
    status: str
    status_label: str
    source_label: str
    raised_on: date


class OrganisationIn(Schema):
    name: str
    credit_code: str
    kind: str
    services: str
    community_ids: list[int]


class OrganisationOut(Schema):
    id: int
    name: str
    credit_code: str
    kind: str
    services: str
    communities: list[str]


class CallIn(Schema):
    need_id: int
    message: str


class EventCallIn(Schema):
    event_number: str
    message: str


class ResponseOut(Schema):
    id: int
    organisation: str = Field(description="the organisation that answered, or empty")
    department: str = Field(description="the department that answered, or empty")
    status: str
    commitment: str
    completion: str
    reported_at: datetime


class CallOut(Schema):
    id: int
    need_id: int | None = Field(description="the need called for, or null for an event's call")
    event_number: str | None = Field(description="the event called for, or null")
    need_title: str = Field(description="the need's title, or the event's number and category")
    community: str
    message: str
    called_at: datetime
    is_open: bool
    responses: list[ResponseOut]


class ReportInIn(Schema):
    organisation_id: int


class ResponseActionIn(Schema):
    action: str = Field(description="commit or complete")
    text: str


class TotalsOut(Schema):
    injected: Decimal
    committed: Decimal
    paid: Decimal
    available: Decimal
    unpaid: Decimal


class FundOut(Schema):
    id: int
    name: str
    size: Decimal
    balance: TotalsOut


class EntryIn(Schema):
    kind: str = Field(description="injection, commitment, payment or release")
    amount: str = Field(description="Yuan, at most two decimals")
    description: str
    booked_on: date | None = None
    commitment_id: int | None = None
    organisation_id: int | None = None


class EntryOut(Schema):
    id: int
    kind: str
    amount: Decimal
    booked_on: date
    description: str
    commitment_id: int | None
    organisation: str


class StatementOut(Schema):
    since: date
    until: date
    opening: TotalsOut
    movements: TotalsOut
    closing: TotalsOut
    entries: list[EntryOut]


class RoundIn(Schema):
    fund_id: int
    name: str
    budget: str = Field(description="Yuan")
    max_per_project: str = Field(description="Yuan")
    opens_on: date
    closes_on: date


class RoundOut(Schema):
    id: int
    name: str
    budget: Decimal
    max_per_project: Decimal
    opens_on: date
    closes_on: date
    status: str
    grade_a_min: int
    grade_b_min: int


class ApplicationIn(Schema):
    organisation_id: int
    title: str
    summary: str
    amount: str = Field(description="Yuan, at most the round's maximum per project")


class ApplicationOut(Schema):
    id: int
    organisation: str
    title: str
    amount: Decimal
    status: str
    score: Decimal | None
    grade: str
    signed_on: date | None
    first_tranche_due: date | None


class ScoreIn(Schema):
    score: int = Field(ge=0, le=100)


class SignIn(Schema):
    signed_on: date


class ReviewIn(Schema):
    stage: str = Field(description="midterm or final")
    passed: bool


class ActivityIn(Schema):
    community_id: int
    kind: str = Field(description="activity or training")
    title: str
    organiser_id: int
    planned_on: str = Field(description="YYYY-MM-DD")
    project_id: int | None = None


class ActivityActionIn(Schema):
    action: str = Field(description="hold or cancel")
    held_on: str = Field("", description="YYYY-MM-DD, for hold; not a day to come")
    person_times: int | str | None = Field(None, description="participants in person-times ≥ 1")
    reason: str = Field("", description="for cancel")


class ActivityOut(Schema):
    id: int
    community: str
    kind: str
    title: str
    organiser: str
    project_id: int | None
    planned_on: date
    status: str
    held_on: date | None
    person_times: int | None
    cancel_reason: str
    actions: list[str]


class FacilityIn(Schema):
    community_id: int
    name: str
    kind: str = Field(description="elderly_bed, childcare or room")
    capacity: int | str
    in_use: int | str = 0


class FacilityUseIn(Schema):
    in_use: int | str


class FacilityOut(Schema):
    id: int
    community: str
    name: str
    kind: str
    capacity: int
    in_use: int
    free: int
