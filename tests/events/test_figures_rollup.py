"""The figures' rollup (jiedao.events.rollups) equals the direct computation from the events.

PostgreSQL only (the rollup and its triggers exist there alone). Random events — every status,
timestamps on and beside local midnights, merged and suspended ones, a missing department —
written in one statement (as COPY and the 12345 import write them), a random share of their
days refreshed, a random share of them changed after the refresh; then random periods, cutoffs
(at midnight and inside a day), groupings and scopes must give the same figures from the rollup
as from the events alone.
"""

import importlib
from datetime import date, datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiedao.accounts.models import User
from jiedao.accounts.permissions import SYSTEM, Level
from jiedao.core.localtime import local_start
from jiedao.events import policy, rollups
from jiedao.events.figures import GROUPINGS, event_figures
from jiedao.events.models import Category, Event, FigureChange, FigureRollup
from jiedao.events.workflow import Source, Status
from jiedao.geo.models import Department, Grid

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the figures' rollup exists on PostgreSQL only"
)

FIRST = date(2024, 3, 10)
# Merged is a flag of its own below: a merged event needs its primary.
STATUSES = [status for status in Status.values if status != Status.MERGED]
DAYS = 8


def _moment(day: int, seconds: int) -> datetime:
    return local_start(FIRST + timedelta(days=day)) + timedelta(seconds=seconds)


# A time: a day of the window and a second in it, often exactly midnight.
moments = st.tuples(st.integers(0, DAYS - 1), st.one_of(st.just(0), st.integers(0, 86399))).map(
    lambda value: _moment(*value)
)
optional_moments = st.one_of(st.none(), moments)
events = st.fixed_dictionaries(
    {
        "created_at": moments,
        "status": st.sampled_from(STATUSES),
        "source": st.sampled_from(Source.values),
        "accepted_at": optional_moments,
        "dispatched_at": optional_moments,
        "handle_due_at": optional_moments,
        "closed_at": optional_moments,
        "is_self_resolved": st.booleans(),
        "satisfaction": st.one_of(st.none(), st.integers(1, 5)),
        "extension_count": st.integers(0, 1),
        "rework_count": st.integers(0, 1),
        "reopen_count": st.integers(0, 1),
        "merged": st.booleans(),
        "place": st.integers(0, 2),
        "department": st.one_of(st.none(), st.integers(0, 2)),
    }
)
queries = st.fixed_dictionaries(
    {
        "since": st.integers(0, DAYS - 1),
        "length": st.integers(0, DAYS - 1),
        "now": optional_moments,
        "by": st.sampled_from(GROUPINGS),
        "include_self_resolved": st.booleans(),
        "system": st.booleans(),
    }
)


def _write(specs: list[dict[str, Any]], world: dict[str, Any]) -> list[Event]:
    rows = []
    for number, spec in enumerate(specs):
        grid = world["grids"][spec["place"]]
        department = (
            None if spec["department"] is None else world["departments"][spec["department"]]
        )
        rows.append(
            Event(
                number=f"R{number:06d}",
                subdistrict_id=grid.community.subdistrict_id,
                source=spec["source"],
                category=world["categories"][spec["place"]],
                description="rollup",
                lat=30.0,
                lng=120.0,
                grid=grid,
                community=grid.community,
                status=Status.REPORTED if spec["merged"] else spec["status"],
                responsible_department=department,
                responsible_user=None if department else world["user"],
                created_at=spec["created_at"],
                last_action_at=spec["created_at"],
                accepted_at=spec["accepted_at"],
                dispatched_at=spec["dispatched_at"],
                handle_due_at=spec["handle_due_at"],
                closed_at=spec["closed_at"],
                is_self_resolved=spec["is_self_resolved"],
                satisfaction=spec["satisfaction"],
                extension_count=spec["extension_count"],
                rework_count=spec["rework_count"],
                reopen_count=spec["reopen_count"],
            )
        )
    written = Event.objects.bulk_create(rows)  # one INSERT: logged once, as COPY would be
    merged = [event.pk for event, spec in zip(written, specs, strict=True) if spec["merged"]]
    primaries = [event for event, spec in zip(written, specs, strict=True) if not spec["merged"]]
    if merged and primaries:
        Event.objects.filter(pk__in=merged).update(status=Status.MERGED, merged_into=primaries[0])
    return written


