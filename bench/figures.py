"""Event figures over 1,000,000 events: the half-year figures by department and by grid (the
dashboard's heaviest queries) beside a bare ``SELECT count(*) … GROUP BY`` on the same rows.

The million events are a benchmark fixture, not history: they are written in time order with
PostgreSQL's ``COPY`` in one go (the demo generator, by contrast, goes through the services). Two years of
events over the demo's 35 grids and its catalogue, in realistic shares of states: most closed
(a quarter of them dispatched, the rest resolved on the spot), some open, a few rejected.
"""

import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .runner import Result, best_of

EVENTS = 1_000_000
HALF_YEAR = {"since": date(2022, 1, 1), "until": date(2022, 6, 30)}
FIRST_DAY = datetime(2021, 7, 1, tzinfo=UTC)
DAYS = 730
COLUMNS = (
    "number",
    "subdistrict_id",
    "source",
    "category_id",
    "description",
    "lat",
    "lng",
    "is_location_approximate",
    "address",
    "grid_id",
    "community_id",
    "reporter_name",
    "reporter_phone",
    "urgency",
    "status",
    "status_before_suspension",
    "responsible_department_id",
    "alert_level",
    "supervision_kind",
    "created_at",
    "accepted_at",
    "dispatched_at",
    "handle_due_at",
    "closed_at",
    "last_action_at",
    "is_self_resolved",
    "satisfaction",
    "extension_count",
    "rework_count",
    "reopen_count",
    "client_key",
    "request_fingerprint",
)
SOURCES = ["grid_patrol"] * 8 + ["resident", "hotline_12345", "sensor"]


def _load_world() -> dict[str, Any]:
    from django.conf import settings

    from jiedao.demo.services import demo_load
    from jiedao.events.models import Category
    from jiedao.geo.models import Department, Grid

    settings.DEMO_EVENTS = False
    demo_load()
    grids = list(Grid.objects.select_related("community").order_by("code"))
    categories = list(
        Category.objects.filter(parent__isnull=False).values_list("pk", "default_department_id")
    )
    departments = list(Department.objects.values_list("pk", flat=True))
    centre = Department.objects.get(code="command-centre").pk
    return {
        "subdistrict": grids[0].community.subdistrict_id,
        "grids": [(grid.pk, grid.community_id) for grid in grids],
        "categories": categories,
        "departments": departments,
        "centre": centre,
    }


def _rows(world: dict[str, Any]) -> Any:
    rng = random.Random(1)
    subdistrict = world["subdistrict"]
    # Events arrive in time order, so the table is in time order too, as in production.
    seconds = sorted(rng.randrange(DAYS * 86400) for _ in range(EVENTS))
    for n, offset in enumerate(seconds):
        created = FIRST_DAY + timedelta(seconds=offset)
        grid, community = rng.choice(world["grids"])
        category, default_department = rng.choice(world["categories"])
        roll = rng.random()
        accepted = dispatched = due = closed = None
        satisfaction = None
        self_resolved = False
        department = world["centre"]
        extensions = reworks = 0
        if roll < 0.70:
            status, self_resolved, closed = "closed", True, created
        elif roll < 0.93:
            status = "closed"
            accepted = created + timedelta(minutes=30)
            dispatched = accepted + timedelta(minutes=20)
            due = accepted + timedelta(hours=rng.choice([4, 8, 24, 72]))
            closed = accepted + timedelta(hours=rng.uniform(1, 90))
            department = default_department or rng.choice(world["departments"])
            satisfaction = rng.choice([None, 5, 5, 4, 3])
            extensions = 1 if rng.random() < 0.05 else 0
            reworks = 1 if rng.random() < 0.04 else 0
        elif roll < 0.98:
            status = rng.choice(["reported", "accepted", "dispatched", "handling"])
            if status != "reported":
                accepted = created + timedelta(minutes=30)
                due = accepted + timedelta(hours=24)
            if status in ("dispatched", "handling"):
                dispatched = accepted + timedelta(minutes=20) if accepted else None
                department = default_department or rng.choice(world["departments"])
        else:
            status = "rejected"
        last = closed or dispatched or accepted or created
        yield (
            f"B{n:08d}",
            subdistrict,
            rng.choice(SOURCES),
            category,
            "基准事件",
            30.12,
            120.21,
            False,
            "",
            grid,
            community,
            "",
            "",
            "normal",
            status,
            "",
            department,
            "none",
            "",
            created,
            accepted,
            dispatched,
            due,
            closed,
            last,
            self_resolved,
            satisfaction,
            extensions,
            reworks,
            0,
            "",
            "",
        )


def _copy(world: dict[str, Any]) -> float:
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3
        with raw.copy(f"COPY events_event ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in _rows(world):
                copy.write_row(row)
        cursor.execute("ANALYZE events_event")
    return time.perf_counter() - start


def _bare_group_by(column: str, start: datetime, end: datetime) -> list[Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column}, count(*) FROM events_event "  # noqa: S608 - a fixed column name
            "WHERE subdistrict_id = %s AND created_at >= %s AND created_at < %s GROUP BY 1",
            [WORLD["subdistrict"], start, end],
        )
        return cursor.fetchall()


WORLD: dict[str, Any] = {}


def run() -> list[Result]:
    from django.db import connection

    from jiedao.accounts.models import User
    from jiedao.events.figures import event_figures, period_bounds

    if connection.vendor != "postgresql":
        raise RuntimeError("the figures benchmark needs PostgreSQL (COPY)")
    WORLD.update(_load_world())
    seconds = _copy(WORLD)
    print(f"figures: {EVENTS:,} events copied in {seconds:.0f} s", file=sys.stderr)
    dispatcher = User.objects.get(username="zhihui")
    start, end = period_bounds(**HALF_YEAR)
    results = []
    for grouping, column in (("department", "responsible_department_id"), ("grid", "grid_id")):
        figures = event_figures(user=dispatcher, by=grouping, **HALF_YEAR)
        reference = _bare_group_by(column, start, end)
        assert sum(row.collected for row in figures.rows) == sum(n for _key, n in reference)
        ours = best_of(
            lambda grouping=grouping: event_figures(user=dispatcher, by=grouping, **HALF_YEAR), 3
        )
        bare = best_of(lambda column=column: _bare_group_by(column, start, end), 3)
        results.append(
            Result(
                f"figures by {grouping}, half a year of {EVENTS:,} events "
                f"({figures.total.collected:,} in the period)",
                ours * 1000,
                "ms",
                "bare SELECT count(*) GROUP BY",
                bare * 1000,
                "≤ 200 ms",
                ours <= 0.2,
            )
        )
    return results
