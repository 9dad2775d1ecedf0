"""Errors a resident can act on: every problem of the report form at once, beside its field and
named by the form's own label (Chinese, or English), the photos chosen kept across a refused
submission and sent once, and the reopen form asking for what it lacks in its own words."""

import re
from typing import Any

import pytest
from django.test import Client

from jiedao.events.held import held_purge
from jiedao.events.models import Event, EventPhoto, EventStep
from jiedao.portal.models import PublicReport
from tests.portal.conftest import close_through_services, png
from tests.portal.test_portal import follow_url, report_form, submit

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="held_photos" value="([^"]+)" checked')


@pytest.fixture(autouse=True)
def _no_held_photos() -> Any:
    held_purge(older_than=-1)  # the test storage lives as long as the process
    yield
    held_purge(older_than=-1)


def errors_after(page: str, input_id: str) -> list[str]:
    """The messages that follow the input ``input_id`` within its field."""
    match = re.search(rf'id="{input_id}".*?</(?:div|fieldset)>', page, re.DOTALL)
    assert match, input_id
    return re.findall(r'<p class="field-error"[^>]*>([^<]+)</p>', match.group(0))


def test_every_problem_of_a_report_is_shown_beside_its_field_by_the_forms_label(users):
    client = Client()

    response = submit(client, category="", description="", reporter_phone="call me")

    page = response.content.decode()
    assert response.status_code == 422
    assert errors_after(page, "id_category") == ["请选择事件类别。"]
    assert errors_after(page, "id_description") == ["问题描述 为必填项。"]
    assert errors_after(page, "id_reporter_phone") == ["您的电话（选填）：“call me”不是电话号码。"]
    assert (Event.objects.count(), EventStep.objects.count(), PublicReport.objects.count()) == (
        0,
        0,
        0,
    )


def test_the_report_form_speaks_english(users):
    client = Client()
    client.cookies["django_language"] = "en"

    response = submit(client, description="")

    assert response.status_code == 422
    assert errors_after(response.content.decode(), "id_description") == [
        "Describe the problem is required."
    ]


def test_a_missing_location_is_said_beside_the_map(users):
    response = submit(Client(), lat=None, lng=None)

    page = response.content.decode()
    assert response.status_code == 422
    assert errors_after(page, "id_lng") == ["问题在哪里？请在地图上放置标记（或填写纬度和经度）。"]


def test_photos_chosen_survive_a_refused_report_and_are_sent_once(users):
    client = Client()
    form = report_form(client, description="")

    refused = client.post("/public/report/", {**form, "photos": png(name="pothole.png")})

    page = refused.content.decode()
    assert refused.status_code == 422
    assert (Event.objects.count(), EventPhoto.objects.count()) == (0, 0)
    [token] = TOKEN.findall(page)
    assert 'alt="pothole.png"' in page
    corrected = client.post(
        "/public/report/", {**form, "description": "垃圾堆积", "held_photos": [token]}
    )

    follow_url(corrected)
    event = Event.objects.get()
    assert list(event.photos.values_list("stage", flat=True)) == ["before"]


def test_a_held_photo_needs_the_form_that_held_it(users):
    client = Client()
    form = report_form(client, description="")
    refused = client.post("/public/report/", {**form, "photos": png(name="pothole.png")})
    [token] = TOKEN.findall(refused.content.decode())

    other = Client()
    follow_url(
        other.post(
            "/public/report/",
            {**report_form(other), "held_photos": [token]},
        )
    )

    assert EventPhoto.objects.count() == 0


def test_reopening_without_a_reason_asks_for_it_beside_the_field(users):
    client = Client()
    url = follow_url(submit(client))
    event = close_through_services(Event.objects.get(), users)

    response = client.post(url + "reopen/", {"reason": "  "})

    event.refresh_from_db()
    assert response.status_code == 422
    assert errors_after(response.content.decode(), "id_reason") == ["请说明还有什么问题。"]
    assert (event.status, event.reopen_count) == ("closed", 0)


def test_rating_without_a_choice_names_the_question(users):
    client = Client()
    url = follow_url(submit(client))
    event = close_through_services(Event.objects.get(), users)

    response = client.post(url + "rate/", {"comment": "还行"})

    event.refresh_from_db()
    assert response.status_code == 422
    assert "请选择您的满意程度。" in response.content.decode()
    assert event.satisfaction is None


def test_the_portal_holds_no_more_photos_than_a_report_may_carry(users):
    client = Client()
    form = report_form(client, description="")

    refused = client.post(
        "/public/report/",
        {**form, "photos": [png(name=f"p{n}.png") for n in range(5)]},
    )

    assert refused.status_code == 422
    assert len(TOKEN.findall(refused.content.decode())) == 3