def _figures(user: Any, query: dict[str, Any]) -> dict[str, Any]:
    since = FIRST + timedelta(days=query["since"])
    return event_figures(
        user=user,
        since=since,
        until=since + timedelta(days=query["length"]),
        by=query["by"],
        now=query["now"],
        include_self_resolved=query["include_self_resolved"],
    ).as_dict()


@pytest.fixture
def world(users: dict[str, Any]) -> dict[str, Any]:
    grids = list(Grid.objects.select_related("community").order_by("code")[:3])
    return {
        "grids": grids,
        "categories": list(Category.objects.filter(parent__isnull=False).order_by("code")[:3]),
        "departments": list(Department.objects.order_by("code")[:3]),
        "user": users["dispatcher"],
        "dispatcher": users["dispatcher"],
    }


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    specs=st.lists(events, min_size=1, max_size=40),
    refreshed_hours=st.integers(0, 60),
    changes=st.lists(
        st.tuples(st.integers(0, 39), st.sampled_from(STATUSES)),
        max_size=5,
    ),
    query_list=st.lists(queries, min_size=1, max_size=4),
)
def test_the_rollup_equals_the_figures_from_the_events(
    world: dict[str, Any],
    specs: list[dict[str, Any]],
    refreshed_hours: int,
    changes: list[tuple[int, str]],
    query_list: list[dict[str, Any]],
) -> None:
    with transaction.atomic():
        # given random events, some of their hours refreshed into the rollup, some changed since
        rollups.rollup_refresh()
        written = _write(specs, world)
        if refreshed_hours:
            with mock.patch.object(rollups, "REFRESH_HOURS", refreshed_hours):
                rollups.rollup_refresh(max_batches=1)
        for index, status in changes:
            if index < len(written) and not specs[index]["merged"]:
                Event.objects.filter(pk=written[index].pk).update(status=status)

        # when the figures are read from the rollup and from the events alone
        for query in query_list:
            user = SYSTEM if query["system"] else world["dispatcher"]
            assert rollups.rollup_applies(user)
            from_rollup = _figures(user, query)
            with mock.patch("jiedao.events.figures.rollup_applies", return_value=False):
                from_events = _figures(user, query)

            # then they are the same
            assert from_rollup == from_events
        transaction.set_rollback(True)


def test_a_refresh_consumes_the_log_and_stores_each_day_once(world: dict[str, Any]) -> None:
    # given two events on two days, written in one statement and refreshed
    rollups.rollup_refresh()
    _write(
        [
            {
                "created_at": _moment(0, 3600),
                "status": Status.CLOSED,
                "source": Source.GRID_PATROL,
                "accepted_at": None,
                "dispatched_at": None,
                "handle_due_at": None,
                "closed_at": _moment(0, 3600),
                "is_self_resolved": True,
                "satisfaction": None,
                "extension_count": 0,
                "rework_count": 0,
                "reopen_count": 0,
                "merged": False,
                "place": 0,
                "department": 0,
            },
            {
                "created_at": _moment(2, 0),
                "status": Status.REPORTED,
                "source": Source.RESIDENT,
                "accepted_at": None,
                "dispatched_at": None,
                "handle_due_at": None,
                "closed_at": None,
                "is_self_resolved": False,
                "satisfaction": None,
                "extension_count": 0,
                "rework_count": 0,
                "reopen_count": 0,
                "merged": False,
                "place": 1,
                "department": None,
            },
        ],
        world,
    )
    assert FigureChange.objects.count() == 2  # two hours, one statement

    # when the rollup is refreshed twice
    first = rollups.rollup_refresh()
    second = rollups.rollup_refresh()

    # then the log is consumed once, and each dimension holds one row per event here
    assert (first.hours, second.hours) == (2, 0)
    assert FigureChange.objects.count() == 0
    stored = FigureRollup.objects.filter(created_day__in=[FIRST, FIRST + timedelta(days=2)])
    assert sorted(stored.values_list("dimension", "created_day", "events")) == [
        ("category", FIRST, 1),
        ("category", FIRST + timedelta(days=2), 1),
        ("community", FIRST, 1),
        ("community", FIRST + timedelta(days=2), 1),
        ("department", FIRST, 1),
        ("department", FIRST + timedelta(days=2), 1),
        ("grid", FIRST, 1),
        ("grid", FIRST + timedelta(days=2), 1),
        ("source", FIRST, 1),
        ("source", FIRST + timedelta(days=2), 1),
    ]


