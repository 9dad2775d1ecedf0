"""The public list a page at a time by keyset (``?after=`` older, ``?before=`` newer), and its
status notes read in the list's one statement exactly as a single report reads them."""

import html
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from jiedao.accounts.permissions import SYSTEM
from jiedao.events.models import Event, EventStep
from jiedao.events.selectors import EventFilters
from jiedao.events.services import event_report
from jiedao.portal import selectors, selectors_moderation
from tests.portal.conftest import act, point_in

EVENTS = "/public/events/?status=all"


def reported(minutes_ago: int) -> Event:
    lat, lng = point_in()
    return event_report(
        actor=SYSTEM,
        category="E0101",
        description=f"垃圾堆积 {minutes_ago}",
        lat=lat,
        lng=lng,
        source="resident",
        at=timezone.now() - timedelta(minutes=minutes_ago),
    ).event


def numbers_in(page: str) -> list[str]:
    return re.findall(r'<span class="event-number">([^<]+)</span>', page)


def links(page: str) -> dict[str, str]:
    """The pager's links by their words (较新 newer, 较旧 older), as addresses."""
    pager = page[page.index('<nav class="pager">') :]
    pager = pager[: pager.index("</nav>")]
    return {
        words: "/public/events/" + html.unescape(href)
        for href, words in re.findall(r'<a href="([^"]+)">([^<]+)</a>', pager)
    }


def test_pages_walk_every_report_once_newest_first_and_back(users: Any) -> None:
    events = [reported(minutes_ago) for minutes_ago in range(45)]  # newest first
    numbers = [event.number for event in events]
    client = Client()

    first = client.get(EVENTS).content.decode()
    assert numbers_in(first) == numbers[:20]
    assert list(links(first)) == ["较早"]
    second = client.get(links(first)["较早"]).content.decode()
    assert numbers_in(second) == numbers[20:40]
    assert list(links(second)) == ["较新", "较早"]
    third = client.get(links(second)["较早"]).content.decode()
    assert numbers_in(third) == numbers[40:]
    assert list(links(third)) == ["较新"]

    back = client.get(links(third)["较新"]).content.decode()
    assert numbers_in(back) == numbers[20:40]
    newest = client.get(links(back)["较新"]).content.decode()
    assert numbers_in(newest) == numbers[:20]
    assert list(links(newest)) == ["较早"]


def test_a_shared_page_keeps_its_reports_when_new_ones_arrive(users: Any) -> None:
    events = [reported(minutes_ago) for minutes_ago in range(1, 26)]
    client = Client()
    older = links(client.get(EVENTS).content.decode())["较早"]

    for _ in range(3):
        reported(0)

    assert numbers_in(client.get(older).content.decode()) == [e.number for e in events[20:]]


def test_a_cursor_the_list_did_not_give_out_is_refused(users: Any) -> None:
    reported(1)
    response = Client().get(EVENTS + "&after=not-a-cursor")
    assert response.status_code == 422
    assert "这个页面的链接不完整，或不是本站生成的" in response.content.decode()


def test_a_newer_page_whose_reports_were_hidden_since_shows_the_newest(users: Any) -> None:
    events = [reported(minutes_ago) for minutes_ago in range(1, 23)]
    client = Client()
    newer = links(client.get(links(client.get(EVENTS).content.decode())["较早"]).content.decode())
    Event.objects.filter(pk__in=[event.pk for event in events[:20]]).delete()

    page = client.get(newer["较新"]).content.decode()

    assert numbers_in(page) == [event.number for event in events[20:]]


@pytest.mark.parametrize(
    ("flag", "public"),
    [(True, False), ("yes", False), (1, False), (False, True), (None, True), ("absent", True)],
)
def test_the_list_and_the_report_agree_on_the_status_note(
    users: Any, flag: Any, public: bool
) -> None:
    event = reported(5)
    event = act(event, "reject", users["dispatcher"], reason="重复报告，请联系 13812345678")
    if flag != "absent":
        step = EventStep.objects.get(event=event, action="reject")
        step.data = {**step.data, "internal": flag}
        step.save(update_fields=["data"])
    expected = "重复报告，请联系 138****5678" if public else ""

    listed = selectors.public_event_list(EventFilters(), limit=10)

    assert [(item.number, item.status_note) for item in listed] == [(event.number, expected)]
    assert selectors.public_event_get(event.number).status_note == expected


def test_the_status_note_is_the_latest_public_one(users: Any) -> None:
    event = reported(5)
    event = act(event, "accept", users["dispatcher"])
    event = act(
        event, "dispatch", users["dispatcher"], department=users["department_handler"].department
    )
    event = act(event, "start_handling", users["department_handler"])
    event = act(event, "report_back", users["department_handler"], note="第一次处理")
    event = act(event, "verify_fail", users["dispatcher"], reason="仍有垃圾")
    event = act(event, "report_back", users["department_handler"], note="第二次处理完毕")

    listed = selectors.public_event_list(EventFilters(), limit=10)

    assert [item.status_note for item in listed] == ["第二次处理完毕"]
    assert selectors.public_event_get(event.number).status_note == "第二次处理完毕"


def test_the_moderation_queue_reaches_every_event_a_page_at_a_time(
    users: Any, client_for: Any
) -> None:
    numbers = [reported(minutes_ago).number for minutes_ago in range(5)]
    dispatcher = users["dispatcher"]

    first = selectors_moderation.moderation_queue(user=dispatcher, limit=2)
    second = selectors_moderation.moderation_queue(
        user=dispatcher, cursor=first.next_cursor or "", limit=2
    )
    third = selectors_moderation.moderation_queue(
        user=dispatcher, cursor=second.next_cursor or "", limit=2
    )

    assert [[row.event.number for row in page.rows] for page in (first, second, third)] == [
        numbers[:2],
        numbers[2:4],
        numbers[4:],
    ]
    assert third.next_cursor is None
    page = client_for("dispatcher").get("/public/moderation/?source=resident").content.decode()
    assert "cursor=" not in page  # five events: one page of the default hundred
