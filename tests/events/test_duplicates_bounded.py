"""Duplicate candidates are bounded: with a thousand open events of one category on one spot, a
report lists the nearest five, counts the rest, links to them, and costs a constant number of
statements whatever the crowd (issue 17, item 1)."""

import json
from datetime import timedelta
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiedao.events import selectors
from jiedao.events.duplicates import find_candidates
from jiedao.events.models import Event

from .conftest import HOME_GRID, point_in, report

METRES_PER_DEGREE_LAT = 111_195.0


def number(n: int) -> str:
    return f"DUP20260101-{n:05d}"


def crowd(primary: Event, count: int, *, first: int = 1) -> list[Event]:
    """``count`` copies of ``primary``, the n-th n × 4 cm north of it (all within 50 m)."""
    copies = []
    for n in range(first, first + count):
        copy = Event.objects.get(pk=primary.pk)
        copy.pk = None
        copy.number = number(n)
        copy.lat = primary.lat + n * 0.04 / METRES_PER_DEGREE_LAT
        copy.client_key = ""
        copies.append(copy)
    return Event.objects.bulk_create(copies)


def post_report(client: Client) -> Any:
    lat, lng = point_in(HOME_GRID)
    body = {"category": "E0101", "description": "垃圾桶满溢", "lat": lat, "lng": lng}
    return client.post("/api/events/", json.dumps(body), content_type="application/json")


def test_a_report_among_a_thousand_lists_the_nearest_five_and_counts_the_rest(
    users: Any, client_for: Any
) -> None:
    primary = report()
    crowd(primary, 1000)
    today = timezone.localdate()

    response = post_report(client_for("dispatcher"))

    assert response.status_code == 201
    body = response.json()
    assert [c["event"]["number"] for c in body["duplicate_candidates"]] == [
        primary.number,
        number(1),
        number(2),
        number(3),
        number(4),
    ]
    assert [c["distance_metres"] for c in body["duplicate_candidates"]] == [
        0.0,
        0.0,
        0.1,
        0.1,
        0.2,
    ]
    assert body["duplicate_candidates_more"] == 996
    assert body["duplicate_candidates_url"] == (
        f"/events/?status=open&category=E0101&grid={HOME_GRID}"
        f"&from={today - timedelta(days=3)}&until={today + timedelta(days=3)}"
    )


def test_the_statements_of_one_search_do_not_grow_with_the_crowd(users: Any) -> None:
    primary = report()
    lat, lng = primary.lat, primary.lng

    def statements() -> int:
        with CaptureQueriesContext(connection) as queries:
            found = find_candidates(
                lambda: Event.objects.all(),
                category_id=primary.category_id,
                lat=lat,
                lng=lng,
                reported_at=timezone.now(),
            )
            assert len(found) == min(found.total, 5)
        return len(queries)

    crowd(primary, 10)
    with_eleven = statements()
    crowd(primary, 990, first=11)
    with_a_thousand_and_one = statements()

    assert (with_eleven, with_a_thousand_and_one) == (3, 3)


def test_a_few_candidates_need_no_count_and_more_is_zero(users: Any) -> None:
    primary = report()
    crowd(primary, 3)
    lat, lng = primary.lat, primary.lng

    with CaptureQueriesContext(connection) as queries:
        found = find_candidates(
            lambda: Event.objects.all(),
            category_id=primary.category_id,
            lat=lat,
            lng=lng,
            reported_at=timezone.now(),
        )

    assert (len(found), found.total, found.more, len(queries)) == (4, 4, 0, 2)


def test_the_duplicates_endpoint_is_bounded_too(users: Any, client_for: Any) -> None:
    primary = report()
    crowd(primary, 20)

    body = client_for("dispatcher").get(f"/api/events/{primary.number}/duplicates").json()

    assert [c["event"]["number"] for c in body["items"]] == [number(n) for n in range(1, 6)]
    assert body["more"] == 15
    assert body["see_all_url"].startswith(f"/events/?status=open&category=E0101&grid={HOME_GRID}")


def test_the_event_page_and_the_form_partial_list_five_and_link_the_rest(
    users: Any, client_for: Any
) -> None:
    primary = report()
    crowd(primary, 20)
    dispatcher = client_for("dispatcher")
    lat, lng = point_in(HOME_GRID)

    page = dispatcher.get(f"/events/{primary.number}/").content.decode()
    partial = dispatcher.get(
        "/events/report/duplicates/", {"category": "E0101", "lat": lat, "lng": lng}
    ).content.decode()

    assert page.count('href="/events/DUP20260101-') == 5
    assert "另有 15 件，查看全部" in page
    assert (
        partial.count('href="/events/DUP20260101-')
        + partial.count(f'href="/events/{primary.number}/"')
        == 5
    )
    assert "另有 16 件，查看全部" in partial
    assert 'href="/events/?status=open&amp;category=E0101&amp;from=' in partial


def test_a_resident_counts_only_their_own_among_the_crowd(users: Any) -> None:
    crowd(report(), 30)
    own = report(users["resident"])
    draft = Event(category=own.category, lat=own.lat, lng=own.lng, created_at=timezone.now())

    found = selectors.event_duplicate_candidates(user=users["resident"], event=draft)

    assert ([c.event.number for c in found], found.total) == ([own.number], 1)
