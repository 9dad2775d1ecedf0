"""One behaviour whichever door the user came through: the to-do page and ``/api/events/inbox``
list the same events in the same order (the most urgent first) with the same tab counts, the detail page and the API's detail show the same
timeline and actions (built by one selector, in a constant number of statements), and a photo
answers the same at the page's address and the API's.

The demo's open work of the last days (through the services, something in every inbox, in every
open state) is made ONCE for this module inside the module's rolled-back transaction; the 2022
history is left out, as none of these doors lists closed events by default."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jiedao.accounts.permissions import SYSTEM
from jiedao.events import selectors, services
from jiedao.events.demo import demo_events_load
from jiedao.events.models import Event
from jiedao.events.workflow import OPEN_STATES, WAITING_ACTIONS
from jiedao.geo.models import Subdistrict

from .conftest import OTHER_GRID, act, png, report

STAFF_ROLES = [
    "grid_worker",
    "grid_lead",
    "dispatcher",
    "department_handler",
    "enforcement_officer",
    "supervisor",
    "administrator",
]
ROW = re.compile(r'<li class="event-row [^"]*" id="event-(WY[^"]+)"')
TAB = re.compile(r'id="tab-([a-z_]+)"[^>]*>[^<]*<span class="count">(\d+)</span>')
# The roles of the workflow's main line; the others have no to-do list (their /events/ is the
# list of their scope).
WITH_TO_DO = {"grid_worker", "dispatcher", "department_handler", "enforcement_officer"}
MORE = re.compile(r'hx-get="/events/\?([^"]*)"')


def signed_in(user: Any) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def page_numbers(browser: Client, query: dict[str, str]) -> list[str]:
    """Every event number of the inbox page, following its "More" button to the end."""
    first = browser.get("/events/", query)
    assert first.status_code == 200
    content = first.content.decode()
    numbers = ROW.findall(content)
    more = MORE.search(content)
    while more:
        response = browser.get(
            f"/events/?{more.group(1).replace('&amp;', '&')}", headers={"HX-Request": "true"}
        )
        content = response.content.decode()
        numbers += ROW.findall(content)
        more = MORE.search(content)
    return numbers


def api_numbers(browser: Client, query: dict[str, str]) -> list[str]:
    """Every event number of ``/api/events/inbox``, following its ``next_cursor``."""
    numbers: list[str] = []
    cursor = ""
    while True:
        response = browser.get("/api/events/inbox", {**query, "limit": "500", "cursor": cursor})
        assert response.status_code == 200
        body = response.json()
        numbers += [item["number"] for item in body["items"]]
        assert response.headers.get("X-Next-Cursor", "") == (body["next_cursor"] or "")
        cursor = body["next_cursor"] or ""
        if not cursor:
            return numbers


def urgency_key(event: Event) -> tuple[int, Any, int]:
    """The to-do order worked out in Python: the deadline running in the event's status, the
    earliest first, then the events without one by their report time."""
    due = None
    if event.status == "reported":
        due = event.accept_due_at
    elif event.status in ("accepted", "dispatched", "handling"):
        due = event.handle_due_at
    return (0, due, event.pk) if due is not None else (1, event.created_at, event.pk)


def waiting_by_the_table(user: Any) -> list[str]:
    """The inbox worked out in Python, event by event, from the actions the detail offers: an
    oracle independent of the inbox's database query."""
    events = selectors.event_queryset(user=user).filter(status__in=OPEN_STATES)
    waiting = [
        event
        for event in events
        if any(
            allowed.action in WAITING_ACTIONS
            for allowed in selectors.event_allowed_actions(event=event, user=user)
        )
    ]
    return [event.number for event in sorted(waiting, key=urgency_key)]


