"""Figures of unified event management (一网统管): computed from the events, never stored.

Everything is counted over one **cohort**: the events *reported* in the period [since, until]
(whole local days in Asia/Shanghai, both ends included), inside what the user may see
(:func:`jiedao.events.selectors.event_queryset`). The state of each event is taken **as of the
cutoff** = the end of the period, or now when the period has not ended yet — so the figures of
a closed month do not drift when an event of it is closed later.

Definitions (after GB/T 30428.3 practice for 结案率 and 按期结案率):

``collected`` 采集/上报数
    Events reported in the period (every source, duplicates and rejected ones included).
``dispatched`` 派遣数
    Events of the cohort that went through unified dispatch (dispatched by the cutoff).
``self_resolved`` 自行处置数
    Events of the cohort the grid worker resolved on the spot (closed at intake, no dispatch).
``rejected`` 不予立案数 and ``merged`` 合并数 (duplicates, which share their primary's outcome
    and are therefore not counted again in the figures below).
``closed`` 结案数
    Events of the cohort, not merged into another, whose status is closed and whose closure
    happened by the cutoff.
``due`` 应结案数
    Every closed event (as above), and every event of the cohort still open at the cutoff that
    was registered (accepted/立案, or resolved on the spot), is not merged, not suspended (挂账
    cases leave the assessment while on hold) and not rejected, and whose handling deadline
    (立案 + 处置时限, extended when an extension was approved) had passed by the cutoff. Events
    still within their limit are not yet due; rejected reports (不予立案) never are. A closure
    is due whether or not the event was registered first (a sensor's report that the device's
    recovery closed while it awaited acceptance): ``closed`` ⊆ ``due``, so 结案率 never exceeds
    100 %.
``closure_rate`` 结案率 = closed / due.
``on_time_closed`` 按期结案数
    Closed events that closed no later than their handling deadline. An event closed before it
    had one counts as on time — resolved on the spot, or closed before it was registered: it
    had no deadline to miss. ``on_time_closed`` ⊆ ``closed`` ⊆ ``due``.
``on_time_rate`` 按期结案率 = on_time_closed / due.
``reworked`` 返工后结案数 and ``rework_rate`` 返工率 = reworked / closed
    The closed events that failed verification (返工) or were reopened after a dissatisfied
    rating at least once before their closure. An event still being reworked is not closed
    and so not counted yet: ``reworked`` ⊆ ``closed``.
``extension_rate`` 延期率 = extended / dispatched, where ``extended`` is events of the cohort
    dispatched by the cutoff with at least one approved extension (``extended`` ⊆
    ``dispatched``).
``mean_handling_hours`` 平均处置时长
    Mean **wall-clock** hours from report to closure over the closed events. Working hours
    (:func:`jiedao.core.workcalendar.working_seconds_between`) would need every row in Python;
    the figures are one aggregate query per grouping instead, which keeps a city-sized table
    (10⁶ events) answered in well under a second.
``satisfaction_mean`` / ``satisfaction_count``
    Mean rating (1–5) and number of ratings of the cohort's closed events.

Every rate's numerator is a subset of its denominator, so no rate exceeds 100 %. A rate whose
denominator is 0 is ``None`` (shown as "—"), never 0% or 100%.

Each grouping (grid, community, department — the responsible one, category — the 小类,
source, month of report) is one ``GROUP BY`` query with conditional counts
(``Count("pk", filter=Q(...))``, ``Sum``); the total row is the sum of the groups.
"""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedao.accounts.permissions import require
from jiedao.core.dates import parse_date, parse_month
from jiedao.core.errors import ErrorList, InvalidInput
from jiedao.core.localtime import local_days, local_start, local_time, local_zone

from .models import Event, localised_name
from .rollups import rollup_applies, rollup_sums
from .selectors import event_queryset
from .workflow import Source, Status

