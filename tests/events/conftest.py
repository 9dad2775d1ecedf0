"""Fixtures for the events tests. The Wenyan demo is loaded once per module (see
tests/wenyan_once.py), so hundreds of parametrized cases share one load."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.events import services
from jiedao.events.demo import demo_events_load
from jiedao.events.models import Event, EventPhoto, EventStep, Notification
from jiedao.geo.geometry import parse_boundary
from jiedao.geo.models import Grid, Subdistrict
from tests.images import JPEG, PNG, WEBP  # noqa: F401

HOME_GRID = "330109012001001"  # the demo grid worker's grid, in the demo lead's community
OTHER_GRID = "330109012003002"  # in another community


def counts() -> tuple[int, int, int, int, int]:
    """What a failed call must leave as it was."""
    return (
        Event.objects.count(),
        EventStep.objects.count(),
        AuditEntry.objects.count(),
        EventPhoto.objects.count(),
        Notification.objects.count(),
    )


def point_in(grid_code: str) -> tuple[float, float]:
    """(lat, lng) of a point well inside the grid."""
    grid = Grid.objects.get(code=grid_code)
    point = parse_boundary(grid.boundary).representative_point()
    return point.y, point.x


def png(name: str = "photo.png", content: bytes = PNG) -> ContentFile:
    return ContentFile(content, name=name)


def report(
    actor: Any = SYSTEM, *, grid: str = HOME_GRID, at: datetime | None = None, **fields: Any
) -> Event:
    """Report an event in ``grid`` (by the demo resident unless an actor is given)."""
    lat, lng = point_in(grid)
    values: dict[str, Any] = {
        "category": "E0101",
        "description": "小区门口垃圾堆积",
        "lat": lat,
        "lng": lng,
        "address": "三江路1号",
        "reporter_name": "张居民",
        "reporter_phone": "13812345678",
    }
    values.update(fields)
    return services.event_report(actor=actor, at=at, **values).event


def act(event: Event, action: str, actor: Any = SYSTEM, **data: Any) -> Event:
    return services.event_transition(event=event, action=action, actor=actor, **data)


def drive(event: Event, path: list[tuple[str, dict[str, Any]]]) -> Event:
    """Apply (action, data) pairs as SYSTEM."""
    for action, data in path:
        event = act(event, action, **data)
    return event


@pytest.fixture
def home_point(users: Any) -> tuple[float, float]:
    return point_in(HOME_GRID)


@pytest.fixture(scope="module")
def demo_events(
    demo_for_module: dict[str, Any], django_db_blocker: Any
) -> Iterator[dict[str, int]]:
    """The demo's 4,332 events, loaded once for the module that asks (inside the module's
    demo transaction, so they are rolled back with it)."""
    with django_db_blocker.unblock():
        assert transaction.get_connection().in_atomic_block  # rolled back with the module
        subdistrict = Subdistrict.objects.get(code="330109012")
        yield demo_events_load(subdistrict=subdistrict)


@pytest.fixture
def loaded(demo_events: dict[str, int], db: Any) -> dict[str, int]:
    return demo_events
