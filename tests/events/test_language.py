"""Stored texts in the reader's language: category names and notifications are stored as codes
and parameters and rendered in Chinese or English when read, on the pages and in the API."""

import importlib
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jiedao.events.models import Category, Notification, localised_name

from .conftest import act, report

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "jiedao.events.migrations.0005_notification_params_category_names"
)


def test_a_category_is_named_in_the_readers_language(users: Any) -> None:
    category = Category.objects.get(code="E0101")
    with translation.override("zh-hans"):
        assert category.label == "暴露垃圾"
    with translation.override("en"):
        assert category.label == "Exposed rubbish"
        # without an English name, English readers see the catalogue's name
        assert localised_name("新类别", "") == "新类别"


def test_the_event_pages_name_the_category_in_the_readers_language(
    users: Any, client_for: Any
) -> None:
    event = report(users["grid_worker"])
    browser = client_for("dispatcher")

    chinese = browser.get(f"/events/{event.number}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = browser.get(f"/events/{event.number}/", HTTP_ACCEPT_LANGUAGE="en")
    listed = browser.get("/events/all/", HTTP_ACCEPT_LANGUAGE="en")

    assert "<dd>市容环境 › 暴露垃圾" in chinese.content.decode()
    assert "<dd>City appearance › Exposed rubbish" in english.content.decode()
    assert "<strong>Exposed rubbish</strong>" in listed.content.decode()


def test_notifications_read_in_each_readers_language_on_page_and_api(
    users: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        event = report(users["grid_worker"])
        act(event, "accept", actor=users["dispatcher"])
        act(
            event,
            "dispatch",
            actor=users["dispatcher"],
            department="enforcement",
            note="请今日处理",
        )
    officer = client_for("enforcement_officer")

    chinese = officer.get("/api/events/notifications", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    english = officer.get("/api/events/notifications", HTTP_ACCEPT_LANGUAGE="en").json()
    page = officer.get("/events/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert [(item["kind"], item["message"]) for item in chinese] == [
        ("dispatch", f"{event.number}（暴露垃圾）：派遣 — 请今日处理")
    ]
    assert [item["message"] for item in english] == [
        f"{event.number} (Exposed rubbish): Dispatch — 请今日处理"
    ]
    assert f"· {event.number} (Exposed rubbish): Dispatch — 请今日处理</p>" in page


def test_the_notification_page_costs_the_same_for_one_or_many(users: Any, client_for: Any) -> None:
    officer = users["enforcement_officer"]
    events = [report(users["grid_worker"]) for _ in range(3)]
    browser = client_for("enforcement_officer")

    def statements() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert browser.get("/events/notifications/").status_code == 200
        return len(queries)

    Notification.objects.create(user=officer, event=events[0], kind="report", params={"note": ""})
    one = statements()
    for event in events[1:]:
        Notification.objects.create(user=officer, event=event, kind="urge", params={"note": "快"})
    assert statements() == one


def test_a_notification_written_before_codes_shows_its_stored_text(users: Any) -> None:
    event = report(users["grid_worker"])
    old = Notification.objects.create(
        user=users["dispatcher"], event=event, kind="report", message="旧的通知文字"
    )
    with translation.override("en"):
        assert Notification.objects.get(pk=old.pk).text == "旧的通知文字"


@pytest.mark.parametrize(
    ("kind", "message", "params"),
    [
        ("dispatch", "WY20261122-0001（暴露垃圾）：派遣", {"note": ""}),
        ("urge", "WY20261122-0001（暴露垃圾）：催办 — 请尽快 — 今天", {"note": "请尽快 — 今天"}),
        (
            "warning_red",
            "WY20261122-0001（暴露垃圾）：已超期 — 2025-10-11 17:30",
            {"due_at": "2025-10-11T17:30:00+08:00"},
        ),
        ("warning_red", "WY20261122-0001（暴露垃圾）：已超期 — 不是时间", None),
        ("dispatch", "WY20261122-0002（暴露垃圾）：派遣", None),  # another event's number
        ("dispatch", "派遣", None),
    ],
)
def test_the_migration_reads_the_old_sentences(
    kind: str, message: str, params: dict[str, Any] | None
) -> None:
    assert migration._old_params(kind, "WY20261122-0001", message) == params


def test_the_migration_gives_old_rows_their_parameters(users: Any) -> None:
    from django.apps import apps

    event = report(users["grid_worker"])
    kept = Notification.objects.create(
        user=users["dispatcher"], event=event, kind="report", message="旧的通知文字"
    )
    mapped = Notification.objects.create(
        user=users["dispatcher"],
        event=event,
        kind="urge",
        message=f"{event.number}（暴露垃圾）：催办 — 快",
    )

    migration.notifications_forward(apps, None)

    kept.refresh_from_db()
    mapped.refresh_from_db()
    assert (kept.params, mapped.params) == (None, {"note": "快"})
    with translation.override("en"):
        assert mapped.text == f"{event.number} (Exposed rubbish): Urge — 快"


def test_telling_the_dispatch_room_is_one_insert_with_the_parameters(
    users: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from jiedao.accounts.models import Role, User
    from tests.factories import UserFactory

    subdistrict = users["dispatcher"].subdistrict
    UserFactory(role=Role.DISPATCHER, subdistrict=subdistrict)
    room = User.objects.filter(role=Role.DISPATCHER, subdistrict=subdistrict, is_active=True)
    assert room.count() == 2
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        event = report(users["grid_worker"])

    inserts = [q["sql"] for q in queries if q["sql"].startswith("INSERT INTO events_notification")]
    assert len(inserts) == 1
    stored = Notification.objects.filter(event=event).order_by("user_id")
    assert [(n.user_id, n.kind, n.params, n.message) for n in stored] == [
        (user.pk, "report", {"note": ""}, "") for user in room.order_by("pk")
    ]