MAX_PERIOD_DAYS = 366 * 5
# The period's dates as the dashboard's form labels them; every door names them so.
PERIOD_LABELS = {
    "since": pgettext_lazy("period", "Start date"),
    "until": pgettext_lazy("period", "End date"),
}


class Grouping:
    GRID = "grid"
    COMMUNITY = "community"
    DEPARTMENT = "department"
    CATEGORY = "category"
    SOURCE = "source"
    MONTH = "month"


GROUPINGS = (
    Grouping.GRID,
    Grouping.COMMUNITY,
    Grouping.DEPARTMENT,
    Grouping.CATEGORY,
    Grouping.SOURCE,
    Grouping.MONTH,
)
GROUPING_LABELS = {
    Grouping.GRID: pgettext_lazy("figures", "Grid"),
    Grouping.COMMUNITY: pgettext_lazy("figures", "Community"),
    Grouping.DEPARTMENT: pgettext_lazy("figures", "Department"),
    Grouping.CATEGORY: pgettext_lazy("figures", "Category"),
    Grouping.SOURCE: pgettext_lazy("figures", "Source"),
    Grouping.MONTH: pgettext_lazy("figures", "Month"),
}
# grouping → (key field, label field) in ``values()``
_GROUP_FIELDS: dict[str, tuple[str, str | None]] = {
    Grouping.GRID: ("grid__code", "grid__name"),
    Grouping.COMMUNITY: ("community__code", "community__name"),
    Grouping.DEPARTMENT: ("responsible_department__code", "responsible_department__name"),
    Grouping.CATEGORY: ("category__code", "category__name"),
    Grouping.SOURCE: ("source", None),
    Grouping.MONTH: ("month", None),
}

# The columns of a row, in the order of tables and exports, with their labels.
COUNT_COLUMNS = (
    ("collected", pgettext_lazy("figures", "Collected")),
    ("dispatched", pgettext_lazy("figures", "Dispatched")),
    ("self_resolved", pgettext_lazy("figures", "Resolved on the spot")),
    ("rejected", pgettext_lazy("figures", "Rejected")),
    ("closed", pgettext_lazy("figures", "Closed")),
    ("due", pgettext_lazy("figures", "Due for closure")),
    ("on_time_closed", pgettext_lazy("figures", "Closed on time")),
    ("reworked", pgettext_lazy("figures", "Closed after rework")),
    ("extended", pgettext_lazy("figures", "Extended")),
)
RATE_COLUMNS = (
    ("closure_rate", pgettext_lazy("figures", "Closure rate")),
    ("on_time_rate", pgettext_lazy("figures", "On-time closure rate")),
    ("rework_rate", pgettext_lazy("figures", "Rework rate")),
    ("extension_rate", pgettext_lazy("figures", "Extension rate")),
)
OTHER_COLUMNS = (
    ("mean_handling_hours", pgettext_lazy("figures", "Mean handling time (hours)")),
    ("satisfaction_mean", pgettext_lazy("figures", "Mean satisfaction")),
    ("satisfaction_count", pgettext_lazy("figures", "Ratings")),
)


@dataclass
class FigureRow:
    key: str
    label: str
    collected: int = 0
    dispatched: int = 0
    self_resolved: int = 0
    rejected: int = 0
    merged: int = 0
    closed: int = 0
    due: int = 0
    on_time_closed: int = 0
    reworked: int = 0
    extended: int = 0
    mean_handling_hours: float | None = None
    satisfaction_mean: float | None = None
    satisfaction_count: int = 0
    closure_rate: float | None = field(init=False)
    on_time_rate: float | None = field(init=False)
    rework_rate: float | None = field(init=False)
    extension_rate: float | None = field(init=False)

    def __post_init__(self) -> None:
        self.closure_rate = _ratio(self.closed, self.due)
        self.on_time_rate = _ratio(self.on_time_closed, self.due)
        self.rework_rate = _ratio(self.reworked, self.closed)
        self.extension_rate = _ratio(self.extended, self.dispatched)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Figures:
    since: date
    until: date
    by: str
    rows: list[FigureRow]
    total: FigureRow

    def as_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "by": self.by,
            "rows": [row.as_dict() for row in self.rows],
            "total": self.total.as_dict(),
        }


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def parse_period(since: Any, until: Any) -> tuple[date, date]:
    """The period of the figures from what was typed ("2022-03-01"), whichever door it came
    through (the dashboard, the API, ``jiedao figures``): each date checked and named by its
    label, both problems reported at once, then the period itself (:func:`period_check`)."""
    errors = ErrorList()
    first = errors.check(
        lambda: parse_date(since, field="since", label=PERIOD_LABELS["since"]), date.min
    )
    last = errors.check(
        lambda: parse_date(until, field="until", label=PERIOD_LABELS["until"]), date.min
    )
    errors.raise_any()
    period_check(first, last)
    return first, last


