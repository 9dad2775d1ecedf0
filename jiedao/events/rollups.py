"""The figures over ten million events: per-day rollups, kept exact by a log of changed hours.

**Why rollups, not partitions.** Partitioning ``events_event`` by month would prune a half-year
query to six partitions, but every one of them still holds its millions of rows for the
``GROUP BY`` (a half year of a 10⁷-event history is 2.5 million rows: seconds, not 500 ms), and
PostgreSQL's partitioned tables need the partition key in every unique constraint, so the
single-column primary key that steps, photos, assignments, notifications, duplicates and the
audit trail reference would become (id, created_at) everywhere. Rollups make the heavy figures
proportional to the groups and days of the period instead of its events, and leave the events
table, its keys and the intake as they are.

**What is stored.** :class:`~jiedao.events.models.FigureRollup`: for each subdistrict, each
dimension of :mod:`jiedao.events.figures` (grid, community, responsible department, category,
source — the month comes from the source rows' days), each local day of report and each
combination of the local days of dispatch, closure and handling deadline, the number of events
and how many of them count towards each figure. Every figure is "as of the cutoff": an event's
timestamps are compared with it, and for a cutoff at local midnight ``timestamp < cutoff`` is
exactly ``local day of timestamp < day of cutoff``. The stored days therefore answer every
period that has ended. A period that ends today has its cutoff now, in the middle of a day: the
rows with a dispatch, closure or deadline on that day are left out and those events counted from
the events table (partial indexes on the three timestamps find them).

**How it stays exact.** Statement-level triggers on ``events_event`` (insert, update of a column
the figures read, delete — whichever door writes: a service, ``COPY``, the 12345 import's
``INSERT … SELECT``) append the UTC hours of the reports they touched to
:class:`~jiedao.events.models.FigureChange`, once per statement. Appending takes no lock that
another writer waits for: there is no shared counter row. The local days of the logged hours are
*dirty*: one SQL statement (one snapshot) takes the stored rows of the clean days and counts the
dirty days' events from the events table, so the figures equal the direct computation at every
moment, before and after a refresh. :func:`rollup_refresh` claims logged hours, rebuilds their
days from the events and deletes exactly the hours it claimed; an hour logged by a transaction
that commits meanwhile stays logged, and its day dirty, until the next refresh.

**When it is refreshed.** ``refresh_figures`` (:mod:`jiedao.events.tasks`) runs the refresh in
batches of days. A figures read that met dirty days asks for it in the background, at most once
per ``FIGURES_REFRESH_DELAY`` seconds per process (no request refreshes in its own thread), and
``jiedao refresh_figures`` runs it from cron as a safety net (e.g. every minute).

**Where the rollup is not used.** SQLite (development, tests: the events alone), and scopes
narrower than a subdistrict (a grid worker's, a community lead's, a department's figures, which
also include what the user reported themselves): those are computed from the events, whose
indexes serve them. Administrators, dispatchers and supervisors see a whole subdistrict and the
cockpit (the system) every subdistrict: they read the rollup.
"""

import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from jiedao.accounts.permissions import SYSTEM, Level, scope_of
from jiedao.core.localtime import local_start, local_time, local_zone
from jiedao.geo.models import Community, Department, Grid

from .models import Category, Event, FigureChange, FigureRollup
from .workflow import Status

logger = logging.getLogger(__name__)

# Days rebuilt per statement, and logged hours claimed per refresh transaction.
REFRESH_DAYS = 31
REFRESH_HOURS = 20_000
# Serialises refreshes (two rebuilding one day at once would both insert its rows); writers
# never take it.
REFRESH_LOCK = 0x6A69_6564_616F  # "jiedao"

EVENTS = Event._meta.db_table
ROLLUP = FigureRollup._meta.db_table
CHANGES = FigureChange._meta.db_table

# dimension → (the events' column, the table its labels come from or None for a plain value)
DIMENSIONS: dict[str, tuple[str, str | None]] = {
    "grid": ("grid_id", Grid._meta.db_table),
    "community": ("community_id", Community._meta.db_table),
    "department": ("responsible_department_id", Department._meta.db_table),
    "category": ("category_id", Category._meta.db_table),
    "source": ("source", None),
}

CLOSED, REJECTED, SUSPENDED = Status.CLOSED.value, Status.REJECTED.value, Status.SUSPENDED.value

