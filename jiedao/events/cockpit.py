"""The events app on the leaders' cockpit (registered from ``EventsConfig.ready()``).

Subdistrict-wide figures (the cockpit is for the roles that see the whole subdistrict), taken
from the same definitions as the dashboard (:mod:`jiedao.events.figures`) and the to-do list's
deadlines (:func:`jiedao.events.deadlines.warning_level_q`). Four statements for the panel, one
for the map layer, whatever the number of events.
"""

from datetime import date, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils.translation import pgettext_lazy

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.localtime import local_days, local_zone
from jiedao.web.cockpit import GridLayer, Kpi, Panel, Ranking, Series, Trend, as_of

from .deadlines import warning_level_q
from .figures import Grouping, event_figures
from .selectors import event_queryset
from .workflow import OPEN_STATES, Status, WarningLevel

TREND_DAYS = 30
OPEN_EVENTS_LAYER = "events.open"


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def _days(today: date) -> list[date]:
    return [today - timedelta(days=offset) for offset in range(TREND_DAYS - 1, -1, -1)]


def _per_day(field: str, since: date, today: date) -> dict[date, int]:
    """How many events have ``field`` on each local day from ``since`` to ``today``."""
    start, end = local_days(since, today)
    rows = (
        event_queryset(user=SYSTEM)
        .filter(**{f"{field}__gte": start, f"{field}__lt": end})
        .annotate(day=TruncDate(field, tzinfo=local_zone()))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["day"]: row["count"] for row in rows}


def cockpit_panel(today: date) -> Panel:
    """Open and overdue events now, reported today, closed this month; the on-time closure rate
    and the ranking of communities over the last 30 days (the figures' cohort: events reported
    in them); a 30-day trend of events reported and closed per day."""
    now = as_of(today)
    today_start, today_end = local_days(today, today)
    month_start = local_days(today.replace(day=1), today)[0]
    counts = event_queryset(user=SYSTEM).aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATES)),
        overdue=Count("pk", filter=warning_level_q(WarningLevel.RED, now)),
        reported_today=Count("pk", filter=Q(created_at__gte=today_start, created_at__lt=today_end)),
        closed_this_month=Count(
            "pk", filter=Q(status=Status.CLOSED, closed_at__gte=month_start, closed_at__lt=now)
        ),
    )
    days = _days(today)
    figures = event_figures(user=SYSTEM, since=days[0], until=today, by=Grouping.COMMUNITY, now=now)
    reported = _per_day("created_at", days[0], today)
    closed = _per_day("closed_at", days[0], today)
    ranked = sorted(
        (row for row in figures.rows if row.due),
        key=lambda row: (-(row.on_time_rate or 0), -row.due, row.key),
    )
    return Panel(
        title=pgettext_lazy("cockpit", "Events"),
        order=10,
        kpis=[
            Kpi(
                key="events.open",
                label=pgettext_lazy("cockpit", "Open events"),
                value=counts["open"],
                unit=pgettext_lazy("cockpit", "events"),
                url_name="events:list",
            ),
            Kpi(
                key="events.overdue",
                label=pgettext_lazy("cockpit", "Overdue"),
                value=counts["overdue"],
                unit=pgettext_lazy("cockpit", "events"),
                better="lower",
                url_name="events:list",
            ),
            Kpi(
                key="events.reported_today",
                label=pgettext_lazy("cockpit", "Reported today"),
                value=counts["reported_today"],
                unit=pgettext_lazy("cockpit", "events"),
            ),
            Kpi(
                key="events.closed_this_month",
                label=pgettext_lazy("cockpit", "Closed this month"),
                value=counts["closed_this_month"],
                unit=pgettext_lazy("cockpit", "events"),
            ),
            Kpi(
                key="events.on_time_rate",
                label=pgettext_lazy("cockpit", "On-time closure, 30 days"),
                value=_percent(figures.total.on_time_rate),
                unit="%",
                url_name="events_dashboard:dashboard",
            ),
        ],
        trends=[
            Trend(
                title=pgettext_lazy("cockpit", "Events reported and closed, last 30 days"),
                labels=[day.strftime("%m-%d") for day in days],
                series=[
                    Series(
                        name=pgettext_lazy("cockpit", "Reported"),
                        values=[reported.get(day, 0) for day in days],
                    ),
                    Series(
                        name=pgettext_lazy("cockpit", "Closed"),
                        values=[closed.get(day, 0) for day in days],
                    ),
                ],
                unit=pgettext_lazy("cockpit", "events"),
            )
        ],
        rankings=[
            Ranking(
                title=pgettext_lazy("cockpit", "Communities by on-time closure, 30 days"),
                rows=[(row.label, _percent(row.on_time_rate) or 0.0) for row in ranked],
                unit="%",
            )
        ],
    )


def open_events_by_grid(today: date) -> GridLayer:
    """Open events per grid, as they stand now (one statement)."""
    rows = (
        event_queryset(user=SYSTEM)
        .filter(status__in=OPEN_STATES, grid__isnull=False)
        .values("grid_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return GridLayer(
        key=OPEN_EVENTS_LAYER,
        label=pgettext_lazy("cockpit", "Open events"),
        by_grid={row["grid_id"]: row["count"] for row in rows},
    )