def period_check(since: date, until: date) -> None:
    """A period the figures can cover: in order, and not longer than MAX_PERIOD_DAYS."""
    if until < since:
        raise InvalidInput(
            _("The end date (%(until)s) is before the start date (%(since)s).")
            % {"since": since.isoformat(), "until": until.isoformat()},
            field="until",
        )
    if (until - since).days > MAX_PERIOD_DAYS:
        raise InvalidInput(
            _("The period is too long: at most %(days)s days.") % {"days": MAX_PERIOD_DAYS},
            field="since",
        )


def period_bounds(since: date, until: date) -> tuple[datetime, datetime]:
    """[start, end) in aware datetimes for the local days since..until (both included)."""
    period_check(since, until)
    return local_days(since, until)


def parse_grouping(value: Any) -> str:
    if value in (None, ""):
        return Grouping.MONTH
    if value not in GROUPINGS:
        raise InvalidInput(
            _("Unknown grouping “%(value)s”: use one of %(choices)s.")
            % {"value": value, "choices": ", ".join(GROUPINGS)},
            field="by",
        )
    return str(value)


def _measures(cutoff: datetime) -> dict[str, Any]:
    """The conditional aggregates of one row, as of ``cutoff``."""
    counted = Q(merged_into__isnull=True)
    closed = counted & Q(status=Status.CLOSED, closed_at__lt=cutoff)
    registered = Q(accepted_at__isnull=False) | Q(is_self_resolved=True)
    overdue = (
        counted
        & registered
        & Q(handle_due_at__lt=cutoff)
        & ~Q(status__in=[Status.SUSPENDED, Status.REJECTED])
    )
    # Every closure is due (the subset that keeps 结案率 at or below 100 %); of the events not
    # closed by the cutoff, the registered ones past their deadline are.
    due = closed | overdue
    on_time = closed & (
        Q(is_self_resolved=True)
        | Q(handle_due_at__isnull=True)
        | Q(closed_at__lte=F("handle_due_at"))
    )
    reworked = closed & (Q(rework_count__gt=0) | Q(reopen_count__gt=0))
    rated = closed & Q(satisfaction__isnull=False)
    return {
        "collected": Count("pk"),
        "dispatched": Count("pk", filter=counted & Q(dispatched_at__lt=cutoff)),
        "self_resolved": Count("pk", filter=counted & Q(is_self_resolved=True)),
        "rejected": Count("pk", filter=Q(status=Status.REJECTED)),
        "merged": Count("pk", filter=Q(merged_into__isnull=False)),
        "closed": Count("pk", filter=closed),
        "due": Count("pk", filter=due),
        "on_time_closed": Count("pk", filter=on_time),
        "reworked": Count("pk", filter=reworked),
        "extended": Count(
            "pk", filter=counted & Q(dispatched_at__lt=cutoff, extension_count__gt=0)
        ),
        # Sums, not means: the total row is then the exact sum of the groups (no second pass).
        "handling_total": Sum(
            ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField()),
            filter=closed,
        ),
        "satisfaction_total": Sum("satisfaction", filter=rated),
        "satisfaction_count": Count("pk", filter=rated),
    }


