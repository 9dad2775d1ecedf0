from datetime import datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    definition: str
    kind: str
    unit: str = Field(description="The base unit values are stored in (元, 件, %)")
    display_unit: str = Field(description="The unit values are typed and shown in (亿元)")
    aggregation: str
    numerator_id: int | None
    denominator_id: int | None
    department: str
    is_key: bool


class IndicatorIn(Schema):
    code: str
    name: str
    definition: str = ""
    kind: str = Field(description="amount, count or rate")
    unit: str = Field(description="The base unit values are stored in (元, 件, %)")
    display_unit: str = Field(
        "", description="The unit values are shown in (亿元); the unit by default"
    )
    aggregation: str = Field("sum", description="sum, last, average or ratio")
    numerator_id: int | None = Field(None, description="For a ratio: the indicator counted above")
    denominator_id: int | None = Field(None, description="For a ratio: the indicator counted below")
    department_id: int = Field(description="The responsible department")
    is_key: bool = False


class ChangeOut(Schema):
    amount: Decimal
    unit: str = Field(description="% for amounts and counts, percentage points for rates")
    is_stated: bool = Field(description="The change the source states; otherwise computed")
    is_synthetic: bool = Field(description="Computed from a value synthesised for the demo")


class RowOut(Schema):
    indicator_id: int
    name: str
    display_unit: str
    period: str = Field(description="2022-H1, 2022-Q2, 2022-M06 or 2022")
    period_label: str
    value: Decimal | None = Field(description="In the display unit")
    target: Decimal | None = Field(description="In the display unit")
    value_base: Decimal | None = Field(description="In the base unit")
    completion_percent: Decimal | None
    change: ChangeOut | None
    is_synthetic: bool


class TableOut(Schema):
    period: str | None
    period_label: str
    rows: list[RowOut]


class SeriesOut(Schema):
    kind: str
    rows: list[RowOut]


class IndicatorDetailOut(IndicatorOut):
    series: SeriesOut


class ValueIn(Schema):
    period: str = Field(description="2022年上半年, 2022-H1, 2022年第二季度, 2022年6月 or 2022")
    value: Decimal | None = Field(None, description="In the indicator's display unit")
    target: Decimal | None = Field(None, description="In the indicator's display unit")
    stated_change: Decimal | None = Field(None, description="The change the source states, %")


class ValueOut(Schema):
    id: int
    indicator_id: int
    period: str
    value_base: Decimal | None
    target_base: Decimal | None
    stated_change: Decimal | None
    source: str
    is_synthetic: bool
    entered_at: datetime


class UploadOut(Schema):
    entered: int


class FigureOut(Schema):
    id: int
    report_id: int
    position: int
    name: str
    value: Decimal = Field(description="In the base unit (元, not 亿元)")
    unit: str
    change: Decimal | None
    change_is_stated: bool
    sentence: str
    start: int
    end: int
    status: str
    indicator_id: int | None
    period: str | None
    reason: str
    suggested_indicator_id: int | None


class UnreadableOut(Schema):
    sentence: str
    start: int
    end: int
    reason: str


class ReportOut(Schema):
    id: int
    file_name: str
    uploaded_at: datetime
    figure_count: int
    pending_count: int


class ReportDetailOut(ReportOut):
    text: str
    unreadable: list[UnreadableOut]
    figures: list[FigureOut]


class ConfirmIn(Schema):
    indicator_id: int
    period: str


class RejectIn(Schema):
    reason: str