@pytest.fixture(scope="module")
def recent_events(demo_for_module: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        subdistrict = Subdistrict.objects.get(code="330109012")
        return demo_events_load(subdistrict=subdistrict, history=False)


@pytest.fixture
def loaded(recent_events: dict[str, int], db: Any) -> dict[str, int]:
    return recent_events


# --- The inbox ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_inbox_page_and_api_list_the_same_events_in_the_same_order(loaded, users, role):
    user = users[role]
    browser = signed_in(user)

    from_api = api_numbers(browser, {})

    assert from_api == waiting_by_the_table(user)
    if role not in WITH_TO_DO:
        assert from_api == []
        assert browser.get("/events/")["Location"] == "/events/all/"
        return
    # The demo leaves work waiting for the dispatcher, the departments and the grid worker.
    assert from_api
    assert page_numbers(browser, {}) == from_api


@pytest.mark.parametrize("role", sorted(WITH_TO_DO))
def test_the_to_do_page_and_the_api_count_the_same_tabs(loaded, users, role):
    browser = signed_in(users[role])

    on_page = TAB.findall(browser.get("/events/").content.decode())
    answer = browser.get("/api/events/inbox", {"limit": "1"}).json()

    assert on_page == [("all", str(answer["total"]))] + [
        (tab["key"], str(tab["count"])) for tab in answer["tabs"]
    ]
    assert answer["total"] == len(api_numbers(browser, {}))
    for tab in answer["tabs"]:
        assert len(api_numbers(browser, {"tab": tab["key"]})) == tab["count"]
        assert page_numbers(browser, {"tab": tab["key"]}) == api_numbers(
            browser, {"tab": tab["key"]}
        )


@pytest.mark.parametrize(
    ("role", "query"),
    [
        ("dispatcher", {"status": "reported"}),
        ("dispatcher", {"status": "accepted", "warning": "none"}),
        ("department_handler", {"status": "dispatched"}),
        ("grid_worker", {"category": "E01"}),
    ],
)
def test_inbox_page_and_api_apply_the_same_filters(loaded, users, role, query):
    user = users[role]
    browser = signed_in(user)

    on_page = page_numbers(browser, query)
    from_api = api_numbers(browser, query)

    assert on_page == from_api
    assert on_page
    assert set(on_page) <= set(page_numbers(browser, {}))
    listed = Event.objects.filter(number__in=on_page)
    if "status" in query:
        assert set(listed.values_list("status", flat=True)) == {query["status"]}
    else:
        assert set(listed.values_list("category__parent__code", flat=True)) == {"E01"}


# --- The detail -----------------------------------------------------------------------------


def page_detail(browser: Client, number: str) -> tuple[list[str], list[list[str]], list[str]]:
    """(step actions, photo ids of each step, allowed actions) as the detail page shows them."""
    content = browser.get(f"/events/{number}/").content.decode()
    timeline = content.split('<ol class="timeline"')[1].split("</ol>")[0]
    steps = timeline.split('<li class="timeline-step step-')[1:]
    actions = re.findall(rf'action="/events/{re.escape(number)}/actions/([a-z_]+)/"', content)
    return (
        [step.split('"')[0] for step in steps],
        [
            sorted(set(re.findall(rf"/events/{re.escape(number)}/photos/(\d+)/", step)))
            for step in steps
        ],
        list(dict.fromkeys(actions)),
    )


def api_detail(browser: Client, number: str) -> tuple[list[str], list[list[str]], list[str]]:
    body = browser.get(f"/api/events/{number}").json()
    return (
        [step["action"] for step in body["timeline"]],
        [sorted(str(pk) for pk in step["photo_ids"]) for step in body["timeline"]],
        [item["action"] for item in body["allowed_actions"]],
    )


@pytest.mark.parametrize("role", ["dispatcher", "department_handler", "grid_worker", "supervisor"])
@pytest.mark.parametrize("status", ["reported", "dispatched", "handling", "reported_back"])
def test_detail_page_and_api_show_the_same_timeline_and_actions(loaded, users, role, status):
    user = users[role]
    browser = signed_in(user)
    event = selectors.event_queryset(user=user).filter(status=status).order_by("id").first()
    if event is None:
        event = selectors.event_queryset(user=SYSTEM).filter(status=status).order_by("id")[0]
        assert browser.get(f"/events/{event.number}/").status_code == 404
        assert browser.get(f"/api/events/{event.number}").status_code == 404
        return

    on_page = page_detail(browser, event.number)
    from_api = api_detail(browser, event.number)

    assert on_page == from_api
    assert on_page[0][0] == "report"
    expected = selectors.event_allowed_actions(event=event, user=user)
    assert from_api[2] == [allowed.action for allowed in expected]


def test_a_photographed_timeline_is_the_same_at_both_doors(users):
    event = report(users["grid_worker"], photos=[png()])
    act(event, "accept")
    act(event, "dispatch", department="city-management")
    services.event_photo_add(event=event, actor=SYSTEM, photos=[png("a.png"), png("b.png")])
    browser = signed_in(users["dispatcher"])

    on_page = page_detail(browser, event.number)
    from_api = api_detail(browser, event.number)

    assert on_page == from_api
    assert on_page[0] == ["report", "accept", "dispatch", "add_photo"]
    assert [len(ids) for ids in on_page[1]] == [1, 0, 0, 2]


STEP_ACTOR = re.compile(
    r'<span class="step-actor">(.*?)</span>(?: · <span class="step-unit">(.*?)</span>)?</p>'
)
# Each step names who acted and their own unit, whatever department is responsible for the event.
DISPATCHED_TIMELINE = [
    ("report", "王网格", "三江社区第1网格"),
    ("accept", "陈指挥", "基层治理综合信息指挥室"),
    ("dispatch", "陈指挥", "基层治理综合信息指挥室"),
    ("start_handling", "赵城管", "城市综合管理队"),
    ("add_photo", "系统", ""),
]


def dispatched_and_photographed_by_the_system(users: dict[str, Any]) -> Event:
    event = report(users["grid_worker"])
    act(event, "accept", users["dispatcher"])
    act(event, "dispatch", users["dispatcher"], department="city-management")
    act(event, "start_handling", users["department_handler"])
    services.event_photo_add(event=event, actor=SYSTEM, photos=[png()])
    return event


def test_the_timeline_page_names_each_actor_with_their_own_unit(users):
    event = dispatched_and_photographed_by_the_system(users)
    content = signed_in(users["supervisor"]).get(f"/events/{event.number}/").content.decode()
    timeline = content.split('<ol class="timeline"')[1].split("</ol>")[0]
    actions = [step.split('"')[0] for step in timeline.split('<li class="timeline-step step-')[1:]]

    named = [
        (action, *found)
        for action, found in zip(actions, STEP_ACTOR.findall(timeline), strict=True)
    ]

    assert named == DISPATCHED_TIMELINE


def test_the_timeline_api_names_each_actor_with_their_own_unit(users):
    event = dispatched_and_photographed_by_the_system(users)
    body = signed_in(users["supervisor"]).get(f"/api/events/{event.number}").json()

    named = [(step["action"], step["actor"], step["actor_unit"]) for step in body["timeline"]]

    assert named == DISPATCHED_TIMELINE


def test_the_system_is_named_system_in_english(users):
    event = dispatched_and_photographed_by_the_system(users)
    browser = signed_in(users["supervisor"])

    body = browser.get(f"/api/events/{event.number}", HTTP_ACCEPT_LANGUAGE="en").json()

    assert (body["timeline"][-1]["actor"], body["timeline"][-1]["actor_unit"]) == ("System", "")


def events_with_one_and_many_steps(users: dict[str, Any]) -> tuple[Event, Event]:
    """Two reported events: one with its report step only, one with six more photo steps."""
    one = report(users["grid_worker"])
    many = report(users["grid_worker"], photos=[png()])
    for index in range(6):
        services.event_photo_add(
            event=many, actor=SYSTEM, photos=[png(f"{index}a.png"), png(f"{index}b.png")]
        )
    return one, many


def statements(user: Any, event: Event) -> int:
    event = selectors.event_get(user=user, number=event.number)
    with CaptureQueriesContext(connection) as captured:
        selectors.event_detail(user=user, event=event)
    return len(captured.captured_queries)


@pytest.mark.parametrize(("role", "expected"), [("dispatcher", 6), ("grid_worker", 6)])
def test_the_detail_runs_as_many_statements_for_one_step_as_for_many(users, role, expected):
    one, many = events_with_one_and_many_steps(users)
    assert (one.steps.count(), many.steps.count(), many.photos.count()) == (1, 7, 13)

    assert (statements(users[role], one), statements(users[role], many)) == (expected, expected)


@pytest.mark.parametrize("url", ["/events/{number}/", "/api/events/{number}"])
def test_the_detail_doors_run_as_many_statements_for_one_step_as_for_many(users, url):
    one, many = events_with_one_and_many_steps(users)
    browser = signed_in(users["dispatcher"])
    browser.get(url.format(number=one.number))  # the session and caches warm

    with CaptureQueriesContext(connection) as for_one:
        assert browser.get(url.format(number=one.number)).status_code == 200
    with CaptureQueriesContext(connection) as for_many:
        assert browser.get(url.format(number=many.number)).status_code == 200

    assert len(for_many.captured_queries) == len(for_one.captured_queries)


# --- Photos ---------------------------------------------------------------------------------

PHOTO_DOORS = ["/events/{number}/photos/{photo}/", "/api/events/{number}/photos/{photo}"]


@pytest.mark.parametrize("door", PHOTO_DOORS)
@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("grid_worker", True),
        ("dispatcher", True),
        ("department_handler", False),
        ("resident", False),
    ],
)
def test_each_photo_door_answers_the_same(users, door, role, sees):
    event = report(users["grid_worker"], grid=OTHER_GRID, photos=[png()])
    photo = event.photos.get()

    response = signed_in(users[role]).get(door.format(number=event.number, photo=photo.pk))

    if not sees:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert response.content == photo.file.open("rb").read()
    assert (
        response["Content-Type"],
        response["Cache-Control"],
        response["X-Content-Type-Options"],
    ) == ("image/png", "private, no-store", "nosniff")


def test_a_photo_of_another_event_is_not_found_at_either_door(users):
    event = report(users["grid_worker"], photos=[png()])
    other = report(users["grid_worker"])
    photo = event.photos.get()
    browser = signed_in(users["dispatcher"])

    answers = [
        browser.get(door.format(number=other.number, photo=photo.pk)).status_code
        for door in PHOTO_DOORS
    ]

    assert answers == [404, 404]
