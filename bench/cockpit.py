"""The leaders' cockpit over 1,000,000 events: the whole board a wall screen asks for every
minute (every app's panel and map layer), beside the dashboard's heaviest single query — the
half-year figures by department — on the same rows.

The events are the figures benchmark's (:mod:`bench.figures`: two years over the demo's grids,
written with ``COPY``); ``BENCH_COCKPIT_EVENTS`` makes the table smaller for a quick run.
Most of the board's time goes to two scans the events table has no index for: the events closed
per day (``closed_at``) and the open ones across the whole table.
"""

import os
import sys
from datetime import date
from typing import Any

from . import figures as world_of_events
from .runner import Result, best_of

DAY = date(2022, 6, 30)


def run() -> list[Result]:
    from django.db import connection

    from jiedao.accounts.models import User
    from jiedao.cockpit.board import cockpit_board
    from jiedao.events.figures import event_figures

    if connection.vendor != "postgresql":
        raise RuntimeError("the cockpit benchmark needs PostgreSQL (COPY)")
    events = int(os.environ.get("BENCH_COCKPIT_EVENTS", world_of_events.EVENTS))
    world_of_events.EVENTS = events
    world: dict[str, Any] = world_of_events._load_world()
    world_of_events.WORLD.update(world)
    seconds = world_of_events._copy(world, events)
    world_of_events.refresh()  # as the refresh task would shortly after the writes
    print(f"cockpit: {events:,} events copied in {seconds:.0f} s", file=sys.stderr)
    leader = User.objects.get(username="lingdao")
    board = cockpit_board(user=leader, day=DAY)
    assert board.data["panels"][0]["kpis"][0]["key"] == "events.open"
    ours = best_of(lambda: cockpit_board(user=leader, day=DAY), 3)
    reference = best_of(
        lambda: event_figures(user=leader, by="department", **world_of_events.HALF_YEAR), 3
    )
    return [
        Result(
            f"cockpit board (every panel and layer), {events:,} events",
            ours * 1000,
            "ms",
            "half-year figures by department",
            reference * 1000,
            "≤ 2000 ms (refreshed once a minute)",
            ours <= 2.0,
        )
    ]
