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
