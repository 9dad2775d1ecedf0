"""The review queue: a narrative report uploaded, its figures read out by :func:`extract`, and
a supervisor's decision on each one — confirmed as a value of an indicator for a period (written
by the same :func:`value_record` as the lead department's form), or rejected with a reason."""

import hashlib
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedao.accounts.permissions import SYSTEM, get_in_scope, require, scoped
from jiedao.audit.services import audit_record
from jiedao.core.errors import Conflict, ErrorList, InvalidInput
from jiedao.core.text import clean_text
from jiedao.core.updates import model_update
from jiedao.geo.models import Subdistrict

from ..documents import report_content
from ..extraction import Figure as ReadFigure
from ..extraction import extract
from ..models import Figure, Indicator, Report, Value
from ..units import units_match
from .values import LABELS, entry_clean, period_clean, value_record

OUT_OF_RANGE = "out-of-range"
# The columns' limits: Figure.value (20 digits, 4 decimals) and Figure.change (9, 2).
VALUE_LIMIT = Decimal(10) ** 16
CHANGE_LIMIT = Decimal(10) ** 7


def _storable(figure: ReadFigure) -> bool:
    change = figure.yoy_percent
    return abs(figure.value) < VALUE_LIMIT and (change is None or abs(change) < CHANGE_LIMIT)


def _subdistrict_of(actor: Any) -> Subdistrict:
    if actor is SYSTEM or actor.subdistrict_id is None:
        raise InvalidInput(_("Your account belongs to no subdistrict."), field="subdistrict")
    return actor.subdistrict


@transaction.atomic
def report_upload(
    *, actor: Any, file_name: str, data: bytes, subdistrict: Subdistrict | None = None
) -> Report:
    """Read the report's figures into the queue. The same report uploaded again is the report
    already there (its figures are not queued twice)."""
    require(actor, "indicators.review")
    subdistrict = subdistrict or _subdistrict_of(actor)
    content = report_content(file_name, data)
    content_hash = hashlib.sha256(data).hexdigest()
    existing = Report.objects.filter(subdistrict=subdistrict, content_hash=content_hash).first()
    if existing is not None:
        return existing
    extraction = extract(content)
    figures = [figure for figure in extraction.figures if _storable(figure)]
    # A figure too large for the table is not rounded or cut: it is listed as unreadable.
    unreadable = [place.as_json() for place in extraction.unreadable] + [
        {
            "sentence": figure.sentence,
            "start": figure.start,
            "end": figure.end,
            "reason": OUT_OF_RANGE,
            "explanation": str(
                _("This number is too large to be a value of an indicator; it is not read.")
            ),
        }
        for figure in extraction.figures
        if not _storable(figure)
    ]
    report = Report.objects.create(
        subdistrict=subdistrict,
        file_name=(file_name or "report.txt")[:200],
        content_hash=content_hash,
        text=extraction.text,
        unreadable=unreadable,
        uploaded_by=actor if actor is not SYSTEM else None,
        uploaded_at=timezone.now(),
    )
    Figure.objects.bulk_create(
        Figure(
            report=report,
            position=position,
            name=(figure.name or "")[:200],
            value=figure.value,
            unit=figure.unit[:20],
            change=figure.yoy_percent,
            change_is_stated=figure.yoy_percent is not None and figure.yoy_stated,
            sentence=figure.sentence,
            start=figure.start,
            end=figure.end,
        )
        for position, figure in enumerate(figures, start=1)
    )
    audit_record(
        actor=actor,
        action="indicators.report.upload",
        target=report,
        after={
            "file_name": report.file_name,
            "figures": len(figures),
            "unreadable": len(unreadable),
        },
    )
    return report


def _pending(actor: Any, figure_id: int) -> Figure:
    figure = get_in_scope(
        actor,
        Figure.objects.select_for_update(of=("self",)).select_related("report"),
        pk=figure_id,
    )
    if figure.status != Figure.Status.PENDING:
        raise Conflict(
            _("This figure is decided already: %(status)s.")
            % {"status": Figure.Status(figure.status).label},
            code="decided",
        )
    return figure


@transaction.atomic
def figure_confirm(
    *,
    actor: Any,
    figure_id: int,
    indicator_id: Any,
    period: Any,
    is_synthetic: bool = False,
) -> Value:
    """Confirm a figure as the indicator's value for the period, in base units as read; the
    change the report states goes with it, marked as stated."""
    require(actor, "indicators.review")
    figure = _pending(actor, figure_id)
    errors = ErrorList()
    indicator: Indicator | None = None
    try:
        indicator_pk = int(indicator_id)
    except (TypeError, ValueError):
        indicator_pk = None
    if indicator_pk is not None:
        # An indicator outside the scope reads as no choice: scope cannot be probed.
        indicator = (
            scoped(actor, Indicator.objects.all())
            .filter(subdistrict_id=figure.report.subdistrict_id, pk=indicator_pk)
            .first()
        )
    if indicator is None:
        errors.add(
            InvalidInput(
                _("%(field)s: choose the indicator this figure is a value of."),
                params={"field": LABELS["indicator"]},
                code="required",
                field="indicator",
            )
        )
    elif not units_match(figure.unit, indicator.unit):
        errors.add(
            InvalidInput(
                _("%(field)s: the figure is in %(figure)s, “%(name)s” is counted in %(unit)s."),
                params={
                    "field": LABELS["indicator"],
                    "figure": figure.unit,
                    "name": indicator.name,
                    "unit": indicator.unit,
                },
                code="unit_mismatch",
                field="indicator",
            )
        )
    key = errors.check(lambda: period_clean(period), default=None)
    errors.raise_any()
    if indicator is None or key is None:  # raise_any() has raised their errors
        raise InvalidInput(LABELS["indicator"], field="indicator")
    entry = entry_clean(
        indicator=indicator,
        period=key,
        value=figure.value,
        stated_change=figure.change if figure.change_is_stated else None,
        base_units=True,
    )
    value = value_record(
        actor=actor, entry=entry, source=Value.Source.REVIEW, is_synthetic=is_synthetic
    )
    model_update(
        instance=figure,
        data={
            "status": Figure.Status.CONFIRMED,
            "indicator": indicator,
            "year": key.year,
            "period_kind": key.kind,
            "number": key.number,
            "decided_by": actor if actor is not SYSTEM else None,
            "decided_at": timezone.now(),
        },
        actor=actor,
        action="indicators.figure.confirm",
    )
    return value


@transaction.atomic
def figure_reject(*, actor: Any, figure_id: int, reason: Any) -> Figure:
    """Reject a figure (not an indicator we keep, read wrongly …); the reason is required."""
    require(actor, "indicators.review")
    figure = _pending(actor, figure_id)
    reason = clean_text(
        reason,
        field="reason",
        label=pgettext_lazy("figure", "Reason"),
        max_length=300,
        required=True,
    )
    model_update(
        instance=figure,
        data={
            "status": Figure.Status.REJECTED,
            "reason": reason,
            "decided_by": actor if actor is not SYSTEM else None,
            "decided_at": timezone.now(),
        },
        actor=actor,
        action="indicators.figure.reject",
    )
    return figure
