"""The community tests: the demo's community work on top of the shared demo (the test settings
leave it out, as it takes most of the demo's loading time), and a small fund."""

import importlib
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from jiedao.accounts.permissions import SYSTEM
from jiedao.community import ledger


def community_demo() -> None:
    from jiedao.community.demo import FUND_NAME, community_demo_load
    from jiedao.community.models import Fund
    from jiedao.geo.models import Subdistrict

    if not Fund.objects.filter(name=FUND_NAME).exists():
        community_demo_load(subdistrict=Subdistrict.objects.get(code="330109012"))


@pytest.fixture(scope="module")
def community_for_module(demo_for_module: Any, django_db_blocker: Any) -> None:
    # Inside the module's demo transaction, rolled back with it.
    if demo_for_module is not None:
        with django_db_blocker.unblock():
            community_demo()


@pytest.fixture
def wenyan_demo(community_for_module: None, wenyan_demo: Any) -> Any:
    community_demo()
    return wenyan_demo


@pytest.fixture
def fund(users):
    """A fund of 1,000 yuan pledged, 100 injected, in the demo's subdistrict."""
    subdistrict_id = users["administrator"].subdistrict_id
    found = ledger.fund_create(
        actor=SYSTEM, subdistrict_id=subdistrict_id, name="测试基金", size=Decimal(1000)
    )
    ledger.fund_entry_book(
        actor=SYSTEM,
        fund=found,
        kind="injection",
        amount="100",
        description="注资",
        booked_on=date(2023, 1, 1),
    )
    return found


_TRIGGERS = importlib.import_module("jiedao.community.migrations.0006_fund_entry_immutable")


@pytest.fixture(autouse=True)
def _sqlite_ledger_triggers(request: Any) -> Iterator[None]:
    """On SQLite the database's flush after a transactional test (the browser's live server)
    empties tables with DELETE, which the fund entries' trigger refuses (PostgreSQL's TRUNCATE
    fires no row trigger). Such a test drops the triggers just before the flush; every test
    makes sure they are there first."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if connection.vendor != "sqlite" or not (marker or names & {"db", "transactional_db"}):
        yield
        return
    transactional = "transactional_db" in names or bool(marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    with connection.cursor() as cursor:
        for sql in _TRIGGERS.SQLITE_CREATE:
            cursor.execute(sql)
    yield
    if transactional:
        with connection.cursor() as cursor:
            for sql in _TRIGGERS.SQLITE_DROP:
                cursor.execute(sql)