# Per event, independent of any cutoff (``e`` is the events table).
_COUNTED = "e.merged_into_id IS NULL"
_CLOSED = f"({_COUNTED} AND e.status = '{CLOSED}' AND e.closed_at IS NOT NULL)"
_REGISTERED = "(e.accepted_at IS NOT NULL OR e.is_self_resolved)"
_ON_TIME = "(e.is_self_resolved OR e.handle_due_at IS NULL OR e.closed_at <= e.handle_due_at)"
_RATED = f"{_CLOSED} AND e.satisfaction IS NOT NULL"
_REWORKED = "(e.rework_count > 0 OR e.reopen_count > 0)"
# Still to be done at the cutoff: due once the deadline has passed, unless suspended or rejected.
_OPEN_DUE = f"e.status NOT IN ('{SUSPENDED}', '{REJECTED}')"
# The stored columns, each the events that count towards a figure once its day is compared with
# the cutoff's (jiedao.events.figures._measures has the definitions).
_STORED = {
    "events": "count(*)",
    "counted_self_resolved": f"count(*) FILTER (WHERE {_COUNTED} AND e.is_self_resolved)",
    "rejected": f"count(*) FILTER (WHERE e.status = '{REJECTED}')",
    "merged": "count(*) FILTER (WHERE e.merged_into_id IS NOT NULL)",
    "reworked": f"count(*) FILTER (WHERE {_CLOSED} AND {_REWORKED})",
    "dispatched": f"count(*) FILTER (WHERE {_COUNTED} AND e.dispatched_at IS NOT NULL)",
    "extended": f"count(*) FILTER (WHERE {_COUNTED} AND e.dispatched_at IS NOT NULL "
    "AND e.extension_count > 0)",
    "closed": f"count(*) FILTER (WHERE {_CLOSED})",
    "on_time_closed": f"count(*) FILTER (WHERE {_CLOSED} AND {_ON_TIME})",
    "registered_closed": f"count(*) FILTER (WHERE {_CLOSED} AND {_REGISTERED})",
    # Not closed (yet): due once the deadline has passed, unless suspended or rejected.
    "registered_open": f"count(*) FILTER (WHERE {_COUNTED} AND {_REGISTERED} "
    f"AND NOT (e.status = '{CLOSED}' AND e.closed_at IS NOT NULL) AND {_OPEN_DUE})",
    "handling_microseconds": "coalesce(sum((extract(epoch FROM e.closed_at - e.created_at) "
    f"* 1000000)::bigint) FILTER (WHERE {_CLOSED}), 0)",
    "satisfaction_total": f"coalesce(sum(e.satisfaction) FILTER (WHERE {_RATED}), 0)",
    "satisfaction_count": f"count(*) FILTER (WHERE {_RATED})",
}
# The figures from stored rows ``r``, with ``%(day)s`` the cutoff's local day.
_FROM_ROLLUP = {
    "collected": "sum(r.events)",
    "dispatched": "sum(r.dispatched) FILTER (WHERE r.dispatched_day < %(day)s)",
    "self_resolved": "sum(r.counted_self_resolved)",
    "rejected": "sum(r.rejected)",
    "merged": "sum(r.merged)",
    "closed": "sum(r.closed) FILTER (WHERE r.closed_day < %(day)s)",
    # Every closure by the cutoff; a registered event closed after it if its deadline had
    # passed (it was open and overdue at the cutoff); an open one likewise.
    "due": "coalesce(sum(r.closed) FILTER (WHERE r.closed_day < %(day)s), 0) "
    "+ coalesce(sum(r.registered_closed) FILTER (WHERE r.closed_day >= %(day)s "
    "AND r.due_day < %(day)s), 0) "
    "+ coalesce(sum(r.registered_open) FILTER (WHERE r.due_day < %(day)s), 0)",
    "on_time_closed": "sum(r.on_time_closed) FILTER (WHERE r.closed_day < %(day)s)",
    "reworked": "sum(r.reworked) FILTER (WHERE r.closed_day < %(day)s)",
    "extended": "sum(r.extended) FILTER (WHERE r.dispatched_day < %(day)s)",
    "handling_microseconds": "sum(r.handling_microseconds) FILTER (WHERE r.closed_day < %(day)s)",
    "satisfaction_total": "sum(r.satisfaction_total) FILTER (WHERE r.closed_day < %(day)s)",
    "satisfaction_count": "sum(r.satisfaction_count) FILTER (WHERE r.closed_day < %(day)s)",
}
# The same figures from the events, as of ``%(cutoff)s``.
_CLOSED_BY = f"({_CLOSED} AND e.closed_at < %(cutoff)s)"
_FROM_EVENTS = {
    "collected": "count(*)",
    "dispatched": f"count(*) FILTER (WHERE {_COUNTED} AND e.dispatched_at < %(cutoff)s)",
    "self_resolved": _STORED["counted_self_resolved"],
    "rejected": _STORED["rejected"],
    "merged": _STORED["merged"],
    "closed": f"count(*) FILTER (WHERE {_CLOSED_BY})",
    "due": f"count(*) FILTER (WHERE {_CLOSED_BY} OR ({_COUNTED} AND {_REGISTERED} "
    f"AND e.handle_due_at < %(cutoff)s AND {_OPEN_DUE}))",
    "on_time_closed": f"count(*) FILTER (WHERE {_CLOSED_BY} AND {_ON_TIME})",
    "reworked": f"count(*) FILTER (WHERE {_CLOSED_BY} AND {_REWORKED})",
    "extended": f"count(*) FILTER (WHERE {_COUNTED} AND e.dispatched_at < %(cutoff)s "
    "AND e.extension_count > 0)",
    "handling_microseconds": "sum((extract(epoch FROM e.closed_at - e.created_at) * 1000000)"
    f"::bigint) FILTER (WHERE {_CLOSED_BY})",
    "satisfaction_total": f"sum(e.satisfaction) FILTER (WHERE {_CLOSED_BY} "
    "AND e.satisfaction IS NOT NULL)",
    "satisfaction_count": f"count(*) FILTER (WHERE {_CLOSED_BY} AND e.satisfaction IS NOT NULL)",
}
MEASURES = tuple(_FROM_ROLLUP)


