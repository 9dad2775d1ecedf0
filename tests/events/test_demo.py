"""The demo events: the seed's 2022 first-half figures, computed by the figures code, and open
work in every inbox. The generator runs ONCE for this module (it makes ~4,300 events through
the services) inside the module's rolled-back transaction."""

from datetime import date
from typing import Any

import pytest

from jiedao.accounts.models import User
from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.events.demo import H1_GRID_COLLECTED, H1_GRID_DISPATCHED
from jiedao.events.figures import event_figures
from jiedao.events.models import Event, EventStep
from jiedao.events.selectors import event_inbox
from jiedao.geo.models import Grid

from .conftest import HOME_GRID

H1 = {"since": date(2022, 1, 1), "until": date(2022, 6, 30)}


def test_first_half_2022_has_the_seed_figures(loaded: Any) -> None:
    # when the figures code counts 2022-01-01..2022-06-30 by source
    figures = event_figures(user=SYSTEM, by="source", **H1)

    # then the grids collected 4234, 1059 of them went through unified dispatch, the rest were
    # resolved on the spot, and every event due is closed
    grid = next(row for row in figures.rows if row.key == "grid_patrol")
    assert (grid.collected, grid.dispatched, grid.self_resolved) == (4234, 1059, 3175)
    assert grid.closed == 4234
    assert grid.due == 4234
    assert grid.closure_rate == 1.0
    assert figures.total.closure_rate == 1.0
    assert figures.total.collected == 4234 + loaded["other_sources"]
    assert (H1_GRID_COLLECTED, H1_GRID_DISPATCHED) == (4234, 1059)


def test_first_half_2022_is_spread_over_grids_categories_sources_and_months(loaded: Any) -> None:
    by_grid = event_figures(user=SYSTEM, by="grid", **H1)
    by_category = event_figures(user=SYSTEM, by="category", **H1)
    by_source = event_figures(user=SYSTEM, by="source", **H1)
    by_month = event_figures(user=SYSTEM, by="month", **H1)
    assert len(by_grid.rows) == Grid.objects.count() == 35
    assert len(by_category.rows) >= 20
    assert [row.key for row in by_source.rows] == [
        "grid_patrol",
        "hotline_12345",
        "resident",
        "sensor",
    ]
    assert [row.key for row in by_month.rows] == [f"2022-0{month}" for month in range(1, 7)]
    total = by_month.total
    # Some went late, some were reworked or extended, many were rated.
    assert 0.9 < total.on_time_rate < 1.0
    assert total.reworked > 0
    assert total.extended > 0
    assert total.satisfaction_count > 0


def test_every_demo_event_went_through_the_services(loaded: Any) -> None:
    events = Event.objects.count()
    assert events == loaded["events"]
    assert EventStep.objects.filter(action="report").count() == events
    assert AuditEntry.objects.filter(action="events.event.report").count() == events


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("zhihui", "reported"),
        ("zhihui", "accepted"),
        ("chengguan", "dispatched"),
        ("wangge", "reported_back"),
    ],
)
def test_every_inbox_has_recent_work(loaded: Any, username: str, status: str) -> None:
    user = User.objects.get(username=username)
    statuses = set(event_inbox(user=user).values_list("status", flat=True))
    assert status in statuses


def test_the_grid_worker_verifies_in_their_grid(loaded: Any) -> None:
    wangge = User.objects.get(username="wangge")
    waiting = event_inbox(user=wangge).filter(status="reported_back")
    assert waiting.count() == 3
    assert set(waiting.values_list("grid__code", flat=True)) == {HOME_GRID}