COUNTED = (
    "collected",
    "dispatched",
    "self_resolved",
    "rejected",
    "merged",
    "closed",
    "due",
    "on_time_closed",
    "reworked",
    "extended",
    "satisfaction_count",
)


def _seconds(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value) / 1_000_000  # microseconds, where the backend gives a number


def _mean(total: float, count: int, digits: int) -> float | None:
    return round(total / count, digits) if count else None


def _row(key: str, label: str, values: dict[str, Any]) -> FigureRow:
    return FigureRow(
        key=key,
        label=label,
        collected=values["collected"],
        dispatched=values["dispatched"],
        self_resolved=values["self_resolved"],
        rejected=values["rejected"],
        merged=values["merged"],
        closed=values["closed"],
        due=values["due"],
        on_time_closed=values["on_time_closed"],
        reworked=values["reworked"],
        extended=values["extended"],
        mean_handling_hours=_mean(_seconds(values["handling_total"]) / 3600, values["closed"], 2),
        satisfaction_mean=_mean(
            float(values["satisfaction_total"] or 0), values["satisfaction_count"], 2
        ),
        satisfaction_count=values["satisfaction_count"],
    )


def figures_queryset(*, user: Any) -> QuerySet[Event]:
    """The events whose figures ``user`` may see (their scope); 403 for roles without figures."""
    require(user, "events.figures")
    return event_queryset(user=user).order_by()


def _cohort(user: Any, since: date, until: date) -> tuple[QuerySet[Event], datetime]:
    start, end = period_bounds(since, until)
    cutoff = min(end, timezone.now())
    events = figures_queryset(user=user).filter(created_at__gte=start, created_at__lt=end)
    return events, cutoff


def event_figures(
    *,
    user: Any,
    since: date,
    until: date,
    by: str = Grouping.MONTH,
    now: datetime | None = None,
    include_self_resolved: bool = True,
) -> Figures:
    """The figures of the events ``user`` may see that were reported from ``since`` to ``until``
    (local dates, both included), one row per ``by`` group and a total row. One query: every
    event falls in exactly one group, so the total is the sum of the groups. Without
    ``include_self_resolved``, on-the-spot resolutions are left out of the cohort (they stay with
    the command centre as responsible department, which did not handle them)."""
    by = parse_grouping(by)
    events, cutoff = _cohort(user, since, until)
    if now is not None:
        cutoff = min(cutoff, now)
    key_field, label_field = _GROUP_FIELDS[by]
    groups: Any  # the values of each group, from either source
    if rollup_applies(user):
        groups = _rollup_groups(
            user, by, since, until, cutoff, include_self_resolved=include_self_resolved
        )
    else:
        groups = _event_groups(events, by, cutoff, include_self_resolved=include_self_resolved)
    rows = []
    sums: dict[str, Any] = dict.fromkeys(COUNTED, 0) | {
        "handling_total": 0.0,
        "satisfaction_total": 0,
    }
    for values in groups:
        for name in COUNTED:
            sums[name] += values[name]
        sums["handling_total"] += _seconds(values["handling_total"]) * 1_000_000
        sums["satisfaction_total"] += values["satisfaction_total"] or 0
        key = values[key_field]
        if by == Grouping.MONTH:
            key_text = local_time(key).strftime("%Y-%m") if key else ""
            label = key_text
        elif by == Grouping.SOURCE:
            key_text = str(key)
            label = str(Source(key).label) if key in Source.values else key_text
        elif by == Grouping.CATEGORY:
            key_text = key or ""
            label = localised_name(values[label_field] or "", values["category__name_en"] or "")
        else:
            key_text = key or ""
            label = (values[label_field] if label_field else "") or str(_("(none)"))
        rows.append(_row(key_text, label, values))
    total = _row("", str(pgettext_lazy("figures", "Total")), sums)
    return Figures(since=since, until=until, by=by, rows=rows, total=total)


