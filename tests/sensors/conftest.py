"""The sensors tests: the broker fixtures, and the demo's sensors on top of the shared demo (the
test settings leave them out of it, so that other apps' tests count only their own events)."""

from typing import Any

import pytest

from .broker import broker, publisher  # noqa: F401


def sensors_demo() -> None:
    from jiedao.geo.models import Subdistrict
    from jiedao.sensors.demo import sensors_demo_load
    from jiedao.sensors.models import Device

    if not Device.objects.filter(code="WY-CAM-001").exists():
        sensors_demo_load(subdistrict=Subdistrict.objects.get(code="330109012"))


@pytest.fixture(scope="module")
def sensors_for_module(demo_for_module: Any, django_db_blocker: Any) -> None:
    # Inside the module's demo transaction, rolled back with it.
    if demo_for_module is not None:
        with django_db_blocker.unblock():
            sensors_demo()


@pytest.fixture
def wenyan_demo(sensors_for_module: None, wenyan_demo: Any) -> Any:
    sensors_demo()
    return wenyan_demo


def full_demo() -> None:
    """The demo with its sensors, for the tests that commit (transactional)."""
    from jiedao.demo.services import demo_load

    demo_load()
    sensors_demo()
