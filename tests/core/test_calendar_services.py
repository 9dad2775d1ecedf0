"""Entering a year's official holiday schedule: all or nothing, validated, audited."""

from datetime import date
from typing import Any

import pytest

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.core.calendar_csv import parse_calendar_csv
from jiedao.core.errors import Forbidden, InvalidInput
from jiedao.core.models import WorkCalendarDay, WorkCalendarYear
from jiedao.core.services import calendar_year_publish
from jiedao.core.workcalendar import calendar_warning, is_workday
from tests.factories import user_per_role
from tests.roles import ALL_ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def users(db: Any) -> dict[str, Any]:
    """One user per role, without the demo: the tests here assert that a refused publication
    audits nothing at all, and the demo (loaded once per module) audits its own loading."""
    return user_per_role()


# Test data shaped like a State Council notice; not the official 2027 schedule.
SCHEDULE_2027 = [
    (date(2027, 2, 20), True, "调休上班"),
    (date(2027, 1, 1), False, "元旦"),
    (date(2027, 2, 5), False, "春节"),
]


def calendar_rows(year: int) -> list[tuple[date, bool, str]]:
    return list(
        WorkCalendarDay.objects.filter(date__year=year)
        .order_by("date")
        .values_list("date", "is_workday", "name")
    )


def test_publish_stores_the_year_and_its_days_and_audits_them(
    users, django_capture_on_commit_callbacks
):
    # given 2027 unknown
    assert calendar_warning(date(2027, 1, 1), date(2027, 1, 1)) is not None
    # when the administrator publishes it
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year = calendar_year_publish(
            actor=users["administrator"],
            year=2027,
            days=SCHEDULE_2027,
            note="国办发明电〔2026〕测试号",
        )
    # then the year is known, its days are stored in date order and the computation uses them
    assert (calendar_year.year, calendar_year.source, calendar_year.note) == (
        2027,
        "administrator",
        "国办发明电〔2026〕测试号",
    )
    assert calendar_rows(2027) == sorted(SCHEDULE_2027)
    assert calendar_warning(date(2027, 1, 1), date(2027, 1, 1)) is None
    assert is_workday(date(2027, 1, 1)) is False
    entry = AuditEntry.objects.get(action="core.calendar_year.publish")
    assert entry.actor == users["administrator"]
    assert entry.target_id == str(calendar_year.pk)
    assert entry.before is None
    assert entry.after["days"] == [
        {"date": "2027-01-01", "is_workday": False, "name": "元旦"},
        {"date": "2027-02-05", "is_workday": False, "name": "春节"},
        {"date": "2027-02-20", "is_workday": True, "name": "调休上班"},
    ]
    assert entry.after["source"] == "administrator"


def test_publishing_a_known_year_replaces_its_schedule_and_keeps_the_old_one_in_the_audit(
    django_capture_on_commit_callbacks,
):
    # given 2026 as chinese-calendar knows it
    old_rows = calendar_rows(2026)
    assert len(old_rows) > 10
    # when it is corrected with a (made-up) schedule of one holiday
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_publish(
            actor=SYSTEM, year=2026, days=[(date(2026, 10, 1), False, "国庆节")], note="更正"
        )
    # then only that schedule applies, and the audit entry holds the replaced one
    assert calendar_rows(2026) == [(date(2026, 10, 1), False, "国庆节")]
    assert WorkCalendarYear.objects.get(year=2026).source == "administrator"
    assert is_workday(date(2026, 10, 2)) is True
    entry = AuditEntry.objects.get(action="core.calendar_year.publish")
    assert entry.actor_label == "system"
    assert entry.before["source"] == "chinese_calendar"
    assert len(entry.before["days"]) == len(old_rows)


