"""The Wenyan demo loaded once per test module instead of once per test.

Loading the demo takes seconds (geography, users, categories, key tasks) and hundreds of tests
use it. ``tests/conftest.py`` imports ``demo_for_module`` and ``wenyan_demo`` from here for every
test directory: the demo is loaded in a transaction opened for the module, every test runs inside
it in a savepoint as usual (so its changes are still undone), and the module's transaction is
rolled back at the end.

A module with a test that needs real commits (``transactional_db``, ``live_server``) cannot share
an uncommitted demo with other connections: there ``demo_for_module`` is None and each test loads
the demo itself. Once loaded, the demo stays for the module's later tests: a test that needs an
empty database belongs in another module.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction

from jiedao.geo import lookup


def _is_transactional(item: Any) -> bool:
    marker = item.get_closest_marker("django_db")
    return (
        "transactional_db" in item.fixturenames
        or "live_server" in item.fixturenames
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(scope="module")
def demo_for_module(
    request: pytest.FixtureRequest, django_db_setup: Any, django_db_blocker: Any
) -> Iterator[dict[str, Any] | None]:
    from jiedao.demo.services import demo_load

    module_items = [
        item for item in request.session.items if getattr(item, "module", None) is request.module
    ]
    if any(_is_transactional(item) for item in module_items):
        yield None
        return
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            cache.clear()
            lookup.grids_changed()
            yield demo_load()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()
            lookup.grids_changed()


@pytest.fixture
def wenyan_demo(
    request: pytest.FixtureRequest, demo_for_module: dict[str, Any] | None
) -> dict[str, Any]:
    """The demo from the module's shared load, or loaded for this test alone."""
    if demo_for_module is not None:
        request.getfixturevalue("db")
        return demo_for_module
    from jiedao.demo.services import demo_load

    request.getfixturevalue("transactional_db" if _is_transactional(request.node) else "db")
    return demo_load()
