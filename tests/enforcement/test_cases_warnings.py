"""Case clock warnings are sent: yellow once the running clock's warning time passes, red once it
is due, each once per clock and level, to the officers of the case's department (and the
supervisors for red), stored as a code and parameters that read in the reader's language; the
periodic command runs them; the cases of an event show on the event's own page."""

from datetime import date, datetime, time
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.core.localtime import local_zone
from jiedao.enforcement import services
from jiedao.enforcement.models import Case, Target
from jiedao.enforcement.services.notices import case_clock_warnings_send
from jiedao.enforcement.tasks import warn_case_clocks
from jiedao.events.models import Category, Notification
from jiedao.events.notices import notification_text
from jiedao.events.services import event_report

from .conftest import HOME_GRID


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=local_zone())


def shop() -> Target:
    return Target.objects.filter(kind="business").order_by("pk").first()


@pytest.fixture
def lead(users) -> Case:
    """A lead received on Monday 2 September 2024 at 10:00: 立案 is due 15 working days later,
    across the Mid-Autumn Festival (15–17 September off, Saturday 14 September worked)."""
    return services.case_open(
        actor=SYSTEM,
        title="占道经营",
        target_id=shop().pk,
        department_id=users["enforcement_officer"].department_id,
        now=at(date(2024, 9, 2), 10),
    )


def sent() -> list[tuple[str, str, dict[str, Any]]]:
    return list(
        Notification.objects.filter(kind__startswith="clock_")
        .order_by("pk")
        .values_list("user__username", "kind", "params")
    )


def test_the_running_clock_is_the_filing_clock(lead):
    assert (lead.clock, lead.clock_due_at, lead.alerted_clock, lead.alerted_level) == (
        "filing",
        at(date(2024, 9, 24), 17, 30),
        "",
        "",
    )


def test_yellow_then_red_are_each_sent_once(lead):
    runs = [
        case_clock_warnings_send(now=moment)
        for moment in (
            at(date(2024, 9, 3), 9),  # early: nothing
            at(date(2024, 9, 23), 9),  # the last fifth of the time: yellow
            at(date(2024, 9, 23), 15),  # yellow again: already sent
            at(date(2024, 9, 25), 9),  # late: red
            at(date(2024, 9, 26), 9),  # red again: already sent
        )
    ]

    assert runs == [
        {"yellow": 0, "red": 0},
        {"yellow": 1, "red": 0},
        {"yellow": 0, "red": 0},
        {"yellow": 0, "red": 1},
        {"yellow": 0, "red": 0},
    ]
    due = {"subject": "占道经营", "clock": "filing", "due_at": "2024-09-24T09:30:00+00:00"}
    # yellow to the officers of the case's department; red to them and the supervisors
    assert sent() == [
        ("zhifa", "clock_yellow", due),
        ("fazhi", "clock_yellow", due),
        ("zhifa", "clock_red", due),
        ("fazhi", "clock_red", due),
        ("lingdao", "clock_red", due),
    ]
    lead.refresh_from_db()
    assert (lead.alerted_clock, lead.alerted_level) == ("filing", "red")
    assert list(
        AuditEntry.objects.filter(action="enforcement.case_clock_warning")
        .order_by("pk")
        .values_list("target_id", "after__alerted_level")
    ) == [(str(lead.pk), "yellow"), (str(lead.pk), "red")]


def test_a_clock_found_late_is_sent_as_red_alone(lead):
    counts = case_clock_warnings_send(now=at(date(2024, 10, 8), 9))

    assert (counts, [kind for _, kind, _ in sent()]) == (
        {"yellow": 0, "red": 1},
        ["clock_red", "clock_red", "clock_red"],
    )


def test_the_next_clock_is_warned_about_in_its_turn(lead):
    case_clock_warnings_send(now=at(date(2024, 9, 25), 9))
    services.case_transition(
        actor=SYSTEM,
        case_id=lead.pk,
        action="file",
        occurred_on=date(2024, 9, 1),
        now=at(date(2024, 9, 25), 10),
    )
    lead.refresh_from_db()
    # the decision is due 90 days after 立案: 24 December 2024, warned from the 72nd day
    counts = case_clock_warnings_send(now=at(date(2024, 12, 10), 9))

    assert (lead.clock, counts) == ("decision", {"yellow": 1, "red": 0})
    assert [(kind, params["clock"]) for _, kind, params in sent()][-1] == (
        "clock_yellow",
        "decision",
    )


