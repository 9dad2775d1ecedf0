"""Reads of indicators, already narrowed to the user's scope: the table of a period with targets
and changes, one indicator's series for its chart, and the review queue. Each runs a constant
number of statements whatever the number of indicators, values or figures."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import get_in_scope, require, scoped

from .aggregation import HUNDRED, TENTH, Book, Change
from .models import Figure, Indicator, Report, Value
from .periods import FINEST_FIRST, PeriodKey, PeriodKind
from .services.values import indicator_scale
from .units import from_base


@dataclass(frozen=True)
class Row:
    """One indicator in the table of a period: figures in base units and as shown."""

    indicator: Indicator
    period: PeriodKey
    value: Decimal | None
    target: Decimal | None
    change: Change | None
    is_synthetic: bool
    # The computed change rests on a value made up for the demo (last year's).
    change_is_synthetic: bool

    @property
    def shown_value(self) -> Decimal | None:
        return (
            None if self.value is None else from_base(self.value, indicator_scale(self.indicator))
        )

    @property
    def shown_target(self) -> Decimal | None:
        return (
            None if self.target is None else from_base(self.target, indicator_scale(self.indicator))
        )

    @property
    def completion(self) -> Decimal | None:
        """The value as a percentage of the target."""
        if self.value is None or not self.target:
            return None
        return (self.value / self.target * HUNDRED).quantize(TENTH, rounding=ROUND_HALF_UP)


def change_note(row: Row) -> str:
    """Where the row's change comes from, in words."""
    if row.change is None:
        return ""
    if row.change.is_stated:
        return str(_("as the source states"))
    if row.change_is_synthetic:
        return str(_("computed from last year's value (synthesised for the demo)"))
    return str(_("computed from last year's value"))


def indicator_list(*, user: Any) -> QuerySet[Indicator]:
    require(user, "indicators.view")
    return scoped(user, Indicator.objects.select_related("department", "numerator", "denominator"))


def indicator_get(*, user: Any, indicator_id: int) -> Indicator:
    require(user, "indicators.view")
    return get_in_scope(
        user,
        Indicator.objects.select_related("department", "numerator", "denominator"),
        pk=indicator_id,
    )


def _book(indicators: list[Indicator], years: set[int] | None = None) -> Book:
    """The values of ``indicators`` (and of their rates' parts), in one statement."""
    known = {indicator.pk: indicator for indicator in indicators}
    for indicator in indicators:
        for part in (indicator.numerator, indicator.denominator):
            if part is not None:
                known.setdefault(part.pk, part)
    values = Value.objects.filter(indicator_id__in=list(known))
    if years is not None:
        values = values.filter(year__in=sorted(years))
    return Book.of(list(values), list(known.values()))


def _newest_first(periods: set[PeriodKey]) -> list[PeriodKey]:
    # On the same end, the coarsest first: 2022年上半年, 2022年第二季度, 2022年6月.
    order = {kind: index for index, kind in enumerate(FINEST_FIRST)}
    return sorted(
        periods,
        key=lambda key: (key.year, key.last_month, order[PeriodKind(key.kind)]),
        reverse=True,
    )


def _stored_periods(user: Any) -> set[PeriodKey]:
    require(user, "indicators.view")
    keys = (
        scoped(user, Value.objects.filter(value__isnull=False))
        .order_by()
        .values_list("year", "period_kind", "number")
        .distinct()
    )
    return {PeriodKey(year, kind, number) for year, kind, number in keys}


def periods_with_values(*, user: Any) -> list[PeriodKey]:
    """The periods with a value in the user's scope and the coarser periods they lie in (whose
    figures may be aggregated from them), newest first. One statement."""
    stored = _stored_periods(user)
    return _newest_first(stored | {parent for key in stored for parent in key.parents()})


def latest_period(*, user: Any) -> PeriodKey | None:
    """The newest period with a stored value. One statement."""
    periods = _newest_first(_stored_periods(user))
    return periods[0] if periods else None


def indicator_table(*, user: Any, period: PeriodKey) -> list[Row]:
    """Every indicator in scope for ``period``: value, target, change. Two statements."""
    indicators = list(indicator_list(user=user))
    book = _book(indicators, {period.year, period.year - 1})
    return [_row(book, indicator, period) for indicator in indicators]


