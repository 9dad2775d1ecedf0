"""What residents see of their own reports and of the public list: the default list (open, last
90 days) and its filters, one moderation rule for every source, dates named by what they are,
the three-word rating, the after-photos of one's own report, and a constant number of
statements on the public list."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.errors import InvalidInput
from jiedao.events.models import Event, EventPhoto
from jiedao.events.selectors import EventFilters
from jiedao.events.services import event_report
from jiedao.events.workflow import PhotoStage, Source
from jiedao.portal import selectors, selectors_moderation
from jiedao.portal.actors import PORTAL
from jiedao.portal.models import PublicReport, PublicVisibility
from jiedao.portal.rating import Rating, rating_word
from jiedao.portal.services import (
    event_visibility_set,
    public_report_rate,
    public_report_submit,
)
from tests.images import PNG
from tests.portal.conftest import act, close_through_services, png, point_in

DESCRIPTION = "路灯不亮"


def reported(
    source: str = Source.RESIDENT, *, days_ago: float = 0, category: str = "E0101"
) -> Event:
    """An event of ``source`` through the intake, back-dated by ``days_ago`` (only the system
    may back-date)."""
    lat, lng = point_in()
    at = timezone.now() - timedelta(days=days_ago) if days_ago else None
    return event_report(
        actor=SYSTEM,
        category=category,
        description=f"{DESCRIPTION} {source}",
        lat=lat,
        lng=lng,
        source=source,
        at=at,
    ).event


def submitted() -> tuple[Event, str]:
    """A resident's report through the portal's service, and its follow code."""
    lat, lng = point_in()
    submission = public_report_submit(
        door=PORTAL,
        channel=PublicReport.Channel.PORTAL,
        category="E0101",
        description="楼道灯坏了",
        lat=lat,
        lng=lng,
    )
    return submission.event, submission.code


def holder_client(event: Event, code: str) -> Client:
    """A browser that looked the report up with its code (the code then lives in its session)."""
    client = Client()
    response = client.post("/public/follow/", {"number": event.number, "code": code})
    assert response.status_code == 302
    return client


def numbers_in(page: str) -> list[str]:
    return re.findall(r'<span class="event-number">([^<]+)</span>', page)


# --- The public list: open reports of the last 90 days by default ---------------------------


def test_the_public_list_shows_open_reports_of_the_last_90_days_by_default(users: Any) -> None:
    recent_open = reported(days_ago=3)
    old_open = reported(days_ago=120)
    recent_closed = close_through_services(reported(days_ago=2), users)
    cache.clear()
    client = Client()

    default = client.get("/public/events/").content.decode()
    assert numbers_in(default) == [recent_open.number]
    assert '<option value="90" selected>近90天的报告</option>' in default
    assert '<option value="open" selected>正在处理</option>' in default

    widened = client.get("/public/events/?status=all&period=all").content.decode()
    assert numbers_in(widened) == [recent_closed.number, recent_open.number, old_open.number]
    year = client.get("/public/events/?status=open&period=365").content.decode()
    assert numbers_in(year) == [recent_open.number, old_open.number]
    closed = client.get("/public/events/?status=closed").content.decode()
    assert numbers_in(closed) == [recent_closed.number]
    # An unknown value falls back to the default rather than failing.
    fallback = client.get("/public/events/?status=x&period=7").content.decode()
    assert numbers_in(fallback) == [recent_open.number]


def test_the_map_points_follow_the_same_filters(users: Any) -> None:
    recent_open = reported(days_ago=1)
    reported(days_ago=200)
    page = Client().get("/public/events/").content.decode()
    points = re.search(r'<script id="points-data" type="application/json">(.*?)</script>', page)
    assert points is not None
    assert re.findall(r'"number": "([^"]+)"', points.group(1)) == [recent_open.number]


# --- One moderation rule for every source ------------------------------------------------------


@pytest.mark.parametrize(
    "source", [Source.GRID_PATROL, Source.HOTLINE_12345, Source.SENSOR, Source.RESIDENT]
)
def test_every_source_shown_in_public_is_in_the_moderation_queue_and_can_be_hidden(
    users: Any, client_for: Any, source: str
) -> None:
    event = reported(source)
    resident = Client()
    assert numbers_in(resident.get("/public/events/").content.decode()) == [event.number]
    dispatcher = client_for("dispatcher")

    queue = dispatcher.get(f"/public/moderation/?source={source}").content.decode()
    rows = re.findall(r'<tr id="row-([^"]+)">', queue)
    assert rows == [event.number]
    hide = dispatcher.post(
        f"/public/moderation/{event.number}/", {"hidden": "1", "reason": "含个人信息"}
    )

    assert hide.status_code == 302
    assert PublicVisibility.objects.get(event=event).is_hidden is True
    cache.clear()
    assert numbers_in(resident.get("/public/events/").content.decode()) == []
    assert resident.get(f"/open311/v2/requests/{event.number}.json").status_code == 404


def test_the_queue_and_the_public_list_hold_the_same_events(users: Any) -> None:
    events = [reported(source) for source in Source.values]
    private = reported(category="E0801")  # a private category: never public, nothing to moderate
    public = selectors.public_event_list(EventFilters(), limit=50)
    queue = selectors_moderation.moderation_queue(user=users["dispatcher"]).rows
    assert sorted(row.event.number for row in queue) == sorted(item.number for item in public)
    assert sorted(item.number for item in public) == sorted(event.number for event in events)
    assert private.number not in [row.event.number for row in queue]


def test_the_moderation_queue_names_each_events_source(users: Any, client_for: Any) -> None:
    event = reported(Source.HOTLINE_12345)
    page = client_for("dispatcher").get("/public/moderation/").content.decode()
    row = re.search(rf'<tr id="row-{event.number}">(.*?)</tr>', page, re.DOTALL)
    assert row is not None
    assert f"<td>{event.number}</td>\n    <td>12345热线转办</td>" in row.group(1)
    assert '<button class="primary" type="submit">筛选</button>' in page


# --- Dates named by what they are --------------------------------------------------------------


def test_the_follow_page_names_the_acceptance_then_the_handling_deadline(users: Any) -> None:
    event, code = submitted()
    client = holder_client(event, code)
    url = f"/public/follow/{event.number}/"

    page = client.get(url).content.decode()
    local = timezone.localtime(event.accept_due_at)
    assert '<dt class="deadline-label">受理期限</dt>' in page
    assert f">{local:%Y-%m-%d %H:%M}</time></dd>" in page
    assert "预计完成时间" not in page
    listing = Client().get(f"/open311/v2/requests/{event.number}.json").json()
    assert listing[0]["expected_datetime"] is None

    event = act(event, "accept", users["dispatcher"])
    page = client.get(url).content.decode()
    assert '<dt class="deadline-label">办理期限</dt>' in page
    handle = timezone.localtime(event.handle_due_at)
    assert f'<dd class="deadline"><time datetime="{handle.isoformat()}">' in page
    listing = Client().get(f"/open311/v2/requests/{event.number}.json").json()
    assert listing[0]["expected_datetime"] == handle.isoformat(timespec="seconds")


# --- Rating in three words ---------------------------------------------------------------------


def test_the_rating_offers_three_answers_stored_on_the_five_point_scale(users: Any) -> None:
    event, code = submitted()
    close_through_services(event, users)
    client = holder_client(event, code)
    page = client.get(f"/public/follow/{event.number}/").content.decode()
    answers = re.findall(
        r'<label class="rating-choice" for="[^"]+"><input type="radio" name="satisfaction" '
        r'value="(\d)"[^>]*> <span>([^<]+)</span></label>',
        page,
    )
    assert answers == [("5", "满意"), ("3", "基本满意"), ("1", "不满意")]

    response = client.post(f"/public/follow/{event.number}/rate/", {"satisfaction": "1"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.satisfaction == 1
    page = client.get(f"/public/follow/{event.number}/").content.decode()
    assert '<dd class="rating">不满意</dd>' in page


def test_a_point_between_the_answers_is_refused_and_nothing_changes(users: Any) -> None:
    event, code = submitted()
    close_through_services(event, users)
    steps = event.steps.count()
    with pytest.raises(InvalidInput) as error:
        public_report_rate(number=event.number, code=code, satisfaction=4)
    assert str(error.value.message) == "请选择您的满意程度：满意 / 基本满意 / 不满意。"
    assert error.value.field == "satisfaction"
    event.refresh_from_db()
    assert (event.satisfaction, event.steps.count()) == (None, steps)
    client = holder_client(event, code)
    response = client.post(f"/public/follow/{event.number}/rate/", {"satisfaction": ""})
    assert response.status_code == 422
    assert '<p class="field-error">请选择您的满意程度。</p>' in response.content.decode()


def test_each_stored_satisfaction_has_its_word() -> None:
    assert [rating_word(value) for value in (None, 1, 2, 3, 4, 5)] == [
        "",
        "不满意",
        "不满意",
        "基本满意",
        "满意",
        "满意",
    ]
    assert Rating.values == [5, 3, 1]


# --- The after-photo of one's own report --------------------------------------------------------


def handled_with_photo(users: Any) -> tuple[Event, str, EventPhoto]:
    event, code = submitted()
    event = act(event, "accept", users["dispatcher"])
    department = users["department_handler"].department
    event = act(event, "dispatch", users["dispatcher"], department=department)
    event = act(event, "start_handling", users["department_handler"])
    event = act(
        event,
        "report_back",
        users["department_handler"],
        note="已修复",
        photos=[png("after.png")],
    )
    photo = event.photos.get(stage=PhotoStage.AFTER)
    return event, code, photo


def test_the_holder_of_the_code_sees_the_after_photo(users: Any) -> None:
    event, code, photo = handled_with_photo(users)
    client = holder_client(event, code)
    url = f"/public/follow/{event.number}/photos/{photo.pk}/"

    page = client.get(f"/public/follow/{event.number}/").content.decode()
    assert f'<img src="{url}" alt="处置后照片" loading="lazy">' in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == PNG


def test_without_the_code_or_with_another_reports_code_the_photo_is_not_found(
    users: Any,
) -> None:
    event, _code, photo = handled_with_photo(users)
    url = f"/public/follow/{event.number}/photos/{photo.pk}/"
    other, other_code = submitted()

    anonymous = Client().get(url)
    assert anonymous.status_code == 404
    assert PNG not in anonymous.content
    # The other report's holder asks for this photo under their own number, and under this one.
    stranger = holder_client(other, other_code)
    assert stranger.get(f"/public/follow/{other.number}/photos/{photo.pk}/").status_code == 404
    assert stranger.get(url).status_code == 404
    # A staff member's sign-in is not a follow code either.
    staff = Client()
    staff.force_login(users["dispatcher"])
    assert staff.get(url).status_code == 404


def test_a_before_photo_is_not_served_to_the_holder(users: Any) -> None:
    lat, lng = point_in()
    submission = public_report_submit(
        door=PORTAL,
        channel=PublicReport.Channel.PORTAL,
        category="E0101",
        description="楼道灯坏了",
        lat=lat,
        lng=lng,
        photos=[png("before.png")],
    )
    before = submission.event.photos.get()
    assert before.stage == PhotoStage.BEFORE
    client = holder_client(submission.event, submission.code)
    url = f"/public/follow/{submission.event.number}/photos/{before.pk}/"
    assert client.get(url).status_code == 404


# --- Constant statements on the public list ------------------------------------------------------


def test_the_public_list_runs_the_same_statements_whatever_the_number_of_events(
    users: Any,
) -> None:
    # Events without a public note: their prefetched notes are an empty list, which must not be
    # read as "not prefetched" (that cost one statement per event).
    for _ in range(2):
        reported()

    def statements() -> int:
        with CaptureQueriesContext(connection) as captured:
            listing = selectors.public_event_page(EventFilters(), size=20)
        assert all(item.status_note == "" for item in listing.items)
        return len(captured.captured_queries)

    few = statements()
    for _ in range(4):
        reported()
    assert few == 1
    assert statements() == 1


def test_the_moderation_queue_runs_the_same_statements_whatever_the_number_of_events(
    users: Any,
) -> None:
    reported(Source.SENSOR)
    hidden = reported(Source.HOTLINE_12345)
    event_visibility_set(
        actor=users["dispatcher"], number=hidden.number, hidden=True, reason="含个人信息"
    )

    def statements() -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = selectors_moderation.moderation_queue(user=users["dispatcher"]).rows
        assert [row.is_hidden for row in rows if row.event.pk == hidden.pk] == [True]
        return len(captured.captured_queries)

    few = statements()
    for source in Source.values:
        reported(source)
    assert few == 2
    assert statements() == 2
