"""Writes to indicators: the catalogue (``catalogue``), values and targets by form, Excel and API
(``values``), and the review queue of figures read out of reports (``review``). Every write
checks the actor's role and scope and is audited in its transaction."""

from .catalogue import CATALOGUE_LABELS, indicator_create
from .review import figure_confirm, figure_reject, report_upload
from .values import (
    LABELS,
    Entry,
    RowError,
    decimal_clean,
    entry_clean,
    indicator_scale,
    period_clean,
    value_enter,
    value_record,
    values_upload,
)

__all__ = [
    "CATALOGUE_LABELS",
    "LABELS",
    "Entry",
    "RowError",
    "decimal_clean",
    "entry_clean",
    "figure_confirm",
    "figure_reject",
    "indicator_create",
    "indicator_scale",
    "period_clean",
    "report_upload",
    "value_enter",
    "value_record",
    "values_upload",
]
