"""GET and POST /api/calendar/{year} across roles."""

import json

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from jiedao.audit.models import AuditEntry
from jiedao.core.models import WorkCalendarDay, WorkCalendarYear
from tests.roles import STAFF_ROLES

pytestmark = pytest.mark.django_db

# Test data, not the official 2027 schedule.
SCHEDULE_2027 = {
    "note": "测试",
    "days": [
        {"date": "2027-01-01", "is_workday": False, "name": "元旦"},
        {"date": "2027-02-20", "is_workday": True, "name": "调休上班"},
    ],
}


def post_json(client: Client, url: str, body: object, **headers: str):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def calendar_state() -> tuple[list[tuple[int, str]], int, int]:
    return (
        list(WorkCalendarYear.objects.order_by("year").values_list("year", "source")),
        WorkCalendarDay.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_read_a_known_year(client_for, role):
    response = client_for(role).get("/api/calendar/2023")
    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["known"], body["source"], body["warning"]) == (
        2023,
        True,
        "chinese_calendar",
        None,
    )
    assert [day for day in body["days"] if day["date"] >= "2023-09-29"][:3] == [
        {"date": "2023-09-29", "is_workday": False, "name": "中秋节"},
        {"date": "2023-10-02", "is_workday": False, "name": "国庆节"},
        {"date": "2023-10-03", "is_workday": False, "name": "国庆节"},
    ]
    assert len(body["days"]) == 25


def test_an_unknown_year_answers_with_a_warning(client_for):
    response = client_for("dispatcher").get("/api/calendar/2027", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert response.json() == {
        "year": 2027,
        "known": False,
        "source": None,
        "published_at": None,
        "note": "",
        "warning": "2027 年的法定节假日尚未录入，已按周一至周五计算",
        "days": [],
    }


def test_residents_may_not_read_the_calendar(client_for):
    response = client_for("resident").get("/api/calendar/2023")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_anonymous_requests_are_refused():
    assert Client().get("/api/calendar/2023").status_code == 401
    before = calendar_state()
    assert post_json(Client(), "/api/calendar/2027", SCHEDULE_2027).status_code == 401
    assert calendar_state() == before


def test_administrator_publishes_a_year(client_for, users):
    response = post_json(client_for("administrator"), "/api/calendar/2027", SCHEDULE_2027)
    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["known"], body["source"], body["note"], body["warning"]) == (
        2027,
        True,
        "administrator",
        "测试",
        None,
    )
    assert body["days"] == SCHEDULE_2027["days"]
    entry = AuditEntry.objects.get(action="core.calendar_year.publish")
    assert entry.actor == users["administrator"]
    # and the year reads back the same
    assert client_for("dispatcher").get("/api/calendar/2027").json() == body


@pytest.mark.parametrize("role", ["resident", *[r for r in STAFF_ROLES if r != "administrator"]])
def test_other_roles_may_not_publish_and_nothing_changes(client_for, role):
    before = calendar_state()
    response = post_json(client_for(role), "/api/calendar/2027", SCHEDULE_2027)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert calendar_state() == before


def test_a_bad_schedule_answers_422_naming_the_day_and_stores_nothing(client_for):
    before = calendar_state()
    body = {
        "days": [
            {"date": "2027-01-01", "is_workday": False, "name": "元旦"},
            {"date": "2028-01-03", "is_workday": False, "name": "元旦"},
        ]
    }
    response = post_json(
        client_for("administrator"), "/api/calendar/2027", body, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 422
    with translation.override("zh-hans"):
        message = gettext("%(where)s: %(date)s is not in %(year)s.") % {
            "where": "days[1]",
            "date": "2028-01-03",
            "year": 2027,
        }
    assert message != "days[1]: 2028-01-03 is not in 2027."  # translated
    assert response.json()["error"] == {
        "code": "outside_year",
        "message": message,
        "field": "days[1].date",
        "extra": {},
    }
    assert calendar_state() == before


def test_a_malformed_body_answers_422_and_stores_nothing(client_for):
    before = calendar_state()
    body = {"days": [{"date": "2027-13-01", "is_workday": False, "name": "元旦"}]}
    response = post_json(client_for("administrator"), "/api/calendar/2027", body)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "days.0.date"
    assert calendar_state() == before


def test_the_calendar_is_in_the_openapi_document(client_for):
    paths = client_for("dispatcher").get("/api/openapi.json").json()["paths"]
    assert set(paths["/api/calendar/{year}"]) == {"get", "post"}
