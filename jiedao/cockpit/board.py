"""The cockpit's one read: every registered panel and map layer for a day, as plain data.

The page, its refreshing partial and the API all call :func:`cockpit_board`, so the wall screen,
a laptop and an API client see the same figures. Nothing is computed here: the apps answer
their own figures (:mod:`jiedao.web.cockpit`); the board only turns them into JSON-ready values,
writes each number the way the screen shows it, and says whether a figure meets its target.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import require
from jiedao.core.dates import parse_optional_date
from jiedao.core.errors import InvalidInput
from jiedao.core.localtime import local_time, local_today
from jiedao.geo.lookup import grid_index
from jiedao.web import cockpit
from jiedao.web.cockpit import Kpi, Number, Panel

# A wall screen has room for the head of a ranking, not all of it.
RANKING_ROWS = 10
DEFAULT_LAYER = "events.open"


def parse_day(value: Any) -> date:
    """The day the cockpit shows: today unless one is asked for; never a day still to come."""
    today = local_today()
    day = parse_optional_date(value, field="day", label=_("Day"))
    if day is None:
        return today
    if day > today:
        raise InvalidInput(
            _("Day: %(day)s has not come yet; choose today or an earlier day.")
            % {"day": day.isoformat()},
            field="day",
        )
    return day


def _number(value: Number | None) -> int | float | None:
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return int(value) if float(value).is_integer() else float(value)


def display(value: Number | None) -> str:
    """A figure as the screen writes it: thousands separated, at most two decimals (2.76亿元
    stays 2.76), "—" when unknown (never 0)."""
    number = _number(value)
    if number is None:
        return "—"
    if isinstance(number, int):
        return f"{number:,}"
    return f"{number:,.2f}".rstrip("0").removesuffix(".")


def _meets(kpi: Kpi) -> bool | None:
    if kpi.target is None or kpi.value is None:
        return None
    if kpi.better == "lower":
        return kpi.value <= kpi.target
    return kpi.value >= kpi.target


def _url(name: str) -> str:
    if not name:
        return ""
    try:
        return reverse(name)
    except NoReverseMatch:  # a page that needs arguments: the screen shows the figure only
        return ""


def _kpi(kpi: Kpi) -> dict[str, Any]:
    target = _number(kpi.target)
    value = _number(kpi.value)
    share = None
    if target and value is not None and kpi.better == "higher":
        share = round(min(max(value / target, 0), 1) * 100, 1)
    return {
        "key": kpi.key,
        "label": str(kpi.label),
        "value": value,
        "display": display(value),
        "unit": str(kpi.unit),
        "target": target,
        "target_display": "" if target is None else display(target),
        "target_share": share,
        "meets_target": _meets(kpi),
        "better": kpi.better,
        "note": str(kpi.note),
        "url": _url(kpi.url_name),
    }


def _panel(panel: Panel) -> dict[str, Any]:
    return {
        "title": str(panel.title),
        "order": panel.order,
        "kpis": [_kpi(kpi) for kpi in panel.kpis],
        "trends": [
            {
                "title": str(trend.title),
                "unit": str(trend.unit),
                "labels": list(trend.labels),
                "series": [
                    {"name": str(series.name), "values": [_number(v) for v in series.values]}
                    for series in trend.series
                ],
            }
            for trend in panel.trends
        ],
        "rankings": [
            {
                "title": str(ranking.title),
                "unit": str(ranking.unit),
                "rows": [
                    {
                        "rank": position,
                        "label": str(label),
                        "value": _number(value),
                        "display": display(value),
                    }
                    for position, (label, value) in enumerate(ranking.rows[:RANKING_ROWS], 1)
                ],
            }
            for ranking in panel.rankings
        ],
    }


@dataclass(frozen=True)
class Board:
    day: date
    generated_at: datetime
    data: dict[str, Any]


def cockpit_board(*, user: Any, day: date) -> Board:
    """Every app's panel and map layer for ``day``, for a user who may see the cockpit.

    The layers count per grid by the grid's code (GB/T 30428.1), the key every map and client
    knows; grids the process's grid index does not know (retired ones) are left off the map."""
    require(user, "cockpit.view")
    now = timezone.now()
    panels = [_panel(panel) for panel in cockpit.panels(day)]
    codes = {grid.pk: grid.code for grid in grid_index().grids}
    layers = []
    for layer in cockpit.grid_layers(day):
        by_code = {
            codes[grid_id]: count
            for grid_id, count in layer.by_grid.items()
            if grid_id in codes and count
        }
        layers.append(
            {
                "key": layer.key,
                "label": str(layer.label),
                "by_grid": dict(sorted(by_code.items())),
                "total": sum(by_code.values()),
                "max": max(by_code.values(), default=0),
            }
        )
    # The open events first: what the screen shows until someone switches.
    layers.sort(key=lambda layer: layer["key"] != DEFAULT_LAYER)
    data = {
        "day": day.isoformat(),
        "generated_at": local_time(now).isoformat(timespec="seconds"),
        "panels": panels,
        "targets": [
            kpi | {"panel": panel["title"]}
            for panel in panels
            for kpi in panel["kpis"]
            if kpi["target"] is not None
        ],
        "layers": layers,
    }
    return Board(day=day, generated_at=now, data=data)
