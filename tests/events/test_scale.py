"""What issue 16 asks of the intake and the lists at scale: no lock that every writer shares
(PostgreSQL), a retried report that replays its number, and lists whose statements do not grow
with the rows."""

import html
import re
import threading
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiedao.audit.services import audit_verify
from jiedao.events import services
from jiedao.events.models import Category, Event
from jiedao.events.workflow import Source, Status
from jiedao.geo.models import Department, Grid
from jiedao.open311.services import api_key_issue

from .conftest import HOME_GRID, act, point_in, report


def add_events(count: int) -> None:
    """``count`` events written straight to the table (what a list reads, not how they came)."""
    grid = Grid.objects.select_related("community").get(code=HOME_GRID)
    category = Category.objects.get(code="E0101")
    centre = Department.objects.get(code="command-centre")
    start = Event.objects.count()
    now = timezone.now()
    Event.objects.bulk_create(
        Event(
            number=f"BK20260101-{start + number:05d}",
            subdistrict_id=grid.community.subdistrict_id,
            source=Source.GRID_PATROL,
            category=category,
            description=f"批量 {number}",
            lat=30.12,
            lng=120.21,
            grid=grid,
            community=grid.community,
            status=Status.REPORTED if number % 2 else Status.CLOSED,
            responsible_department=centre,
            created_at=now - timedelta(minutes=start + number),
            last_action_at=now - timedelta(minutes=start + number),
        )
        for number in range(count)
    )


def statements(request: Callable[[], Any]) -> int:
    request()  # the process's copies (subdistricts, catalogue, grids) are built once
    with CaptureQueriesContext(connection) as captured:
        response = request()
    assert response.status_code == 200, response.content[:300]
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("door", "expected"),
    [
        ("open311", 1),
        ("open311 xml", 1),
        ("portal", 4),
        ("staff", 6),
        ("staff page", 13),
        ("to-do page", 14),
        ("moderation page", 8),
    ],
)
def test_lists_run_the_same_statements_for_3_and_300_events(
    users: Any, client_for: Any, door: str, expected: int
) -> None:
    dispatcher = client_for("dispatcher")
    requests = {
        "open311": lambda: Client().get("/open311/v2/requests.json", {"limit": "1000"}),
        "open311 xml": lambda: Client().get("/open311/v2/requests.xml", {"limit": "1000"}),
        "portal": lambda: Client().get("/public/events/"),
        "staff": lambda: dispatcher.get("/api/events/", {"limit": "200"}),
        "staff page": lambda: dispatcher.get("/events/all/", {"status": "all"}),
        "to-do page": lambda: dispatcher.get("/events/"),
        "moderation page": lambda: dispatcher.get("/public/moderation/"),
    }
    add_events(3)
    few = statements(requests[door])

    add_events(297)
    many = statements(requests[door])

    assert (few, many) == (expected, expected)


def older_link(page: str, name: str) -> str:
    """The address of the "Older" link of a list page, whose cursor argument is ``name``."""
    found = re.search(rf'(?:href|hx-get)="([^"]*[?&;]{name}=[^"]+)"', page)
    assert found is not None, page[-2000:]
    return html.unescape(found.group(1))


@pytest.mark.parametrize(
    ("door", "first", "cursor", "expected"),
    [
        ("portal", "/public/events/?status=all", "after", 4),
        ("staff page", "/events/all/?status=all", "cursor", 13),
    ],
)
def test_a_later_page_runs_the_statements_of_the_first_however_deep(
    users: Any, client_for: Any, door: str, first: str, cursor: str, expected: int
) -> None:
    client = Client() if door == "portal" else client_for("dispatcher")

    def second_page() -> int:
        link = older_link(client.get(first).content.decode(), cursor)
        path = link if link.startswith("/") else first.split("?")[0] + link
        return statements(lambda: client.get(path))

    add_events(43)  # more than a page of either list
    few = second_page()

    add_events(257)
    many = second_page()

    assert (few, many) == (expected, expected)


# --- PostgreSQL: nothing every writer waits for ------------------------------------------------


def in_thread(job: Callable[[], Any]) -> Callable[[], Any]:
    """Run ``job`` in a thread of its own (its own connection); the returned callable joins it
    and gives the result or raises what it raised."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = job()
        except Exception as error:  # noqa: BLE001 - raised again in the test's thread
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()

    def result() -> Any:
        thread.join(timeout=60)
        assert not thread.is_alive()
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")

    return result


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_report_waits_for_no_other_uncommitted_report(users: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections to PostgreSQL")
    # given today's first report committed (it creates the day's number sequence) and an event
    # a dispatcher will accept
    third = report(users["grid_worker"], description="第三件")
    lat, lng = point_in(HOME_GRID)
    reported, release = threading.Event(), threading.Event()

    # when one connection has reported an event and not yet committed
    def first() -> str:
        with transaction.atomic():
            number = services.event_report(
                actor=users["grid_worker"],
                category="E0101",
                description="未提交的上报",
                lat=lat,
                lng=lng,
            ).event.number
            reported.set()
            release.wait(timeout=30)
        return number

    first_result = in_thread(first)
    assert reported.wait(timeout=30)

    # then a second connection, refusing to wait for any lock more than a second, reports
    # another event and changes a third
    def second() -> tuple[str, str]:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '1s'")
        number = services.event_report(
            actor=users["resident"],
            category="E0102",
            description="另一件",
            lat=lat,
            lng=lng,
            client_key=f"second-{uuid.uuid4()}",
        ).event.number
        accepted = act(Event.objects.get(pk=third.pk), "accept", users["dispatcher"])
        return number, accepted.status

    try:
        second_number, third_status = in_thread(second)()
    finally:
        release.set()
    first_number = first_result()

    assert third_status == Status.ACCEPTED
    assert len({third.number, first_number, second_number}) == 3
    assert Event.objects.filter(number__in=[first_number, second_number]).count() == 2
    report_of = audit_verify()
    assert (report_of.is_intact, report_of.unsealed_count) == (True, 0)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_open311_retry_replays_the_first_number_even_when_both_arrive_at_once(
    users: Any,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections to PostgreSQL")
    key = api_key_issue(actor=users["administrator"], name="重试客户端").key
    lat, lng = point_in(HOME_GRID)
    form = {
        "api_key": key,
        "service_code": "E0101",
        "lat": str(lat),
        "long": str(lng),
        "description": "路灯不亮",
    }
    start = threading.Barrier(2)

    def post() -> tuple[int, str]:
        start.wait(timeout=30)
        response = Client().post(
            "/open311/v2/requests.json", form, headers={"Idempotency-Key": "retry-7"}
        )
        return response.status_code, response.json()[0]["service_request_id"]

    # when the client's first try and its retry arrive together, then once more later
    together = [in_thread(post), in_thread(post)]
    answers = sorted(result() for result in together)
    start = threading.Barrier(1)
    later = post()

    # then one event, and every answer names its number: 201 for the one that created it
    number = Event.objects.get(client_key__contains=":k:").number
    assert answers == [(200, number), (201, number)]
    assert later == (200, number)