def test_an_update_of_a_column_the_figures_do_not_read_logs_nothing(
    world: dict[str, Any],
) -> None:
    spec = {
        "created_at": _moment(1, 60),
        "status": Status.REPORTED,
        "source": Source.RESIDENT,
        "accepted_at": None,
        "dispatched_at": None,
        "handle_due_at": None,
        "closed_at": None,
        "is_self_resolved": False,
        "satisfaction": None,
        "extension_count": 0,
        "rework_count": 0,
        "reopen_count": 0,
        "merged": False,
        "place": 2,
        "department": 2,
    }
    [event] = _write([spec], world)
    rollups.rollup_refresh()
    Event.objects.filter(pk=event.pk).update(last_action_at=event.last_action_at)
    assert FigureChange.objects.count() == 0
    Event.objects.filter(pk=event.pk).update(rework_count=event.rework_count + 1)
    assert FigureChange.objects.count() == 1


def test_the_subdistrict_scope_is_the_one_the_rollup_assumes() -> None:
    # The rollup stores whole subdistricts: a subdistrict-level user must see exactly those.
    assert policy.SCOPES["events.event"][Level.SUBDISTRICT] == ("subdistrict", "subdistrict_id")


@pytest.mark.parametrize("count", [3, 300])
def test_figures_from_the_rollup_run_one_statement(
    world: dict[str, Any], count: int, django_assert_num_queries: Any
) -> None:
    spec = {
        "status": Status.CLOSED,
        "source": Source.GRID_PATROL,
        "accepted_at": None,
        "dispatched_at": None,
        "handle_due_at": None,
        "closed_at": None,
        "is_self_resolved": False,
        "satisfaction": 4,
        "extension_count": 0,
        "rework_count": 0,
        "reopen_count": 0,
        "merged": False,
        "department": 1,
    }
    _write(
        [
            {**spec, "created_at": _moment(n % DAYS, n), "place": n % 3, "closed_at": _moment(7, 0)}
            for n in range(count)
        ],
        world,
    )
    rollups.rollup_refresh()
    dispatcher = world["dispatcher"]
    User.objects.get(pk=dispatcher.pk)  # the user's own row is not the figures' business
    with django_assert_num_queries(1):
        figures = event_figures(
            user=dispatcher, since=FIRST, until=FIRST + timedelta(days=DAYS - 1), by="grid"
        )
    assert figures.total.collected == count
    assert figures.total.closed == count


def test_the_rates_migration_logs_the_days_stored_under_the_old_definitions(
    world: dict[str, Any],
) -> None:
    # given, stored in the rollup, a closure before registration (day 0), an event reworked and
    # still open (day 1) and an event dispatched and closed without rework (day 2)
    base = {
        "status": Status.CLOSED,
        "source": Source.GRID_PATROL,
        "accepted_at": _moment(0, 0),
        "dispatched_at": _moment(0, 0),
        "handle_due_at": _moment(3, 0),
        "closed_at": _moment(2, 0),
        "is_self_resolved": False,
        "satisfaction": None,
        "extension_count": 0,
        "rework_count": 0,
        "reopen_count": 0,
        "merged": False,
        "place": 0,
        "department": 0,
    }
    _write(
        [
            {
                **base,
                "created_at": _moment(0, 3600),
                "accepted_at": None,
                "dispatched_at": None,
                "handle_due_at": None,
                "closed_at": _moment(0, 7200),
            },
            {
                **base,
                "created_at": _moment(1, 3600),
                "status": Status.HANDLING,
                "closed_at": None,
                "rework_count": 1,
            },
            {**base, "created_at": _moment(2, 3600)},
        ],
        world,
    )
    rollups.rollup_refresh()
    migration = importlib.import_module(
        "jiedao.events.migrations.0011_figures_rates_within_denominators"
    )

    # when the migration's statement runs
    with connection.cursor() as cursor:
        cursor.execute(migration.LOG_CHANGED_DAYS)

    # then the hours of the first two are logged for the refresh, and not the third's
    assert sorted(FigureChange.objects.values_list("hour", flat=True)) == [
        _moment(0, 3600),
        _moment(1, 3600),
    ]
    assert rollups.rollup_refresh().days == 2
