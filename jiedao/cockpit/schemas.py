"""The cockpit's API answer: the board of :mod:`jiedao.cockpit.board`, field for field."""

from typing import Literal

from ninja import Field, Schema


class KpiOut(Schema):
    key: str = Field(description="Stable across releases, e.g. events.open")
    label: str
    value: int | float | None = Field(description="null when not known (never 0)")
    display: str = Field(description="The value as the screen writes it; — when unknown")
    unit: str
    target: int | float | None
    target_display: str
    target_share: float | None = Field(description="Percent of the target reached, 0–100")
    meets_target: bool | None
    better: Literal["higher", "lower"]
    note: str
    url: str = Field(description="The page behind the figure; empty when there is none")


class SeriesOut(Schema):
    name: str
    values: list[int | float | None]


class TrendOut(Schema):
    title: str
    unit: str
    labels: list[str]
    series: list[SeriesOut]


class RankingRowOut(Schema):
    rank: int
    label: str
    value: int | float | None
    display: str


class RankingOut(Schema):
    title: str
    unit: str
    rows: list[RankingRowOut]


class PanelOut(Schema):
    title: str
    order: int
    kpis: list[KpiOut]
    trends: list[TrendOut]
    rankings: list[RankingOut]


class LayerOut(Schema):
    key: str = Field(description="e.g. events.open, sensors.alarms")
    label: str
    by_grid: dict[str, int] = Field(description="grid code → count; grids left out count 0")
    total: int
    max: int


class TargetOut(KpiOut):
    panel: str = Field(description="The title of the panel the figure comes from")


class BoardOut(Schema):
    day: str = Field(description="The day shown (YYYY-MM-DD, Asia/Shanghai)")
    generated_at: str
    panels: list[PanelOut]
    targets: list[TargetOut] = Field(description="The figures that have a target, from every panel")
    layers: list[LayerOut]
