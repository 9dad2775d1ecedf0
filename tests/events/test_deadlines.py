"""Deadlines in working time: the National Day holiday of 2025 (1–8 October off) and its make-up
workday (Saturday 11 October), office hours 08:30–12:00 and 13:30–17:30, the yellow warning in
the last 20 % of the working time, red after — and the calendar's horizon (2027 not entered)."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from jiedao.accounts.permissions import SYSTEM
from jiedao.events import selectors
from jiedao.events.models import EventStep, Notification
from jiedao.events.selectors import EventFilters
from jiedao.events.tasks import mark_overdue
from jiedao.events.workflow import WarningLevel

from .conftest import act, report

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)


def test_acceptance_in_working_hours_skips_the_national_day_holiday(users: Any) -> None:
    # given 违规户外广告 (accept within 2 working hours) reported at 17:00 on 30 September 2025
    event = report(category="E0105", at=local(2025, 9, 30, 17, 0))

    # then half an hour counts that day, the rest after the holiday: 9 October 10:00
    assert event.accept_due_at == local(2025, 10, 9, 10, 0)
    # and the yellow warning starts after 80 % of the 2 hours (1.6 h): 9 October 09:36
    assert event.accept_warn_at == local(2025, 10, 9, 9, 36)


def test_handling_in_working_days_ends_on_the_make_up_saturday(users: Any) -> None:
    # given a 3-working-day category accepted on 30 September 2025 at 16:00
    event = report(category="E0105", at=local(2025, 9, 30, 15, 0))
    event = act(event, "accept", at=local(2025, 9, 30, 16, 0))

    # then the days are 9, 10 and 11 October (a Saturday worked for the holiday): 17:30 on the 11th
    assert event.handle_due_at == local(2025, 10, 11, 17, 30)
    assert timezone.localtime(event.handle_due_at).strftime("%A") == "Saturday"
    # the working time is 1.5 h + 3 × 7.5 h = 24 h; yellow after 19.2 h: 11 October 11:12
    assert event.handle_warn_at == local(2025, 10, 11, 11, 12)
    step = event.steps.get(action="accept")
    assert step.data["handle_due_at"] == "2025-10-11T09:30:00+00:00"
    assert "calendar_warning" not in step.data


@pytest.mark.parametrize(
    ("moment", "level"),
    [
        (local(2025, 10, 8, 12, 0), WarningLevel.NONE),  # still the holiday
        (local(2025, 10, 11, 11, 11), WarningLevel.NONE),
        (local(2025, 10, 11, 11, 12), WarningLevel.YELLOW),
        (local(2025, 10, 11, 17, 30), WarningLevel.YELLOW),
        (local(2025, 10, 11, 17, 31), WarningLevel.RED),
    ],
)
def test_warning_level_in_python_and_in_the_database_agree(
    moment: datetime, level: WarningLevel, users: Any
) -> None:
    # given the event of the previous test
    event = report(category="E0105", at=local(2025, 9, 30, 15, 0))
    event = act(event, "accept", at=local(2025, 9, 30, 16, 0))

    # then the selector and the list filter give the same level at each moment
    assert selectors.event_warning_level(event=event, now=moment) == level
    for candidate in WarningLevel:
        page = selectors.event_list(
            user=SYSTEM, filters=EventFilters(warning=candidate), now=moment
        )
        assert ([item.number for item in page.items] == [event.number]) == (candidate == level)


def test_mark_overdue_announces_each_level_once(
    users: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given an event dispatched to the city management team before the holiday
    event = report(category="E0105", at=local(2025, 9, 30, 15, 0))
    event = act(event, "accept", at=local(2025, 9, 30, 16, 0))
    event = act(event, "dispatch", department="city-management", at=local(2025, 9, 30, 16, 5))

    # when the job runs in the yellow window, twice, then once overdue, twice
    results = []
    with django_capture_on_commit_callbacks(execute=True):
        for moment in (
            local(2025, 10, 11, 12, 0),
            local(2025, 10, 11, 12, 5),
            local(2025, 10, 11, 18, 0),
            local(2025, 10, 12, 9, 0),
        ):
            results.append(mark_overdue.enqueue(now=moment.isoformat()).return_value)

    # then yellow is announced once, red once, each as a step and to the right people
    assert results == [
        {"yellow": 1, "red": 0},
        {"yellow": 0, "red": 0},
        {"yellow": 0, "red": 1},
        {"yellow": 0, "red": 0},
    ]
    event.refresh_from_db()
    assert event.alert_level == WarningLevel.RED
    warnings = list(EventStep.objects.filter(event=event, action="warning").order_by("id"))
    assert [step.data["level"] for step in warnings] == ["yellow", "red"]
    assert [step.created_at for step in warnings] == [
        local(2025, 10, 11, 12, 0),
        local(2025, 10, 11, 18, 0),
    ]
    notified = sorted(
        Notification.objects.filter(event=event).values_list("kind", "user__username")
    )
    assert notified == [
        ("warning_red", "chengguan"),
        ("warning_red", "zhihui"),
        ("warning_yellow", "chengguan"),
    ]
    # and each warning is stored as its deadline, shown in local time in the reader's language
    red = Notification.objects.select_related("event__category").filter(
        event=event, kind="warning_red", user__username="chengguan"
    )[0]
    assert red.params == {"due_at": event.handle_due_at.isoformat()}
    assert local(2025, 10, 11, 17, 30) == event.handle_due_at
    with translation.override("zh-hans"):
        assert red.text == f"{event.number}（违规户外广告）：已超期 — 2025-10-11 17:30"
    with translation.override("en"):
        assert (
            red.text == f"{event.number} (Illegal outdoor advertising): Overdue — 2025-10-11 17:30"
        )


def test_an_approved_extension_moves_the_deadline_and_rearms_the_warnings(users: Any) -> None:
    # given an overdue event (red announced) whose department asks for 2 more working days
    event = report(category="E0105", at=local(2025, 9, 30, 15, 0))
    event = act(event, "accept", at=local(2025, 9, 30, 16, 0))
    event = act(event, "dispatch", department="city-management", at=local(2025, 9, 30, 16, 5))
    mark_overdue.enqueue(now=local(2025, 10, 13, 9, 0).isoformat())
    event = act(
        event, "request_extension", reason="等待材料", working_days=2, at=local(2025, 10, 13, 9, 30)
    )
    # 2 working days after the later of the deadline and the request: 14 and 15 October
    assert event.extension_requested_until == local(2025, 10, 15, 17, 30)

    # when the dispatcher approves it
    event = act(event, "decide_extension", approve=True, at=local(2025, 10, 13, 10, 0))

    # then the deadline moves, the count grows, and the warnings start again
    assert (event.handle_due_at, event.extension_count, event.alert_level) == (
        local(2025, 10, 15, 17, 30),
        1,
        WarningLevel.NONE,
    )
    assert event.extension_requested_until is None
    assert selectors.event_warning_level(event=event, now=local(2025, 10, 14, 9, 0)) == "none"


def test_a_rejected_extension_keeps_the_deadline(users: Any) -> None:
    event = report(category="E0105", at=local(2025, 9, 30, 15, 0))
    event = act(event, "accept", at=local(2025, 9, 30, 16, 0))
    event = act(event, "dispatch", department="city-management", at=local(2025, 9, 30, 16, 5))
    event = act(event, "request_extension", reason="等待材料", working_days=5)

    event = act(event, "decide_extension", approve=False, note="请按期办结")

    assert (event.handle_due_at, event.extension_count, event.extension_requested_until) == (
        local(2025, 10, 11, 17, 30),
        0,
        None,
    )
    assert event.steps.latest("id").data["approved"] is False


def test_a_deadline_in_a_year_nobody_entered_falls_back_and_warns(
    users: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given it is 30 December 2026 and the 2027 holidays have not been published yet
    monkeypatch.setattr(timezone, "now", lambda: local(2026, 12, 30, 10, 0))
    event = report(category="E0701")  # 无证经营: handled within 5 working days

    # when it is accepted
    event = act(event, "accept")

    # then Monday–Friday is used for 2027 (31 Dec, 1, 4, 5, 6 Jan) and the step says so
    assert event.handle_due_at == local(2027, 1, 6, 17, 30)
    warning = event.steps.get(action="accept").data["calendar_warning"]
    assert "2027" in warning


def test_mark_overdue_command_enqueues_the_job(users: Any, capsys: pytest.CaptureFixture) -> None:
    event = report(category="E0105", at=local(2025, 9, 30, 15, 0))
    act(event, "accept", at=local(2025, 9, 30, 16, 0))

    call_command("mark_overdue", now=local(2025, 10, 12, 9, 0).isoformat())

    # (and the warning jobs other apps registered: the enforcement cases' time limits)
    assert capsys.readouterr().out == (
        "Deadline warnings announced: 0 yellow, 1 red.\n"
        "Case time-limit warnings announced: 0 yellow, 0 red.\n"
        "Late disclosures announced: 0.\n"
    )
