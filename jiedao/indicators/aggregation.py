"""An indicator's figure for a period, and its year-on-year change: plain computation over the
values already read (no query here), so a table of any size costs the statements of its reads.

A value entered for the period itself is the figure. Without one, the period is made up of finer
ones (months, then quarters, then halves) as the indicator's aggregation says: the sum or the
average of all of them (only when none is missing: a sum of five months is not a half year), the
last one's value (for stocks and year-to-date figures), or, for a rate, its numerator's figure
over its denominator's. The change is computed from last year's figure of the same period when
both are known; otherwise the change the source stated is shown, marked as stated.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from .models import Indicator, Value
from .periods import FINEST_FIRST, PeriodKey

HUNDRED = Decimal(100)
TENTH = Decimal("0.1")
# A rate to two decimals: 98.75 %.
HUNDREDTH = Decimal("0.01")

ValueKey = tuple[int, PeriodKey]


def plain(number: Decimal) -> Decimal:
    """``number`` without trailing zeros, as the source wrote it (16.60 → 16.6, 100.00 → 100)."""
    normalised = number.normalize()
    if normalised == normalised.to_integral_value():
        return normalised.quantize(Decimal(1))
    return normalised


@dataclass(frozen=True)
class Change:
    """A year-on-year change: percent for amounts and counts, percentage points for rates."""

    amount: Decimal
    is_stated: bool
    in_points: bool

    @property
    def unit(self) -> str:
        return str(_("percentage points")) if self.in_points else "%"


@dataclass(frozen=True)
class Book:
    """The values of some indicators, by (indicator id, period), as read from :class:`Value`."""

    values: Mapping[ValueKey, Decimal]
    targets: Mapping[ValueKey, Decimal]
    stated: Mapping[ValueKey, Decimal]
    synthetic: frozenset[ValueKey]
    indicators: Mapping[int, Indicator]

    @classmethod
    def of(cls, rows: list[Value], indicators: list[Indicator]) -> "Book":
        values: dict[ValueKey, Decimal] = {}
        targets: dict[ValueKey, Decimal] = {}
        stated: dict[ValueKey, Decimal] = {}
        synthetic: set[ValueKey] = set()
        for row in rows:
            key = (row.indicator_id, row.period)
            if row.value is not None:
                values[key] = row.value
                if row.is_synthetic:
                    synthetic.add(key)
            if row.target is not None:
                targets[key] = row.target
            if row.stated_change is not None:
                stated[key] = row.stated_change
        return cls(values, targets, stated, frozenset(synthetic), {i.pk: i for i in indicators})

    def figure(self, indicator: Indicator, period: PeriodKey) -> Decimal | None:
        """The indicator's figure for ``period`` (see the module's docstring), or None."""
        stored = self.values.get((indicator.pk, period))
        if stored is not None:
            return stored
        if indicator.aggregation == Indicator.Aggregation.RATIO:
            return self._ratio(indicator, period)
        for kind in FINEST_FIRST:
            children = period.children(kind)
            if not children:
                continue
            found = [self.values.get((indicator.pk, child)) for child in children]
            if indicator.aggregation == Indicator.Aggregation.LAST:
                if found[-1] is not None:
                    return found[-1]
                continue
            if any(value is None for value in found):
                continue
            known = [value for value in found if value is not None]
            total = sum(known, Decimal(0))
            if indicator.aggregation == Indicator.Aggregation.AVERAGE:
                return (total / len(known)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
            return total
        return None

    def _ratio(self, indicator: Indicator, period: PeriodKey) -> Decimal | None:
        numerator = self.indicators.get(indicator.numerator_id or 0)
        denominator = self.indicators.get(indicator.denominator_id or 0)
        if numerator is None or denominator is None:
            return None
        top = self.figure(numerator, period)
        bottom = self.figure(denominator, period)
        if top is None or not bottom:
            return None
        return (top / bottom * HUNDRED).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)

    def change(self, indicator: Indicator, period: PeriodKey) -> Change | None:
        """Computed from last year's figure when both are known, else the stated change."""
        in_points = indicator.kind == Indicator.Kind.RATE
        current = self.figure(indicator, period)
        previous = self.figure(indicator, period.last_year())
        if current is not None and previous is not None and (in_points or previous != 0):
            if in_points:
                amount = current - previous
            else:
                amount = (current - previous) / previous * HUNDRED
            return Change(amount.quantize(TENTH, rounding=ROUND_HALF_UP), False, in_points)
        stated = self.stated.get((indicator.pk, period))
        if stated is not None:
            return Change(plain(stated), True, in_points)
        return None

    def target(self, indicator: Indicator, period: PeriodKey) -> Decimal | None:
        return self.targets.get((indicator.pk, period))

    def is_synthetic(self, indicator: Indicator, period: PeriodKey) -> bool:
        return (indicator.pk, period) in self.synthetic
