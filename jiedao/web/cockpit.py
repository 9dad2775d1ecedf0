"""What each app shows on the leaders' cockpit (领导驾驶舱, the wall screen).

The cockpit only arranges; each app answers its own figures from its own selectors, registered
from its ``AppConfig.ready()`` the way home cards are (:mod:`jiedao.web.cards`)::

    from jiedao.web import cockpit

    cockpit.register_panel(owner=self.name, provider=cockpit_panel)
    cockpit.register_grid_layer(owner=self.name, provider=open_events_by_grid)

A panel provider answers for a day (the cockpit's "today", so tests and the demo can fix it) and
runs a constant number of statements whatever the data: the cockpit is one page over every app.
It returns None when the app has nothing to show yet.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from django.utils.functional import Promise

from jiedao.core.localtime import local_days

Text = str | Promise
Number = int | float | Decimal


@dataclass(frozen=True)
class Kpi:
    """One headline figure: "待办事件 21", with its target when it has one."""

    key: str  # stable across releases, e.g. "events.open"; the cockpit's API uses it
    label: Text
    value: Number | None  # None: not known for this period (shown as "—", never as 0)
    unit: Text = ""
    target: Number | None = None
    # Which way is good, so the screen colours a figure against its target the right way.
    better: Literal["higher", "lower"] = "higher"
    note: Text = ""  # a short qualifier, e.g. "其中超期 2"
    url_name: str = ""  # where a click on the laptop leads (the screen itself is not clicked)


@dataclass(frozen=True)
class Series:
    name: Text
    values: Sequence[Number | None]


@dataclass(frozen=True)
class Trend:
    """A small line or bar chart: one label per period, one or more series over them."""

    title: Text
    labels: Sequence[str]
    series: Sequence[Series]
    unit: Text = ""


@dataclass(frozen=True)
class Ranking:
    """A ranked list (best first as the app defines it), e.g. communities by on-time closure."""

    title: Text
    rows: Sequence[tuple[Text, Number]]
    unit: Text = ""


@dataclass(frozen=True)
class Panel:
    title: Text
    kpis: Sequence[Kpi]
    trends: Sequence[Trend] = field(default_factory=tuple)
    rankings: Sequence[Ranking] = field(default_factory=tuple)
    order: int = 100


@dataclass(frozen=True)
class GridLayer:
    """A figure per grid for colouring the cockpit's map, e.g. open events or active warnings."""

    key: str
    label: Text
    by_grid: dict[int, int]  # grid id → count; grids not in it count 0


PanelProvider = Callable[[datetime.date], Panel | None]
GridLayerProvider = Callable[[datetime.date], GridLayer]

_panels: dict[str, PanelProvider] = {}
_layers: dict[str, GridLayerProvider] = {}


def register_panel(*, owner: str, provider: PanelProvider) -> None:
    if owner in _panels:
        raise ValueError(f"cockpit panel registered twice by {owner}")
    _panels[owner] = provider


def register_grid_layer(*, owner: str, provider: GridLayerProvider) -> None:
    if owner in _layers:
        raise ValueError(f"cockpit grid layer registered twice by {owner}")
    _layers[owner] = provider


def as_of(today: datetime.date) -> datetime.datetime:
    """The instant a provider takes "now" at: now itself, or the end of ``today`` when the
    cockpit is asked about a past day (a state such as "overdue" is then judged at that day's
    end, not later)."""
    return min(timezone.now(), local_days(today, today)[1])


def panels(today: datetime.date) -> list[Panel]:
    """Every registered app's panel for the day, by order, then as the apps were installed."""
    found = [panel for provider in _panels.values() if (panel := provider(today)) is not None]
    return sorted(found, key=lambda panel: panel.order)


def grid_layers(today: datetime.date) -> list[GridLayer]:
    return [provider(today) for provider in _layers.values()]
