"""The event list (台账) as a spreadsheet (.xlsx) and as CSV, with the list's filters.

One function, :func:`event_list_export`, serves the list page's 导出 links and
``/api/events/export``: the events of the user's scope that the filters select (the same
:func:`~jiedao.events.selectors.filter_events` as the list), newest first, one row each. The
columns are labelled in the reader's language; 序号 is a number; times are local; the reporter's
name and phone are masked as everywhere outside the event's own page; every text cell is
formula-safe (:mod:`jiedao.core.spreadsheet`). The CSV is UTF-8 with a byte-order mark so that
Excel on Windows reads it as UTF-8.

An export is bounded: past :data:`EXPORT_LIMIT` events it is refused with a message asking for
narrower filters, rather than streamed, so that a file is always whole and its audit entry says
how many rows it holds. Each export is audited (``events.event.export``): a bulk copy of events
with their reporters is a disclosure, like showing one reporter's number.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from jiedao.accounts.permissions import require
from jiedao.audit.services import audit_record
from jiedao.core.errors import InvalidInput
from jiedao.core.localtime import local_time
from jiedao.core.pii import mask_name, mask_phone
from jiedao.core.spreadsheet import safe_cell

from .deadlines import warning_level_expression
from .models import Event
from .selectors import LIST_RELATED, EventFilters, event_queryset, filter_events
from .workflow import WarningLevel

EXPORT_LIMIT = 5000
FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
TIME_FORMAT = "%Y-%m-%d %H:%M"


def _time(moment: datetime | None) -> datetime | None:
    """A local wall-clock time, without zone: spreadsheets know no time zones."""
    return local_time(moment).replace(tzinfo=None) if moment else None


def _parent_label(event: Event) -> str:
    return event.category.parent.label if event.category.parent else ""


def _department(event: Event) -> str:
    return event.responsible_department.name if event.responsible_department else ""


def _warning(event: Event) -> str:
    level = getattr(event, "warning_level", WarningLevel.NONE)
    return str(WarningLevel(level).label) if level != WarningLevel.NONE else ""


# (label, value of an event); 序号 is added in front. Times are datetimes (formatted per file).
COLUMNS: tuple[tuple[Promise, Callable[[Event], Any]], ...] = (
    (gettext_lazy("Event number"), lambda event: event.number),
    (gettext_lazy("Status"), lambda event: event.get_status_display()),
    (gettext_lazy("Main category"), _parent_label),
    (gettext_lazy("Category"), lambda event: event.category.label),
    (gettext_lazy("Description"), lambda event: event.description),
    (gettext_lazy("Address"), lambda event: event.address),
    (gettext_lazy("Community or village"), lambda event: event.community.name),
    (gettext_lazy("Grid"), lambda event: event.grid.name),
    (gettext_lazy("Source"), lambda event: event.get_source_display()),
    (gettext_lazy("Urgency"), lambda event: event.get_urgency_display()),
    (gettext_lazy("Warning"), _warning),
    (gettext_lazy("Responsible department"), _department),
    (gettext_lazy("Reporter"), lambda event: mask_name(event.reporter_name)),
    (gettext_lazy("Reporter's phone"), lambda event: mask_phone(event.reporter_phone)),
    (gettext_lazy("Reported at"), lambda event: _time(event.created_at)),
    (gettext_lazy("Accept by"), lambda event: _time(event.accept_due_at)),
    (gettext_lazy("Handle by"), lambda event: _time(event.handle_due_at)),
    (gettext_lazy("Closed at"), lambda event: _time(event.closed_at)),
)


_TIME_VALUES = frozenset(value for _label, value in COLUMNS[-4:])


@dataclass(frozen=True)
class Ledger:
    header: list[str]
    rows: list[list[Any]]  # 序号 (an int), then the COLUMNS' values


def header() -> list[str]:
    return [_("No."), *[str(label) for label, _value in COLUMNS]]


def ledger_rows(*, user: Any, filters: EventFilters, now: datetime | None = None) -> Ledger:
    """The rows of the export: the visible events the filters select, newest first, in two
    statements whatever their number. More than ``EXPORT_LIMIT`` events is refused."""
    require(user, "events.export")
    now = now or timezone.now()
    events = list(
        filter_events(event_queryset(user=user), filters, now=now)
        .select_related(*LIST_RELATED)
        .annotate(warning_level=warning_level_expression(now))
        .order_by("-created_at", "-id")[: EXPORT_LIMIT + 1]
    )
    if len(events) > EXPORT_LIMIT:
        raise InvalidInput(
            _(
                "More than %(limit)s events match the filters, more than one export holds: "
                "narrow the filters (for example the dates reported) and export again."
            )
            % {"limit": EXPORT_LIMIT},
            code="export_too_large",
        )
    rows = [
        [number, *[value(event) for _label, value in COLUMNS]]
        for number, event in enumerate(events, start=1)
    ]
    return Ledger(header=header(), rows=rows)


def ledger_xlsx(ledger: Ledger) -> bytes:
    """The ledger as a workbook: a bold, frozen header row, then one row per event."""
    workbook = Workbook()
    sheet = workbook.create_sheet(index=0)
    workbook.remove(workbook.worksheets[1])  # the empty default sheet
    sheet.title = _("Events")[:31]
    sheet.append([safe_cell(label) for label in ledger.header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center")
    for row in ledger.rows:
        sheet.append([safe_cell(value) for value in row])
    times = [index for index, (_l, value) in enumerate(COLUMNS, start=2) if value in _TIME_VALUES]
    for index in times:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.column_dimensions["B"].width = 20
    sheet.freeze_panes = "C2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(TIME_FORMAT)
    return str(safe_cell(value))


def ledger_csv(ledger: Ledger) -> bytes:
    """The ledger as CSV: UTF-8 with a byte-order mark, the header row, one row per event."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([safe_cell(label) for label in ledger.header])
    for row in ledger.rows:
        writer.writerow([_csv_value(value) for value in row])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


WRITERS: dict[str, Callable[[Ledger], bytes]] = {"xlsx": ledger_xlsx, "csv": ledger_csv}


def _filters_recorded(filters: EventFilters) -> dict[str, Any]:
    recorded = {}
    for item in fields(filters):
        value = getattr(filters, item.name)
        if value:
            recorded[item.name] = value.isoformat() if hasattr(value, "isoformat") else value
    return recorded


@transaction.atomic
def event_list_export(
    *, actor: Any, filters: EventFilters, file_format: str, now: datetime | None = None
) -> ExportFile:
    """The filtered event list of ``actor`` as an .xlsx or .csv file, audited; the one door
    behind the page's links and the API."""
    if file_format not in WRITERS:
        raise InvalidInput(
            _("Choose the file format: xlsx or csv, not “%(format)s”.") % {"format": file_format},
            code="unknown_format",
            field="format",
        )
    now = now or timezone.now()
    ledger = ledger_rows(user=actor, filters=filters, now=now)
    audit_record(
        actor=actor,
        action="events.event.export",
        target_type="events.event",
        target_id="",
        target_repr="",
        after={"format": file_format, "rows": len(ledger.rows), **_filters_recorded(filters)},
    )
    stamp = local_time(now).strftime("%Y%m%d-%H%M")
    return ExportFile(
        content=WRITERS[file_format](ledger),
        content_type=CONTENT_TYPES[file_format],
        filename=f"events-{stamp}.{file_format}",
    )
