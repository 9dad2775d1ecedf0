"""`jiedao calendar status` and `jiedao calendar publish FILE.csv --year 2027`."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from jiedao.audit.models import AuditEntry
from jiedao.core.management.commands import calendar as calendar_command
from jiedao.core.models import WorkCalendarDay, WorkCalendarYear

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def run(*args: str) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command("calendar", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def today_is(monkeypatch):
    def set_today(day: date) -> None:
        monkeypatch.setattr(calendar_command.timezone, "localdate", lambda: day)

    return set_today


def test_status_lists_known_years_and_warns_that_next_year_is_missing(today_is):
    today_is(date(2026, 11, 22))
    stdout, stderr = run("status")
    assert stdout == "2004–2026: chinese-calendar package\n"
    assert stderr == (
        "WARNING: The official holidays of 2027 have not been entered yet; working time is "
        "counted Monday to Friday. (enter it with: jiedao calendar publish FILE.csv --year 2027)\n"
    )
    with pytest.raises(CommandError, match="Missing years: 2027"):
        run("status", "--check")


def test_publish_from_csv_then_status_is_quiet(tmp_path, today_is):
    # given a CSV of 2027's schedule (test data)
    path = tmp_path / "2027.csv"
    path.write_text(
        "date,is_workday,name\n2027-01-01,false,元旦\n2027-02-20,true,调休上班\n",
        encoding="utf-8",
    )
    # when it is published
    stdout, _stderr = run("publish", str(path), "--year", "2027", "--note", "测试")
    # then 2027 is known and status no longer warns
    assert stdout == "2027 published: 1 weekday holidays, 1 make-up working days.\n"
    assert list(
        WorkCalendarDay.objects.filter(date__year=2027).values_list("date", "is_workday", "name")
    ) == [(date(2027, 1, 1), False, "元旦"), (date(2027, 2, 20), True, "调休上班")]
    assert AuditEntry.objects.get(action="core.calendar_year.publish").actor_label == "system"
    today_is(date(2026, 11, 22))
    stdout, stderr = run("status", "--check")
    assert stdout == "2004–2026: chinese-calendar package\n2027: Entered by an administrator\n"
    assert stderr == ""


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("date,is_workday,name\n2027-01-01,false,元旦\n2027-02-31,false,春节\n", "Line 3"),
        ("date,is_workday,name\n2027-01-01,false,元旦\n2028-01-03,false,元旦\n", "days[1]"),
        ("2027-01-01,false,元旦\n", "header"),
    ],
)
def test_a_bad_file_stores_nothing(tmp_path, content, problem):
    path = tmp_path / "2027.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was stored") as raised:
        run("publish", str(path), "--year", "2027")
    assert problem in str(raised.value)
    assert not WorkCalendarYear.objects.filter(year=2027).exists()
    assert not WorkCalendarDay.objects.filter(date__year=2027).exists()
    assert not AuditEntry.objects.exists()


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("publish", str(tmp_path / "missing.csv"), "--year", "2027")


def test_the_console_speaks_chinese_by_default(today_is):
    today_is(date(2026, 11, 22))
    with translation.override("zh-hans"):
        stdout, stderr = run("status")
        source = str(WorkCalendarYear.Source.CHINESE_CALENDAR.label)
    assert source != "chinese-calendar package"
    assert stdout == f"2004–2026: {source}\n"
    assert "2027 年的法定节假日尚未录入，已按周一至周五计算" in stderr
    assert "jiedao calendar publish FILE.csv --year 2027" in stderr