def _row(book: Book, indicator: Indicator, period: PeriodKey) -> Row:
    change = book.change(indicator, period)
    return Row(
        indicator=indicator,
        period=period,
        value=book.figure(indicator, period),
        target=book.target(indicator, period),
        change=change,
        is_synthetic=book.is_synthetic(indicator, period),
        change_is_synthetic=change is not None
        and not change.is_stated
        and book.is_synthetic(indicator, period.last_year()),
    )


@dataclass(frozen=True)
class Series:
    """An indicator over the periods of one kind that have a value or a target, for its chart."""

    indicator: Indicator
    kind: str
    rows: list[Row]

    def chart(self) -> dict[str, Any]:
        return {
            "name": self.indicator.name,
            "unit": self.indicator.display_unit,
            "labels": [row.period.label for row in self.rows],
            "values": [_number(row.shown_value) for row in self.rows],
            "targets": [_number(row.shown_target) for row in self.rows],
            "changes": [
                None if row.change is None else float(row.change.amount) for row in self.rows
            ],
        }


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def indicator_series(*, user: Any, indicator: Indicator, kind: str | None = None) -> Series:
    """The indicator's periods of ``kind`` (by default the kind most of its values have), each
    with its value, target and change. One statement."""
    book = _book([indicator])
    stored = [key for (pk, key) in [*book.values, *book.targets] if pk == indicator.pk]
    if kind is None:
        counts = {k: sum(1 for key in stored if key.kind == k) for k in PeriodKind.values}
        kind = max(PeriodKind.values, key=lambda k: (counts[k], -FINEST_FIRST.index(PeriodKind(k))))
    periods = sorted({key for key in stored if key.kind == kind})
    return Series(indicator, kind, [_row(book, indicator, period) for period in periods])


def value_history(*, user: Any, indicator: Indicator) -> QuerySet[Value]:
    """The indicator's stored values, newest period first, with who entered them."""
    return (
        scoped(user, Value.objects.filter(indicator=indicator))
        .select_related("entered_by")
        .order_by("-year", "period_kind", "-number")
    )


def report_list(*, user: Any) -> QuerySet[Report]:
    require(user, "indicators.review")
    return scoped(user, Report.objects.select_related("uploaded_by")).annotate(
        figure_count=Count("figures"),
        pending_count=Count("figures", filter=Q(figures__status=Figure.Status.PENDING)),
    )


def report_get(*, user: Any, report_id: int) -> Report:
    require(user, "indicators.review")
    return get_in_scope(user, Report.objects.select_related("uploaded_by"), pk=report_id)


def figure_list(*, user: Any, report: Report | None = None, status: str = "") -> QuerySet[Figure]:
    require(user, "indicators.review")
    figures = scoped(user, Figure.objects.select_related("report", "indicator", "decided_by"))
    if report is not None:
        figures = figures.filter(report=report)
    if status:
        figures = figures.filter(status=status)
    return figures


def pending_count(*, user: Any) -> int:
    return figure_list(user=user, status=Figure.Status.PENDING).count()


def indicator_for_name(indicators: list[Indicator], name: str) -> Indicator | None:
    """The indicator a figure's name suggests: the same name; else the one whose name the
    figure's contains (完成规上数字经济核心产业增加值 → 规上数字经济核心产业增加值), the longest
    if several; else the only one whose name contains the figure's. No suggestion rather than a
    guess among several (事件 is in four names)."""
    name = name.strip()
    if len(name) < 2:
        return None
    exact = [indicator for indicator in indicators if indicator.name == name]
    if len(exact) == 1:
        return exact[0]
    inside = sorted(
        (indicator for indicator in indicators if indicator.name in name),
        key=lambda indicator: len(indicator.name),
        reverse=True,
    )
    if inside and (len(inside) == 1 or len(inside[0].name) > len(inside[1].name)):
        return inside[0]
    around = [indicator for indicator in indicators if name in indicator.name]
    return around[0] if len(around) == 1 else None
