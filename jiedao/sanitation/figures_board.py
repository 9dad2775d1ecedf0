"""The sanitation board's figures by month, compound and grid: the sums of the compounds' months
(read through :mod:`jiedao.sanitation.selectors_board`) and the rates they make. The page and
the API read them through :func:`board_figures`, in a constant number of statements."""

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jiedao.accounts.permissions import SYSTEM, require

from .selectors_board import (
    RankedCompound,
    board_compounds,
    board_rules,
    board_subdistrict,
    live_rows,
    month_counts,
    months_back,
    parse_board_month,
)


def _percent(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def _average(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Totals:
    """The sums of some compounds' months and the rates they make."""

    label: str
    compounds: int
    households: int
    participating_households: int
    drop_offs: int
    correct_drop_offs: int
    recycling_kg: Decimal
    findings: int
    rectifications: int
    rectified_on_time: int
    average_score: Decimal | None

    @property
    def participation(self) -> Decimal | None:
        return _percent(self.participating_households, self.households)

    @property
    def accuracy(self) -> Decimal | None:
        return _percent(self.correct_drop_offs, self.drop_offs)

    @property
    def kg_per_household(self) -> Decimal | None:
        if not self.households:
            return None
        return (self.recycling_kg / self.households).quantize(
            Decimal("0.001"), rounding=ROUND_HALF_UP
        )

    @property
    def rectified_on_time_rate(self) -> Decimal | None:
        return _percent(self.rectified_on_time, self.rectifications)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("participation", "accuracy", "kg_per_household", "rectified_on_time_rate"):
            data[name] = getattr(self, name)
        return {
            key: str(value) if isinstance(value, Decimal) else value for key, value in data.items()
        }


def totals(label: str, rows: list[RankedCompound]) -> Totals:
    def total(name: str) -> Any:
        return sum((Decimal(row.counts.get(name, 0)) for row in rows), Decimal(0))

    return Totals(
        label=label,
        compounds=len(rows),
        households=int(total("households")),
        participating_households=int(total("participating_households")),
        drop_offs=int(total("drop_offs")),
        correct_drop_offs=int(total("correct_drop_offs")),
        recycling_kg=total("recycling_kg"),
        findings=int(total("findings")),
        rectifications=int(total("rectifications")),
        rectified_on_time=int(total("rectified_on_time")),
        average_score=_average([row.score for row in rows if row.score is not None]),
    )


@dataclass(frozen=True)
class BoardFigures:
    month: date
    by_month: list[Totals]  # the twelve months up to ``month``, oldest first
    by_grid: list[Totals]  # ``month``'s compounds summed per grid
    by_compound: list[RankedCompound]  # ``month``'s compounds, ranked

    def as_dict(self) -> dict[str, Any]:
        return {
            "month": f"{self.month:%Y-%m}",
            "by_month": [row.as_dict() for row in self.by_month],
            "by_grid": [row.as_dict() for row in self.by_grid],
            "by_compound": [row.as_dict() for row in self.by_compound],
        }


def board_figures(*, user: Any, month: Any, months: int = 12) -> BoardFigures:
    """The figures of the twelve months up to ``month`` (computed live from the records), and
    ``month``'s by grid and by compound, in a constant number of statements."""
    if user is not SYSTEM:
        require(user, "sanitation.board_view")
    first = parse_board_month(month)
    subdistrict = board_subdistrict(user=user)
    rules = board_rules(subdistrict_id=subdistrict.pk)
    compounds = board_compounds(subdistrict.pk)
    span = months_back(first, months)
    counts, any_record = month_counts(subdistrict_id=subdistrict.pk, months=span)
    by_month = []
    rows: list[RankedCompound] = []
    for each in span:
        records = {cid: values for (m, cid), values in counts.items() if m == each}
        rows = live_rows(
            compounds=compounds, records=records, rules=rules, has_records=any_record[each]
        )
        by_month.append(totals(f"{each:%Y-%m}", rows))
    grids: dict[int, list[RankedCompound]] = defaultdict(list)
    for row in rows:  # the last month of the span: ``month`` itself
        grids[row.grid_id].append(row)
    by_grid = sorted(
        (totals(f"{group[0].community} · {group[0].grid}", group) for group in grids.values()),
        key=lambda row: row.label,
    )
    return BoardFigures(month=first, by_month=by_month, by_grid=by_grid, by_compound=rows)
