"""During a database outage every door answers 503 with Retry-After — JSON for the API, the
spec's error list for Open311, a short page for people — logged once per outage, not once per
request (issue 17, item 7). The outage is simulated by a selector raising what Django raises
when PostgreSQL is unreachable."""

import json
import logging
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client, RequestFactory

from jiedao.core import outage as outage_module
from jiedao.web.errors import server_error

REFUSED = OperationalError(
    'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
)


@pytest.fixture(autouse=True)
def _no_outage_left_over() -> Iterator[None]:
    outage_module.outage.started = None
    outage_module.outage.refused = 0
    yield
    outage_module.outage.started = None
    outage_module.outage.refused = 0


@pytest.fixture
def database_down() -> Iterator[None]:
    """Every list of events, on every door, fails as if PostgreSQL were unreachable."""
    with (
        mock.patch("jiedao.events.selectors.event_list", side_effect=REFUSED),
        mock.patch("jiedao.open311.views.public_event_list", side_effect=REFUSED),
    ):
        yield


def outage_records(caplog: Any) -> list[tuple[str, int, str]]:
    return [
        (record.name, record.levelno, record.getMessage())
        for record in caplog.records
        if record.name in ("jiedao.outage", "django.request")
    ]


def test_the_api_answers_503_json_with_retry_after(client_for: Any, database_down: Any) -> None:
    response = client_for("dispatcher").get("/api/events/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": {
            "code": "unavailable",
            "message": "服务暂时不可用，请 5 秒后重试。",
            "field": None,
            "extra": {"retry_after": 5},
        }
    }


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_answers_503_in_its_own_format(
    wenyan_demo: Any, database_down: Any, fmt: str
) -> None:
    response = Client().get(f"/open311/v2/requests.{fmt}")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    if fmt == "json":
        assert json.loads(response.content) == [
            {"code": 503, "description": "服务暂时不可用，请 5 秒后重试。"}
        ]
    else:
        assert b"<code>503</code>" in response.content


def test_pages_answer_a_friendly_chinese_page(client_for: Any, database_down: Any) -> None:
    response = client_for("dispatcher").get("/events/all/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "<h1>系统暂时不可用</h1>" in page
    assert "本页将在 5 秒后自动刷新" in page


def test_many_failing_requests_log_once_and_the_recovery_once(client_for: Any, caplog: Any) -> None:
    client = client_for("dispatcher")
    caplog.set_level(logging.INFO)

    with mock.patch("jiedao.events.selectors.event_list", side_effect=REFUSED):
        statuses = [client.get("/api/events/").status_code for _ in range(10)]
        statuses += [client.get("/events/all/").status_code for _ in range(5)]
    back = client.get("/api/events/")
    with mock.patch("jiedao.events.selectors.event_list", side_effect=InterfaceError("closed")):
        again = client.get("/api/events/")

    assert statuses == [503] * 15
    assert back.status_code == 200
    assert again.status_code == 503
    assert outage_records(caplog) == [
        (
            "jiedao.outage",
            logging.ERROR,
            (
                'Database unavailable (OperationalError: connection to server at "127.0.0.1", '
                "port 5432 failed: Connection refused); answering 503 until it is back."
            ),
        ),
        (
            "jiedao.outage",
            logging.WARNING,
            outage_records(caplog)[1][2],  # the duration varies; its text is checked below
        ),
        (
            "jiedao.outage",
            logging.ERROR,
            "Database unavailable (InterfaceError: closed); answering 503 until it is back.",
        ),
    ]
    assert outage_records(caplog)[1][2].endswith("s; 15 requests were answered 503.")


def test_an_error_raised_outside_a_view_gets_the_outage_answer_too(db: Any) -> None:
    request = RequestFactory().get("/api/events/")

    try:
        raise REFUSED
    except OperationalError:
        response = server_error(request)

    assert (response.status_code, response["Retry-After"]) == (503, "5")
    assert json.loads(response.content)["error"]["code"] == "unavailable"


def test_any_other_error_is_still_a_500(db: Any) -> None:
    request = RequestFactory().get("/events/")

    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)

    assert response.status_code == 500
