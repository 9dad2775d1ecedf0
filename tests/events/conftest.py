"""Fixtures for the events tests.

The Wenyan demo (geography, departments, one user per role, the category catalogue) is loaded
ONCE per test module inside a transaction that is rolled back when the module ends; every test
runs in a savepoint inside it (pytest-django's ``db``), so hundreds of parametrized cases share
one load. Modules that need real commits (``transactional_db``, PostgreSQL concurrency) override
``users`` themselves and load the demo per test.
"""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction

from jiedao.accounts.models import User
from jiedao.accounts.permissions import SYSTEM
from jiedao.events import services
from jiedao.events.models import Event
from jiedao.geo import lookup
from jiedao.geo.geometry import parse_boundary
from jiedao.geo.models import Grid

HOME_GRID = "330109012001001"  # the demo grid worker's grid, in the demo lead's community
OTHER_GRID = "330109012003002"  # in another community
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(32)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32)
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(32)


def _is_transactional(item: Any) -> bool:
    marker = item.get_closest_marker("django_db")
    return (
        "transactional_db" in item.fixturenames
        or "live_server" in item.fixturenames
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(scope="module")
def events_world(
    request: pytest.FixtureRequest, django_db_setup: Any, django_db_blocker: Any
) -> Iterator[dict[str, Any] | None]:
    """The demo loaded once for the module, in a transaction rolled back at its end — unless a
    test of the module needs real commits (then None: each test loads the demo itself)."""
    from jiedao.demo.services import demo_load

    module_items = [
        item for item in request.session.items if getattr(item, "module", None) is request.module
    ]
    if any(_is_transactional(item) for item in module_items):
        yield None
        return
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            cache.clear()
            lookup.grids_changed()
            yield {"demo": demo_load()}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()
            lookup.grids_changed()


@pytest.fixture
def wenyan_demo(
    request: pytest.FixtureRequest, events_world: dict[str, Any] | None
) -> dict[str, Any]:
    """The demo from the module's shared load, or loaded for this test alone."""
    if events_world is not None:
        request.getfixturevalue("db")
        return events_world["demo"]
    from jiedao.demo.services import demo_load

    request.getfixturevalue("transactional_db" if _is_transactional(request.node) else "db")
    return demo_load()


@pytest.fixture
def users(wenyan_demo: dict[str, Any]) -> dict[str, Any]:
    """role → the demo user with that role (fresh from the database for each test)."""
    related = User.objects.select_related("grid", "community", "department", "subdistrict")
    return {user.role: user for user in related}


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
