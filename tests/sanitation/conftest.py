"""The sanitation tests: the demo's waste sorting on top of the shared demo (the test settings
leave it out, ``DEMO_SANITATION``), loaded once per module: its places, accounts and
configuration, and the records of the current month (``make demo`` loads a year; a year through
the services takes too long to load for every test module, and the tests assert exact values
on records they write themselves)."""

from typing import Any

import pytest

SUBDISTRICT = "330109012"
HISTORY_MONTHS = 1


def sanitation_demo() -> None:
    from jiedao.geo.models import Subdistrict
    from jiedao.sanitation.demo import sanitation_demo_load, sanitation_history_load
    from jiedao.sanitation.models import Compound

    if not Compound.objects.exists():
        subdistrict = Subdistrict.objects.get(code=SUBDISTRICT)
        sanitation_demo_load(subdistrict=subdistrict)
        sanitation_history_load(subdistrict=subdistrict, months=HISTORY_MONTHS)


@pytest.fixture(scope="module")
def sanitation_for_module(demo_for_module: Any, django_db_blocker: Any) -> None:
    # Inside the module's demo transaction, rolled back with it.
    if demo_for_module is not None:
        with django_db_blocker.unblock():
            sanitation_demo()


@pytest.fixture
def wenyan_demo(sanitation_for_module: None, wenyan_demo: Any) -> Any:
    sanitation_demo()
    return wenyan_demo


@pytest.fixture
def compound(wenyan_demo: Any) -> Any:
    """三江名苑, in the demo grid worker's grid."""
    from jiedao.sanitation.models import Compound

    return Compound.objects.get(name="三江名苑")


@pytest.fixture
def point(compound: Any) -> Any:
    return compound.collection_points.get(name="1号投放点")


@pytest.fixture
def account(compound: Any) -> Any:
    """A household registered for the test: no points and no records yet."""
    from datetime import date

    from jiedao.accounts.permissions import SYSTEM
    from jiedao.sanitation import services

    return services.household_register(
        actor=SYSTEM,
        compound_id=compound.pk,
        address="9幢1单元901室",
        contact_name="测试户主",
        contact_phone="13912345678",
        people=3,
        registered_on=date(2026, 1, 5),
    )


@pytest.fixture
def other_compound(wenyan_demo: Any) -> Any:
    """南岸锦苑, in 南岸社区: outside the grid worker's and the 三江 lead's area."""
    from jiedao.sanitation.models import Compound

    return Compound.objects.get(name="南岸锦苑")
