"""The team assessment API's bodies. Scores and weights travel as decimal strings ("12.50"),
so that no client rounds them through a float."""

from ninja import Schema
from pydantic import Field


class TeamOut(Schema):
    id: int
    name: str
    leader: str
    department: str | None
    member_count: int


class ScoreRowOut(Schema):
    user_id: int
    name: str
    is_synthetic: bool = Field(description="A member made up for the demo")
    rank: int = Field(description="Competition rank in the team: equal scores share a rank")
    score: str
    counts: dict[str, int] = Field(description="measure → number of records behind it")
    parts: dict[str, str] = Field(description="measure → sign × weight × count")


class TeamRef(Schema):
    id: int
    name: str


class TeamMonthOut(Schema):
    team: TeamRef
    month: str = Field(description="YYYY-MM")
    is_closed: bool = Field(description="Closed months are stored; open ones computed live")
    closed_at: str | None
    weights: dict[str, str]
    member_count: int
    average: str | None = Field(description="The team's mean score; only for whole-team viewers")
    rows: list[ScoreRowOut]


# A weight may be sent as a number or as a decimal string; the service checks it and names the
# measure in its error.
WeightValue = str | int | float | None


class WeightsIn(Schema):
    handled: WeightValue = None
    on_time: WeightValue = None
    returned: WeightValue = None
    reworked: WeightValue = None
    satisfied: WeightValue = None
    dissatisfied: WeightValue = None
    inspections: WeightValue = None
    rechecks: WeightValue = None
    task_reports: WeightValue = None


class MeasureOut(Schema):
    key: str
    label: str
    description: str
    sign: int = Field(description="+1 adds to the score, -1 deducts")
    weight: str


class RecordOut(Schema):
    id: int
    label: str
    url: str


class RecordsOut(Schema):
    measure: str
    total: int = Field(description="Every record behind the count")
    records: list[RecordOut] = Field(description="Those the caller may open")


class MonthClosedOut(Schema):
    id: int
    team_id: int
    month: str
    closed_at: str


class TeamIn(Schema):
    name: str = Field(max_length=200)
    leader_id: int
    department_id: int | None = None


class MemberIn(Schema):
    user_id: int


class MemberOut(Schema):
    user_id: int
    name: str
    is_synthetic: bool
