"""Shared fixtures. ``wenyan_demo`` loads the real demo through the services once per test module
(see tests/wenyan_once.py); ``users`` gives one demo user per role."""

import os
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from jiedao.config.process import forget_process_caches
from jiedao.demo import wenyan
from tests.wenyan_once import demo_for_module, wenyan_demo  # noqa: F401

# The shared Playwright fixture (browser_page) for @pytest.mark.browser tests.
pytest_plugins = ["tests.browser"]


def pytest_report_header(config: pytest.Config) -> str:
    return f"database: {settings.DATABASES['default']['ENGINE']}"


# Fixtures that load the demo and reach the database through request.getfixturevalue() declare
# no database to pytest-django, which creates the test database only for the databases the
# collected tests declare: a run of only such tests would otherwise use the real database.
DEMO_FIXTURES = {"wenyan_demo", "users", "client_for", "demo_for_module"}
DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or names & DATABASE_FIXTURES:
            continue
        if names & DEMO_FIXTURES:
            item.add_marker(pytest.mark.django_db)


def pytest_configure(config: pytest.Config) -> None:
    # In CI a test that needs a service must fail when the service is missing, never skip.
    os.environ.setdefault("JIEDAO_TESTING", "1")


@pytest.fixture(autouse=True)
def _fresh_state() -> Any:
    forget_process_caches()
    yield
    forget_process_caches()


@pytest.fixture
def users(wenyan_demo: Any) -> dict[str, Any]:  # noqa: F811 - the fixture imported above
    """role → the demo user with that role: the first one made where the demo has two (zhifa,
    not the legal reviewer fazhi)."""
    from jiedao.accounts.models import User

    related = User.objects.select_related("grid", "community", "department", "subdistrict")
    found: dict[str, Any] = {}
    for user in related.order_by("pk"):
        found.setdefault(user.role, user)
    return found


@pytest.fixture
def client_for(users: dict[str, Any]) -> Any:
    """client_for("grid_worker") → a Django test client signed in as that demo user."""

    def make(role: str) -> Client:
        client = Client()
        client.force_login(users[role])
        return client

    return make


@pytest.fixture
def demo_password() -> str:
    return wenyan.DEMO_PASSWORD


@pytest.fixture
def english(settings: Any) -> Any:
    """Requests and messages in English, for tests that assert the exact English msgids (the UI
    defaults to Chinese). Use with ``pytestmark = pytest.mark.usefixtures("english")``."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