def rollup_applies(user: Any) -> bool:
    """Whether ``user``'s figures can come from the rollup: PostgreSQL, and a scope that is a
    whole subdistrict (or every one, for the system)."""
    if connection.vendor != "postgresql":
        return False
    if user is SYSTEM:
        return True
    scope = scope_of(user)
    return scope.level is Level.SUBDISTRICT and scope.subdistrict_id is not None


# --- Reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupSums:
    """One group's figures before rates and means: ``key`` is an id, a source or a month."""

    key: Any
    code: str | None
    name: str | None
    name_en: str | None
    values: dict[str, Any]


def _local_day_sql(column: str) -> str:
    return f"(({column}) AT TIME ZONE %(zone)s)::date"


def _day_start_sql(day: str) -> str:
    return f"(({day})::timestamp AT TIME ZONE %(zone)s)"


def rollup_sums(
    *,
    user: Any,
    dimension: str,
    since: date,
    until: date,
    start: datetime,
    end: datetime,
    cutoff: datetime,
    include_self_resolved: bool = True,
    by_month: bool = False,
) -> list[GroupSums]:
    """The figures of the events reported from ``since`` to ``until`` (``start``..``end``) as of
    ``cutoff``, per group of ``dimension`` (per month with ``by_month``), in one statement: the
    stored rows of the clean days, the events of the dirty days and of the cutoff's own day."""
    subdistrict = None if user is SYSTEM else scope_of(user).subdistrict_id
    cutoff_local = local_time(cutoff)
    cutoff_day = cutoff_local.date()
    at_midnight = cutoff_local == local_start(cutoff_day)
    params: dict[str, Any] = {
        "zone": str(local_zone()),
        "since": since,
        "until": until,
        "start": start,
        "end": end,
        "cutoff": cutoff,
        "day": cutoff_day,
        "dimension": "source" if by_month else dimension,
        "subdistrict": subdistrict,
        "day_start": local_start(cutoff_day),
        "day_end": local_start(cutoff_day + timedelta(days=1)),
    }
    rollup_where = ["r.dimension = %(dimension)s", "r.created_day BETWEEN %(since)s AND %(until)s"]
    events_where = []
    if subdistrict is not None:
        rollup_where.append("r.subdistrict_id = %(subdistrict)s")
        events_where.append("e.subdistrict_id = %(subdistrict)s")
    if not include_self_resolved:
        rollup_where.append("NOT r.self_resolved")
        events_where.append("NOT e.is_self_resolved")
    rollup_where.append("r.created_day NOT IN (SELECT day FROM dirty)")
    ambiguous = ""
    if not at_midnight:
        # The cutoff's own day cannot be compared by days: those events are read as they are.
        rollup_where.append(
            "r.dispatched_day IS DISTINCT FROM %(day)s AND r.closed_day IS DISTINCT FROM %(day)s "
            "AND r.due_day IS DISTINCT FROM %(day)s"
        )
        in_day = " OR ".join(
            f"(e.{column} >= %(day_start)s AND e.{column} < %(day_end)s)"
            for column in ("dispatched_at", "closed_at", "handle_due_at")
        )
        scope = "".join(f"AND {condition} " for condition in events_where)
        ambiguous = f"""
        UNION ALL SELECT e.* FROM {EVENTS} e
        WHERE ({in_day}) AND e.created_at >= %(start)s AND e.created_at < %(end)s {scope}
        AND NOT EXISTS (
            SELECT 1 FROM dirty d WHERE e.created_at >= d.day_start AND e.created_at < d.day_end
        )"""  # noqa: S608 - constant names; values are parameters
    column, labels = DIMENSIONS[params["dimension"]]
    if by_month:
        rollup_key = "date_trunc('month', r.created_day)::date"
        events_key = f"date_trunc('month', {_local_day_sql('e.created_at')})::date"
    else:
        rollup_key = "r.key_text" if labels is None else "r.key_id"
        events_key = f"e.{column}"
    changes_where = "" if subdistrict is None else "WHERE subdistrict_id = %(subdistrict)s"
    sql = f"""
    WITH hours AS (
        SELECT DISTINCT hour FROM {CHANGES} {changes_where}
    ), dirty AS (
        SELECT day, {_day_start_sql("day")} AS day_start,
            {_day_start_sql("day + 1")} AS day_end
        FROM (
            SELECT {_local_day_sql("hour")} AS day FROM hours
            UNION SELECT {_local_day_sql("hour + interval '1 hour' - interval '1 microsecond'")}
            FROM hours
        ) days
        WHERE day BETWEEN %(since)s AND %(until)s
    ), live AS (
        SELECT e.* FROM dirty d JOIN {EVENTS} e
            ON e.created_at >= d.day_start AND e.created_at < d.day_end
        {"WHERE " + " AND ".join(events_where) if events_where else ""}
        {ambiguous}
    ), sums AS (
        SELECT {rollup_key} AS key, {", ".join(f"{sql} AS {name}" for name, sql in _FROM_ROLLUP.items())}
        FROM {ROLLUP} r WHERE {" AND ".join(rollup_where)} GROUP BY 1
        UNION ALL
        SELECT {events_key} AS key, {", ".join(f"{sql} AS {name}" for name, sql in _FROM_EVENTS.items())}
        FROM live e GROUP BY 1
    )
    {_final_select(labels, by_month)}
    """  # noqa: S608 - table and column names are constants; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    request_refresh()
    return [
        GroupSums(
            key=row[0],
            code=row[1],
            name=row[2],
            name_en=row[3],
            values=dict(zip(MEASURES, (int(value) for value in row[4:]), strict=True)),
        )
        for row in rows
    ]