@pytest.mark.parametrize(
    ("days", "field", "code", "message"),
    [
        (
            [(date(2027, 1, 1), False, "元旦"), (date(2028, 1, 3), False, "元旦")],
            "days[1].date",
            "outside_year",
            "days[1]: 2028-01-03 is not in 2027.",
        ),
        (
            [(date(2027, 1, 1), False, "元旦"), (date(2027, 1, 1), False, "元旦")],
            "days[1].date",
            "duplicate",
            "days[1]: 2027-01-01 is listed twice (also at days[0]).",
        ),
        (
            [(date(2027, 1, 2), False, "元旦")],
            "days[0].is_workday",
            "not_an_exception",
            (
                "days[0]: 2027-01-02 is a Saturday or Sunday, which is a day off anyway; list only "
                "holidays that fall on weekdays."
            ),
        ),
        (
            [(date(2027, 1, 4), True, "调休上班")],
            "days[0].is_workday",
            "not_an_exception",
            (
                "days[0]: 2027-01-04 is a weekday, which is worked anyway; list only weekend days "
                "that are worked (调休)."
            ),
        ),
        (
            [(date(2027, 1, 1), False, "  ")],
            "days[0].name",
            "required",
            "days[0]: give 2027-01-01 a name, e.g. 春节 or 调休上班.",
        ),
        (
            [(date(2027, 1, 1), "no", "元旦")],
            "days[0].is_workday",
            "invalid",
            "days[0]: say whether 2027-01-01 is a working day (true or false).",
        ),
        (
            [("2027-01-01", False, "元旦")],
            "days[0].date",
            "invalid",
            "days[0]: 2027-01-01 is not a date.",
        ),
        (
            [(date(2027, 1, 1), False)],
            "days[0]",
            "invalid",
            "days[0] must be (date, is working day, name).",
        ),
        (
            [],
            "days",
            "empty",
            "The schedule of 2027 lists no days: enter at least its public holidays.",
        ),
    ],
)
def test_bad_schedules_are_refused_whole_and_store_nothing(days, field, code, message):
    with pytest.raises(InvalidInput) as raised:
        calendar_year_publish(actor=SYSTEM, year=2027, days=days)
    assert (raised.value.field, raised.value.code) == (field, code)
    assert str(raised.value.message) == message
    assert not WorkCalendarYear.objects.filter(year=2027).exists()
    assert calendar_rows(2027) == []
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("year", [1999, 2100, True])
def test_years_out_of_range_are_refused(year):
    with pytest.raises(InvalidInput) as raised:
        calendar_year_publish(actor=SYSTEM, year=year, days=SCHEDULE_2027)
    assert raised.value.field == "year"
    assert WorkCalendarYear.objects.count() == 23


def test_a_bad_correction_leaves_the_previous_schedule_in_place():
    old_rows = calendar_rows(2026)
    with pytest.raises(InvalidInput):
        calendar_year_publish(
            actor=SYSTEM,
            year=2026,
            days=[(date(2026, 10, 1), False, "国庆节"), (date(2027, 1, 1), False, "元旦")],
        )
    assert calendar_rows(2026) == old_rows
    assert WorkCalendarYear.objects.get(year=2026).source == "chinese_calendar"


@pytest.mark.parametrize("role", [role for role in ALL_ROLES if role != "administrator"])
def test_only_administrators_publish(users, role):
    with pytest.raises(Forbidden):
        calendar_year_publish(actor=users[role], year=2027, days=SCHEDULE_2027)
    assert not WorkCalendarYear.objects.filter(year=2027).exists()
    assert calendar_rows(2027) == []
    assert not AuditEntry.objects.filter(action="core.calendar_year.publish").exists()


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_is_read_with_its_header_and_any_spelling_of_true_and_false():
    text = (
        "\ufeffdate,is_workday,name\n"
        "2027-01-01,false,元旦\n"
        "2027-02-05, 否 ,春节\n"
        "\n"
        "2027-02-20,TRUE,调休上班\n"
    )
    assert parse_calendar_csv(text) == [
        (date(2027, 1, 1), False, "元旦"),
        (date(2027, 2, 5), False, "春节"),
        (date(2027, 2, 20), True, "调休上班"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The CSV file is empty."),
        (
            "day,workday,name\n2027-01-01,false,元旦\n",
            "The first line must be the header “date,is_workday,name”, not “day,workday,name”.",
        ),
        (
            "date,is_workday,name\n2027-01-01,false\n",
            "Line 2 has 2 columns; expected date,is_workday,name.",
        ),
        (
            "date,is_workday,name\n2027-01-01,false,元旦\n2027/02/05,false,春节\n",
            "Line 3: “2027/02/05” is not a date like 2027-01-01.",
        ),
        (
            "date,is_workday,name\n2027-01-01,maybe,元旦\n",
            "Line 2: is_workday must be true or false, not “maybe”.",
        ),
    ],
)
def test_bad_csv_is_refused_naming_the_line(text, message):
    with pytest.raises(InvalidInput) as raised:
        parse_calendar_csv(text)
    assert str(raised.value.message) == message
    assert (raised.value.field, raised.value.code) == ("file", "bad_csv")