def _event_groups(
    events: QuerySet[Event], by: str, cutoff: datetime, *, include_self_resolved: bool
) -> Any:
    """The groups' sums from the events themselves: one ``GROUP BY`` query."""
    if not include_self_resolved:
        events = events.filter(is_self_resolved=False)
    key_field, label_field = _GROUP_FIELDS[by]
    if by == Grouping.MONTH:
        events = events.annotate(month=TruncMonth("created_at", tzinfo=local_zone()))
    fields = [key_field] + ([label_field] if label_field else [])
    if by == Grouping.CATEGORY:
        fields.append("category__name_en")  # the label in the reader's language
    return events.values(*fields).annotate(**_measures(cutoff)).order_by(key_field)


def _rollup_groups(
    user: Any, by: str, since: date, until: date, cutoff: datetime, *, include_self_resolved: bool
) -> list[dict[str, Any]]:
    """The same sums, as the same values, from the rollup (:mod:`jiedao.events.rollups`)."""
    start, end = local_days(since, until)
    key_field, label_field = _GROUP_FIELDS[by]
    groups = rollup_sums(
        user=user,
        dimension=by,
        since=since,
        until=until,
        start=start,
        end=end,
        cutoff=cutoff,
        include_self_resolved=include_self_resolved,
        by_month=by == Grouping.MONTH,
    )
    result = []
    for group in groups:
        values = dict(group.values)
        values["handling_total"] = timedelta(microseconds=values.pop("handling_microseconds"))
        if by == Grouping.MONTH:
            values["month"] = local_start(group.key)
        elif by == Grouping.SOURCE:
            values["source"] = group.key
        else:
            values[key_field] = group.code
            if label_field:
                values[label_field] = group.name
            if by == Grouping.CATEGORY:
                values["category__name_en"] = group.name_en
        result.append(values)
    return result


# --- Rankings -------------------------------------------------------------------------------


@dataclass
class RankedRow:
    rank: int
    row: FigureRow

    def as_dict(self) -> dict[str, Any]:
        return {"rank": self.rank, **self.row.as_dict()}


def _rate_key(value: float | None) -> float:
    return -1.0 if value is None else value


def _ranked(rows: list[FigureRow], key: Any) -> list[RankedRow]:
    ordered = sorted(rows, key=key)
    ranked: list[RankedRow] = []
    previous = None
    for position, row in enumerate(ordered, start=1):
        current = key(row)[:-1]  # the sort key without the tie-breaking code
        rank = ranked[-1].rank if ranked and current == previous else position
        ranked.append(RankedRow(rank=rank, row=row))
        previous = current
    return ranked


def ranking_period(month: str) -> tuple[date, date]:
    """The first and last day of ``month`` (like 2022-05): the period a ranking covers."""
    return parse_month(month, field="month", label=pgettext_lazy("figures", "Month"))


def department_ranking(*, user: Any, month: str) -> list[RankedRow]:
    """The monthly evaluation of departments: dispatched work only, by 按期结案率, then 结案率,
    then volume. On-the-spot resolutions are left out: the command centre is their responsible
    department on record, but the grid worker resolved them, so counting them would credit the
    centre with closures (and on-time closures) it never handled."""
    since, until = ranking_period(month)
    figures = event_figures(
        user=user,
        since=since,
        until=until,
        by=Grouping.DEPARTMENT,
        include_self_resolved=False,
    )
    rows = [row for row in figures.rows if row.dispatched > 0]
    return _ranked(
        rows,
        lambda row: (
            -_rate_key(row.on_time_rate),
            -_rate_key(row.closure_rate),
            -row.dispatched,
            row.key,
        ),
    )


def grid_ranking(*, user: Any, month: str) -> list[RankedRow]:
    """The monthly evaluation of grids: by events collected, then 结案率."""
    since, until = ranking_period(month)
    figures = event_figures(user=user, since=since, until=until, by=Grouping.GRID)
    return _ranked(
        figures.rows,
        lambda row: (-row.collected, -_rate_key(row.closure_rate), row.key),
    )