def _final_select(labels: str | None, by_month: bool) -> str:
    """The groups as :mod:`jiedao.events.figures` forms them from the events: by the label's
    code and name (``values()`` groups by what it selects, so two subdistricts' departments of
    one code and name are one group), by the source, by the month."""
    # Constant table and column names only: the values are the statement's parameters.
    sums = ", ".join(f"coalesce(sum(s.{name}), 0)" for name in MEASURES)
    if by_month or labels is None:
        return f"SELECT s.key, NULL, NULL, NULL, {sums} FROM sums s GROUP BY s.key ORDER BY s.key"  # noqa: S608
    name_en = "l.name_en" if labels == Category._meta.db_table else "NULL"
    return (
        f"SELECT min(s.key), l.code, l.name, {name_en}, {sums} "  # noqa: S608
        f"FROM sums s LEFT JOIN {labels} l ON l.id = s.key "
        f"GROUP BY l.code, l.name{', l.name_en' if name_en != 'NULL' else ''} ORDER BY l.code"
    )


# --- Refreshing -------------------------------------------------------------------------------


def _day_ranges(days: Sequence[date]) -> list[tuple[datetime, datetime]]:
    """[start, end) of each run of consecutive local days."""
    ranges: list[tuple[datetime, datetime]] = []
    for day in sorted(days):
        start, end = local_start(day), local_start(day + timedelta(days=1))
        if ranges and ranges[-1][1] == start:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    return ranges


