"""The admin shows the calendar read-only and publishes a year through the service."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext

from jiedao.audit.models import AuditEntry
from jiedao.core.models import WorkCalendarDay, WorkCalendarYear

pytestmark = pytest.mark.django_db

PUBLISH_URL = "/admin/core/workcalendaryear/publish/"


def csv_upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("2027.csv", text.encode(), content_type="text/csv")


def test_administrator_sees_years_and_a_year_with_its_exceptions(client_for):
    client = client_for("administrator")
    listing = client.get("/admin/core/workcalendaryear/")
    assert listing.status_code == 200
    assert PUBLISH_URL in listing.content.decode()
    year = WorkCalendarYear.objects.get(year=2023)
    detail = client.get(f"/admin/core/workcalendaryear/{year.pk}/change/").content.decode()
    assert "<div>2023-10-07 Sat — 调休上班</div>" in detail
    assert client.get("/admin/core/workcalendarday/?q=国庆节").status_code == 200
    # nothing can be added or edited row by row
    assert client.get("/admin/core/workcalendarday/add/").status_code == 403


def test_administrator_publishes_a_year_from_csv(client_for, users):
    response = client_for("administrator").post(
        PUBLISH_URL,
        {
            "year": "2027",
            "note": "测试",
            "file": csv_upload("date,is_workday,name\n2027-01-01,false,元旦\n"),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/core/workcalendaryear/"
    assert list(
        WorkCalendarDay.objects.filter(date__year=2027).values_list("date", "is_workday", "name")
    ) == [(date(2027, 1, 1), False, "元旦")]
    assert (
        AuditEntry.objects.get(action="core.calendar_year.publish").actor == users["administrator"]
    )


def test_a_bad_csv_is_shown_on_the_form_and_stores_nothing(client_for):
    response = client_for("administrator").post(
        PUBLISH_URL,
        {
            "year": "2027",
            "file": csv_upload("date,is_workday,name\n2027-01-02,false,元旦\n"),
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    # the page speaks the user's language
    with translation.override("zh-hans"):
        message = gettext(
            "%(where)s: %(date)s is a Saturday or Sunday, which is a day off anyway; list only "
            "holidays that fall on weekdays."
        ) % {"where": "days[0]", "date": "2027-01-02"}
    assert message.startswith("days[0]：2027-01-02 是周六或周日")
    assert f'<div class="errornote">{message}</div>' in response.content.decode()
    assert not WorkCalendarYear.objects.filter(year=2027).exists()
    assert not AuditEntry.objects.filter(action="core.calendar_year.publish").exists()


@pytest.mark.parametrize("role", ["resident", "dispatcher", "supervisor"])
def test_other_roles_cannot_reach_the_publish_page(client_for, role):
    response = client_for(role).post(
        PUBLISH_URL,
        {"year": "2027", "file": csv_upload("date,is_workday,name\n2027-01-01,false,元旦\n")},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not WorkCalendarYear.objects.filter(year=2027).exists()
