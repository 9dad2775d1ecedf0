"""Writing indicator values and targets: the one write behind the lead department's form, the
Excel upload, the API and the review queue's confirmations.

A door reads its input into text or numbers in the indicator's display unit; :func:`entry_clean`
turns that into base units (or says, naming the field by its label, what is wrong), and
:func:`value_record` creates or updates the period's row, audited.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedao.accounts.permissions import SYSTEM, get_in_scope, require, scoped
from jiedao.core.errors import ErrorList, Forbidden, InvalidInput
from jiedao.core.updates import model_create, model_update

from ..models import Indicator, Value
from ..periods import PeriodKey, parse_period
from ..policy import can_enter
from ..units import scale_of, to_base

# With a context: other apps say "Value" (a sensor's 读数) and "Target" (执法对象) otherwise.
LABELS = {
    "indicator": pgettext_lazy("indicator", "Indicator"),
    "period": pgettext_lazy("indicator", "Period"),
    "value": pgettext_lazy("indicator", "Value"),
    "target": pgettext_lazy("indicator", "Target"),
    "stated_change": _("Stated year-on-year change (%)"),
}
# The largest base-unit figure the table holds (max_digits=20, decimal_places=4).
LIMIT = Decimal(10) ** 16
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Entry:
    """A checked submission for one indicator and period, in base units."""

    indicator: Indicator
    period: PeriodKey
    value: Decimal | None
    target: Decimal | None
    stated_change: Decimal | None


def decimal_clean(value: Any, *, field: str) -> Decimal | None:
    """A number from a typed value or text (全角 digits and thousands separators allowed); None
    for an empty one; 422 naming the field otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        value = "x"
    text = str(value).strip().replace(",", "").replace("，", "")
    text = text.translate(str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+"))
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise InvalidInput(
            _("%(field)s must be a number, e.g. 15.3."),
            params={"field": LABELS[field]},
            code="not_a_number",
            field=field,
        )
    return number


def indicator_scale(indicator: Indicator) -> Decimal:
    """Base units per display unit (10⁸ for an amount in 元 shown in 亿元)."""
    return scale_of(indicator.display_unit, indicator.unit) or Decimal(1)


def period_clean(value: Any) -> PeriodKey:
    if isinstance(value, PeriodKey):
        period: PeriodKey | None = value
    else:
        period = parse_period(str(value or ""))
    if period is None or not FIRST_YEAR <= period.year <= LAST_YEAR:
        raise InvalidInput(
            _("%(field)s must be a month, quarter, half or year, e.g. 2022年上半年 or 2022-H1."),
            params={"field": LABELS["period"]},
            code="bad_period",
            field="period",
        )
    return period


def _in_base_units(indicator: Indicator, number: Decimal, field: str, *, scale: Decimal) -> Decimal:
    base = to_base(number, scale)
    label = LABELS[field]
    if abs(base) >= LIMIT:
        raise InvalidInput(
            _("%(field)s is too large."), params={"field": label}, code="too_large", field=field
        )
    if indicator.kind == Indicator.Kind.COUNT and (base < 0 or base != base.to_integral_value()):
        raise InvalidInput(
            _("%(field)s of a count must be a whole number of %(unit)s, not negative."),
            params={"field": label, "unit": indicator.unit},
            code="not_a_count",
            field=field,
        )
    if indicator.kind == Indicator.Kind.RATE and base < 0:
        raise InvalidInput(
            _("%(field)s of a rate cannot be negative."),
            params={"field": label},
            code="negative_rate",
            field=field,
        )
    return base.quantize(Decimal("0.0001"))


def entry_clean(
    *,
    indicator: Indicator,
    period: Any,
    value: Any,
    target: Any = None,
    stated_change: Any = None,
    base_units: bool = False,
) -> Entry:
    """Check one submission; every problem at once. ``value`` and ``target`` are in the
    indicator's display unit (亿元) unless ``base_units`` (a figure read from a report)."""
    errors = ErrorList()
    key = errors.check(lambda: period_clean(period), default=None)
    numbers: dict[str, Decimal | None] = {}
    for field, raw in (("value", value), ("target", target), ("stated_change", stated_change)):
        numbers[field] = errors.check(partial(decimal_clean, raw, field=field), default=None)
    scale = Decimal(1) if base_units else indicator_scale(indicator)
    for field in ("value", "target"):
        number = numbers[field]
        if number is not None:
            numbers[field] = errors.check(
                partial(_in_base_units, indicator, number, field, scale=scale), default=None
            )
    if not errors and numbers["value"] is None and numbers["target"] is None:
        errors.add(
            InvalidInput(
                _("%(field)s is required: enter the value, the target or both."),
                params={"field": LABELS["value"]},
                code="required",
                field="value",
            )
        )
    errors.raise_any()
    if key is None:  # raise_any() has raised the period's error
        raise InvalidInput(LABELS["period"], field="period")
    return Entry(indicator, key, numbers["value"], numbers["target"], numbers["stated_change"])


@transaction.atomic(savepoint=False)
def value_record(
    *,
    actor: Any,
    entry: Entry,
    source: str,
    is_synthetic: bool = False,
    target_is_synthetic: bool = False,
) -> Value:
    """Create or update the period's row from a checked entry, audited. A part the entry leaves
    empty (the target, say) keeps what the row has. Callers have checked the permission."""
    data: dict[str, Any] = {
        name: number
        for name, number in (
            ("value", entry.value),
            ("target", entry.target),
            ("stated_change", entry.stated_change),
        )
        if number is not None
    }
    if entry.value is not None:
        data["is_synthetic"] = is_synthetic
    if entry.target is not None:
        data["target_is_synthetic"] = target_is_synthetic
    period = entry.period
    existing = (
        Value.objects.select_for_update()
        .filter(
            indicator=entry.indicator,
            year=period.year,
            period_kind=period.kind,
            number=period.number,
        )
        .first()
    )
    who = actor if actor is not SYSTEM else None
    now = timezone.now()
    if existing is None:
        return model_create(
            model=Value,
            data={
                "indicator": entry.indicator,
                "year": period.year,
                "period_kind": period.kind,
                "number": period.number,
                "source": source,
                "entered_by": who,
                "entered_at": now,
                **data,
            },
            actor=actor,
            action="indicators.value.create",
        )
    if any(getattr(existing, name) != number for name, number in data.items()):
        # Source and who entered it describe the value; a target alone changes neither (the
        # audit entry says who set the target).
        entered = (
            {"source": source, "entered_by": who, "entered_at": now}
            if entry.value is not None
            else {}
        )
        model_update(
            instance=existing,
            data={**data, **entered},
            actor=actor,
            action="indicators.value.update",
        )
    return existing


def _indicator_for_entry(actor: Any, indicator_id: int) -> Indicator:
    """The indicator, if the actor may enter its values: 404 outside the scope, 403 when the
    actor sees it but is not its lead department."""
    require(actor, "indicators.enter")
    indicator = get_in_scope(actor, Indicator.objects.select_related("department"), pk=indicator_id)
    if actor is not SYSTEM and not can_enter(actor, indicator):
        raise Forbidden(_("Only the indicator's lead department enters its values."))
    return indicator


@transaction.atomic
def value_enter(
    *,
    actor: Any,
    indicator_id: int,
    period: Any,
    value: Any,
    target: Any = None,
    stated_change: Any = None,
    source: str = Value.Source.FORM,
) -> Value:
    """The lead department enters one period's value and/or target in the display unit."""
    indicator = _indicator_for_entry(actor, indicator_id)
    entry = entry_clean(
        indicator=indicator,
        period=period,
        value=value,
        target=target,
        stated_change=stated_change,
    )
    return value_record(actor=actor, entry=entry, source=source)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@transaction.atomic
def values_upload(*, actor: Any, rows: Sequence[tuple[int, dict[str, Any]]]) -> list[Value]:
    """Enter every row of an Excel file (row number → indicator, period, value, target, stated
    change), all or nothing: a file with one wrong row writes nothing and the 422 lists every
    wrong row with its column's label. A row may name only indicators the actor enters."""
    require(actor, "indicators.enter")
    if not rows:
        raise InvalidInput(_("The file has no rows of values."), code="empty", field="file")
    indicators = {
        indicator.name: indicator
        for indicator in scoped(actor, Indicator.objects.all())
        if can_enter(actor, indicator)
    }
    errors: list[RowError] = []
    entries: list[Entry] = []
    seen: dict[tuple[int, PeriodKey], int] = {}
    for number, fields in rows:
        name = str(fields.get("indicator") or "").strip()
        indicator = indicators.get(name)
        if indicator is None:
            message = (
                _("%(field)s “%(name)s” is not one your department enters.")
                % {"field": LABELS["indicator"], "name": name}
                if name
                else _("%(field)s is required.") % {"field": LABELS["indicator"]}
            )
            errors.append(RowError(number, str(LABELS["indicator"]), str(message)))
            continue
        try:
            entry = entry_clean(
                indicator=indicator,
                period=fields.get("period"),
                value=fields.get("value"),
                target=fields.get("target"),
                stated_change=fields.get("stated_change"),
            )
        except InvalidInput as error:
            for single in error.errors:
                errors.append(
                    RowError(number, str(LABELS.get(single.field or "", "")), str(single.message))
                )
            continue
        key = (indicator.pk, entry.period)
        if key in seen:
            message = _("%(name)s %(period)s: the same as row %(row)s.") % {
                "name": indicator.name,
                "period": entry.period.label,
                "row": seen[key],
            }
            errors.append(RowError(number, str(LABELS["period"]), str(message)))
            continue
        seen[key] = number
        entries.append(entry)
    if errors:
        first = errors[0]
        raise InvalidInput(
            _("Row %(row)s: %(message)s (%(count)s wrong rows; nothing was entered.)")
            % {"row": first.row, "message": first.message, "count": len({e.row for e in errors})},
            code="invalid_rows",
            field="file",
            extra={
                "errors": [
                    {"row": error.row, "column": error.column, "message": error.message}
                    for error in errors
                ]
            },
        )
    return [value_record(actor=actor, entry=entry, source=Value.Source.UPLOAD) for entry in entries]