def _rebuild(days: Sequence[date]) -> None:
    """Replace the stored rows of ``days`` (every subdistrict) by sums of their events now."""
    ranges = _day_ranges(days)
    params: dict[str, Any] = {"zone": str(local_zone()), "days": list(days)}
    within = []
    for number, (start, end) in enumerate(ranges):
        params[f"start{number}"], params[f"end{number}"] = start, end
        within.append(f"(e.created_at >= %(start{number})s AND e.created_at < %(end{number})s)")
    grouping = ", ".join(f"(e.{column})" for column, _labels in DIMENSIONS.values())
    dimension = " ".join(
        f"WHEN GROUPING(e.{column}) = 0 THEN '{name}'" for name, (column, _l) in DIMENSIONS.items()
    )
    key_id = " ".join(
        f"WHEN GROUPING(e.{column}) = 0 THEN e.{column}"
        for column, labels in DIMENSIONS.values()
        if labels is not None
    )
    stored = ", ".join(_STORED.values())
    sql = f"""
    INSERT INTO {ROLLUP} (subdistrict_id, dimension, key_id, key_text, created_day,
        dispatched_day, closed_day, due_day, self_resolved, {", ".join(_STORED)})
    SELECT e.subdistrict_id, CASE {dimension} END, CASE {key_id} END,
        CASE WHEN GROUPING(e.source) = 0 THEN e.source ELSE '' END,
        {_local_day_sql("e.created_at")}, {_local_day_sql("e.dispatched_at")},
        {_local_day_sql("e.closed_at")}, {_local_day_sql("e.handle_due_at")},
        e.is_self_resolved, {stored}
    FROM {EVENTS} e
    WHERE {" OR ".join(within)}
    GROUP BY e.subdistrict_id, 5, 6, 7, 8, e.is_self_resolved, GROUPING SETS ({grouping})
    """  # noqa: S608 - table and column names are constants; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ROLLUP} WHERE created_day = ANY(%(days)s)", params)  # noqa: S608
        cursor.execute(sql, params)


def _days_of(hours: Iterable[datetime]) -> set[date]:
    days: set[date] = set()
    for hour in hours:
        days.add(local_time(hour).date())
        days.add(local_time(hour + timedelta(hours=1, microseconds=-1)).date())
    return days


@dataclass(frozen=True)
class RefreshReport:
    hours: int  # logged hours consumed
    days: int  # local days rebuilt
    seconds: float


def rollup_refresh(*, max_batches: int | None = None) -> RefreshReport:
    """Rebuild the stored days whose events changed, ``REFRESH_HOURS`` logged hours per
    transaction, until the log is empty (or ``max_batches`` transactions). Exact whatever
    commits meanwhile: each batch deletes exactly the log rows it read, after rebuilding their
    days from a later snapshot; a row logged meanwhile stays for the next batch."""
    started = time.perf_counter()
    if connection.vendor != "postgresql":
        return RefreshReport(0, 0, 0.0)
    consumed = rebuilt = batches = 0
    while max_batches is None or batches < max_batches:
        batches += 1
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK])
                cursor.execute(
                    f"SELECT id, hour FROM {CHANGES} ORDER BY id LIMIT %s",  # noqa: S608
                    [REFRESH_HOURS],
                )
                claimed = cursor.fetchall()
            if not claimed:
                break
            days = sorted(_days_of(hour for _id, hour in claimed))
            for first in range(0, len(days), REFRESH_DAYS):
                _rebuild(days[first : first + REFRESH_DAYS])
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {CHANGES} WHERE id = ANY(%s)",  # noqa: S608
                    [[pk for pk, _hour in claimed]],
                )
            consumed += len(claimed)
            rebuilt += len(days)
        if len(claimed) < REFRESH_HOURS:
            break
    return RefreshReport(consumed, rebuilt, time.perf_counter() - started)


# --- Asking for a refresh in the background ---------------------------------------------------
# Process-local: whether a refresh has been asked for and not yet started.
_lock = threading.Lock()
_asked = False


def request_refresh() -> None:
    """Ask for a refresh ``FIGURES_REFRESH_DELAY`` seconds from now in a thread of this process
    (which enqueues the ``refresh_figures`` task), unless one is already asked for. ``None``
    turns this off (tests refresh by hand; production then relies on the cron job)."""
    global _asked
    delay = getattr(settings, "FIGURES_REFRESH_DELAY", None)
    if delay is None:
        return
    with _lock:
        if _asked:
            return
        _asked = True
    threading.Thread(
        target=_refresh_later, args=(float(delay),), name="figures-refresh", daemon=True
    ).start()


def _refresh_later(delay: float) -> None:
    global _asked
    time.sleep(delay)
    with _lock:
        _asked = False
    try:
        from .tasks import refresh_figures  # the tasks import the services

        refresh_figures.enqueue()
    except Exception:
        # The figures stay exact without it (dirty days are counted from the events).
        logger.exception("Refreshing the figures' rollup failed")
    finally:
        connection.close()