def test_a_warning_reads_in_the_readers_language(lead):
    case_clock_warnings_send(now=at(date(2024, 9, 23), 9))
    notification = Notification.objects.get(kind__startswith="clock_", user__username="zhifa")

    with translation.override("zh-hans"):
        chinese = notification_text(notification)
    with translation.override("en"):
        english = notification_text(notification)

    assert (chinese, english) == (
        "案件“占道经营”：立案决定时限即将届满（2024-09-24 17:30 到期）。",
        "Case “占道经营”: the 立案 decision time limit is near (due 2024-09-24 17:30).",
    )


def test_the_warnings_are_in_the_notifications_and_lead_to_the_case(lead, client_for):
    case_clock_warnings_send(now=at(date(2024, 9, 25), 9))
    client = client_for("enforcement_officer")

    page = client.get("/events/notifications/").content.decode()
    listed = client.get("/api/events/notifications").json()
    marked = client.post("/api/events/notifications/read", {}, content_type="application/json")

    text = "案件“占道经营”：立案决定时限已超期（2024-09-24 17:30 到期）。"
    assert f'<a href="/enforcement/cases/{lead.pk}/">{text}</a>' in page
    assert [
        (row["event_number"], row["link"], row["kind"], row["message"])
        for row in listed
        if row["kind"].startswith("clock_")
    ] == [(None, f"/enforcement/cases/{lead.pk}/", "clock_red", text)]
    assert marked.status_code == 200
    # the supervisor's own notification is still unread
    assert sorted(
        Notification.objects.filter(kind__startswith="clock_", read_at__isnull=True).values_list(
            "user__username", flat=True
        )
    ) == ["fazhi", "lingdao"]


def test_the_task_and_the_periodic_command_send_them(lead, capsys):
    result = warn_case_clocks.enqueue(now=at(date(2024, 9, 23), 9).isoformat())
    call_command("mark_overdue", now=at(date(2024, 9, 25), 9).isoformat())

    assert result.return_value == {"yellow": 1, "red": 0}
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "Case time-limit warnings announced: 0 yellow, 1 red.",
        "Late disclosures announced: 0.",
    ]
    assert [kind for _, kind, _ in sent()] == [
        "clock_yellow",
        "clock_yellow",
        "clock_red",
        "clock_red",
        "clock_red",
    ]


# --- The cases of an event on the event's own page --------------------------------------------


def reported(users) -> Any:
    return event_report(
        actor=users["grid_worker"],
        category=Category.objects.filter(parent__isnull=False).order_by("pk").first(),
        description="商户店外占道经营",
        grid=HOME_GRID,
        address="闻兴路1号",
    ).event


def open_from(event: Any, users: Any, title: str) -> Case:
    return services.case_open(
        actor=SYSTEM,
        title=title,
        event_number=event.number,
        target_id=shop().pk,
        department_id=users["enforcement_officer"].department_id,
    )


def test_the_event_page_links_its_cases_for_those_who_see_cases(users, client_for):
    event = reported(users)
    case = open_from(event, users, "占道经营")

    supervisor = client_for("supervisor").get(f"/events/{event.number}/").content.decode()
    dispatcher = client_for("dispatcher").get(f"/events/{event.number}/").content.decode()

    assert f'<a href="/enforcement/cases/{case.pk}/">占道经营</a> · 线索' in supervisor
    assert ('id="event-cases"' in supervisor, 'id="event-cases"' in dispatcher) == (True, False)


def test_the_event_page_runs_the_same_statements_however_many_cases(users, client_for):
    event = reported(users)
    client = client_for("supervisor")
    open_from(event, users, "占道经营")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/events/{event.number}/")
    open_from(event, users, "无证经营")
    open_from(event, users, "违规设置户外广告")
    with CaptureQueriesContext(connection) as three:
        page = client.get(f"/events/{event.number}/").content.decode()

    assert page.count('href="/enforcement/cases/') == 3
    assert len(three) == len(one)
