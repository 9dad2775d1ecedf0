"""Request and response types of the sanitation API. Request fields are plain (weights and
quantities as text or numbers): the services check the values and name a wrong one by its
label, the same way for the API and the pages."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field


class CompoundOut(Schema):
    id: int
    name: str
    code: str
    community: str
    grid_code: str
    managing_department: str
    households: int
    open_rectifications: int
    is_synthetic: bool


class MonthOut(Schema):
    compound_id: int
    month: str = Field(description="YYYY-MM")
    households: int
    participating_households: int
    participation_percent: Decimal | None
    drop_offs: int
    correct_drop_offs: int
    accuracy_percent: Decimal | None
    weight_kg: Decimal
    recycling_kg: Decimal
    recycling_value: Decimal
    inspections: int
    findings: int
    open_rectifications: int


class PointOut(Schema):
    id: int
    compound_id: int
    compound: str
    name: str
    responsible_party: str
    responsible_phone: str = Field(description="Masked unless your role needs it")
    opening_hours: str


class DropOffIn(Schema):
    account_number: str
    waste_class: str = Field(description="recyclable, food, hazardous or other")
    weight_kg: str | float = Field(description="Kilograms, more than 0, e.g. 2.5")
    is_correct: bool | None = Field(None, description="Whether it was sorted correctly")
    notes: str = ""


class DropOffOut(Schema):
    id: int
    account_number: str
    collection_point_id: int
    waste_class: str
    weight_kg: Decimal
    is_correct: bool
    dropped_at: datetime
    points_earned: int
    points_balance: int


class FindingIn(Schema):
    kind: str = Field(description="mixed, overflowing, damaged, dirty, unattended, signage, other")
    description: str
    route: str = Field("rectification", description="rectification or event")
    working_days: int | None = Field(None, description="Working days to rectify (default 3)")
    category: str = Field("", description="Event category code when routed to an event")


class InspectionIn(Schema):
    notes: str = ""
    findings: list[FindingIn] = Field(default_factory=list, max_length=10)


class FindingOut(Schema):
    id: int
    kind: str
    description: str
    route: str
    event_number: str
    rectification_id: int | None
    deadline: datetime | None


class InspectionOut(Schema):
    id: int
    collection_point_id: int
    inspected_on: date
    notes: str
    findings: list[FindingOut]


class RectificationOut(Schema):
    id: int
    compound: str
    collection_point: str
    finding: str
    responsible_party: str
    status: str
    status_label: str
    found_at: datetime
    deadline: datetime
    done_at: datetime | None
    verified_at: datetime | None
    returns: int
    actions: list[str]


class RectificationActionIn(Schema):
    action: str = Field(description="report_done, verify or reject")
    notes: str = ""


class WeighInIn(Schema):
    account_number: str
    material_id: int = Field(ge=1, le=2_147_483_647)
    quantity: str | float = Field(description="Kilograms, or a whole number of items")
    credited_as: str = Field(description="points or money")


class WeighInOut(Schema):
    id: int
    account_number: str
    material: str
    quantity: Decimal
    price: Decimal
    value: Decimal
    credited_as: str
    points: int


class EntryOut(Schema):
    kind: str
    points: int
    balance_after: int
    description: str
    booked_at: datetime


class AccountOut(Schema):
    number: str
    holder: str = Field(description="household or unit")
    compound: str
    place: str
    name: str = Field(description="Masked unless your role needs it")
    phone: str = Field(description="Masked unless your role needs it")
    points_balance: int
    is_active: bool
    entries: list[EntryOut]


class RedeemIn(Schema):
    reward_id: int = Field(ge=1, le=2_147_483_647)
    quantity: int = Field(1, ge=1, le=99)


class HouseholdIn(Schema):
    compound_id: int = Field(ge=1, le=2_147_483_647)
    address: str
    contact_name: str
    contact_phone: str = ""
    people: int = Field(1, ge=1, le=30)


class PublicLookupIn(Schema):
    number: str
    code: str


class PublicAccountOut(Schema):
    number: str
    compound: str
    points_balance: int
    entries: list[EntryOut]
