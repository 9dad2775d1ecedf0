"""The audit page speaks the reader's language: the stored codes (hashed as written) are shown
as the labels of actions, target types, fields, keys and choices, the actor and the rows an entry
refers to by name, times in local time."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jiedao.accounts.permissions import SYSTEM
from jiedao.accounts.services import user_create
from jiedao.audit.labels import (
    LabelRegistered,
    action_label,
    actor_name,
    field_label,
    references,
    register_action_labels,
    register_keys,
    target_type_label,
    value_label,
    value_text,
)
from jiedao.audit.models import AuditEntry
from jiedao.audit.services import audit_record, audit_verify
from jiedao.enforcement.models import ChecklistItem
from jiedao.events import services
from jiedao.geo.models import Grid
from tests.events.conftest import report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "chinese", "english"),
    [
        ("events.event.dispatch", "派遣", "Dispatch"),
        ("events.event.warning", "时限预警", "Deadline warning"),
        ("geo.grid.update", "网格：修改", "grid changed"),
        ("accounts.user.unlock", "用户：解锁", "user unlocked"),
        ("events.notification.read", "通知：标为已读", "notification marked read"),
        ("unknown.thing.frobnicate", "unknown.thing.frobnicate", "unknown.thing.frobnicate"),
    ],
)
def test_actions_read_as_labels(code: str, chinese: str, english: str) -> None:
    with translation.override("zh-hans"):
        assert action_label(code) == chinese
    with translation.override("en"):
        assert action_label(code) == english


def test_types_fields_and_choices_read_as_labels() -> None:
    with translation.override("zh-hans"):
        assert target_type_label("events.event") == "事件"
        assert field_label("events.event", "status") == "状态"
        assert value_label("events.event", "status", "reported") == "已上报"
        assert value_label("events.event", "status", "no-such-status") == "no-such-status"
        assert field_label("events.event", "no_such_field") == "no_such_field"
    with translation.override("en"):
        assert value_label("events.event", "status", "reported") == "Reported"


def test_an_action_labelled_twice_is_refused() -> None:
    with pytest.raises(LabelRegistered):
        register_action_labels({"events.event.dispatch": "again"})


def test_the_actor_is_named(users: Any) -> None:
    dispatcher = users["dispatcher"]
    assert actor_name(actor=dispatcher, actor_label=dispatcher.username) == dispatcher.full_name
    with translation.override("zh-hans"):
        assert actor_name(actor=None, actor_label=str(SYSTEM)) == "系统"


def test_the_page_shows_an_event_step_in_english_and_the_chain_still_verifies(
    users: Any,
) -> None:
    event = report(users["grid_worker"])
    services.event_transition(event=event, action="accept", actor=users["dispatcher"])
    entry = AuditEntry.objects.filter(action="events.event.accept").get()
    browser = Client()
    browser.force_login(users["administrator"])

    page = browser.get(
        "/audit/",
        {"action": "events.event.accept"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()

    row = re.search(r"<tr>\s*<td class=\"nowrap\".*?</tr>", page, re.DOTALL)
    assert row is not None
    assert (
        f'<span class="audit-actor" title="{users["dispatcher"].username}">{users["dispatcher"].full_name}</span>'
        in row.group()
    )
    assert (
        'data-action="events.event.accept" title="events.event.accept">Accept</span>' in row.group()
    )
    assert f'title="events.event #{event.pk}">event</span><br>{event.number}</td>' in row.group()
    assert (
        '<span class="key" title="status">status</span>: <del>&quot;Reported&quot;</del> → <ins>&quot;Accepted&quot;</ins>'
        in row.group()
    )
    # rendering changed nothing that is hashed
    assert AuditEntry.objects.get(pk=entry.pk).action == "events.event.accept"
    assert audit_verify().is_intact


def test_an_actors_name_finds_their_entries(users: Any) -> None:
    event = report(users["grid_worker"])
    services.event_transition(event=event, action="accept", actor=users["dispatcher"])
    browser = Client()
    browser.force_login(users["administrator"])

    response = browser.get(
        "/audit/", {"actor": users["dispatcher"].full_name}, HTTP_HX_REQUEST="true"
    )

    assert [entry.action for entry in response.context["page"]] == ["events.event.accept"]


def test_a_phrase_stored_as_the_target_reads_in_the_readers_language(users: Any) -> None:
    from jiedao.audit.labels import target_label
    from jiedao.events.models import Notification

    report(users["grid_worker"])  # which tells the dispatcher, in its own transaction
    assert Notification.objects.filter(user=users["dispatcher"], read_at__isnull=True).count() == 1
    services.notification_mark_read(actor=users["dispatcher"])
    entry = AuditEntry.objects.filter(action="events.notification.read").get()

    assert entry.target_repr == "1 notifications"  # as stored and hashed, never rewritten
    with translation.override("zh-hans"):
        assert (
            target_label(action=entry.action, target_repr=entry.target_repr, after=entry.after)
            == "1 条通知"
        )
    with translation.override("en"):
        assert (
            target_label(action=entry.action, target_repr=entry.target_repr, after=entry.after)
            == "1 notification"
        )
    # an entry without the expected data shows what was stored
    assert target_label(action=entry.action, target_repr="stored", after=None) == "stored"


# --- values and keys in the reader's words ---------------------------------------------------


def test_values_read_as_nothing_yes_no_and_local_time() -> None:
    with translation.override("zh-hans"):
        assert value_text("geo.grid", "name", None) == "—"
        assert value_text("geo.grid", "is_active", True) == "是"
        assert value_text("geo.grid", "is_active", False) == "否"
        # a moment stored in UTC, or with its offset, in Beijing time like the entry's own
        assert (
            value_text("enforcement.checklistitem", "checked_at", "2026-11-29T15:53:27.703Z")
            == '"2026-11-29 23:53:27"'
        )
        assert (
            value_text("events.event", "deadline", "2026-11-29T23:53:27+08:00")
            == '"2026-11-29 23:53:27"'
        )
        # a day is a local day already; text that only looks like a time stays as it is
        assert value_text("sanitation.blacklisttask", "deadline", "2026-11-30") == '"2026-11-30"'
        assert value_text("geo.grid", "name", "2026-11-29T99") == '"2026-11-29T99"'
        assert value_text("geo.grid", "name", "") == '""'
        assert value_text("accounts.user", "password", "reset") == "已重置为一次性密码"


def test_keys_outside_the_models_read_as_their_registered_labels() -> None:
    with translation.override("zh-hans"):
        assert field_label("accounts.user", "subdistrict") == "街道"
        assert field_label("accounts.user", "grid") == "网格"
        assert field_label("enforcement.checklistitem", "checked_by") == "检查人"
        assert field_label("sanitation.monthlylist", "month") == "月份"
        assert field_label("sanitation.monthlylist", "compounds") == "参评小区数"
        assert field_label("sanitation.monthlylist", "colours") == "各榜小区数"
        assert field_label("sanitation.blacklisttask", "month") == "月份"
        assert field_label("accounts.user", "failed_sign_ins") == "登录失败次数"
        assert (
            value_text("sanitation.monthlylist", "colours", {"red": 3, "yellow": 5, "black": 2})
            == "红榜 3 个、黄榜 5 个、黑榜 2 个"
        )
        assert value_text("events.event", "photos", [7, 8]) == "2 张照片"
        assert value_text("events.event", "stage", "handling") == "处置中"
        # a value of another shape than its description expects reads as stored
        assert value_text("sanitation.monthlylist", "colours", [1]) == "[1]"
    with translation.override("en"):
        assert value_text("events.event", "photos", [7]) == "1 photo"


def test_a_key_labelled_twice_for_a_target_type_is_refused() -> None:
    with pytest.raises(LabelRegistered):
        register_keys({"sanitation.monthlylist": {"colours": "again"}})


def test_ids_of_related_rows_read_as_their_names() -> None:
    names = {("geo.community", "id", 4): "三江社区", ("accounts.user", "id", 14): "周执法"}
    with translation.override("zh-hans"):
        assert value_text("geo.grid", "community", 4, names) == '"三江社区"'
        assert value_text("enforcement.checklistitem", "checked_by", 14, names) == '"周执法"'
        # a row that is gone reads as what was stored
        assert value_text("enforcement.checklistitem", "checked_by", 15, names) == "15"
        # a code stored where the model keeps an id is not an id
        assert value_text("events.event", "grid", "330109012001001", names) == ('"330109012001001"')
    assert list(references("geo.grid", "community", 4)) == [("geo.community", "id", 4)]
    assert list(references("enforcement.inspection", "joining_departments", [2, 3])) == [
        ("geo.department", "id", 2),
        ("geo.department", "id", 3),
    ]
    assert list(references("community.organisation", "member", "wangge")) == [
        ("accounts.user", "username", "wangge")
    ]
    assert list(references("events.event", "grid", "330109012001001")) == []
    assert list(references("geo.grid", "name", "三江")) == []


def first_row(page: str) -> str:
    row = re.search(r"<tr>\s*<td class=\"nowrap\".*?</tr>", page, re.DOTALL)
    assert row is not None
    return row.group()


def test_the_page_names_who_checked_an_item_and_when_in_local_time(users: Any) -> None:
    officer = users["enforcement_officer"]
    item = ChecklistItem.objects.order_by("pk").first()
    audit_record(
        actor=officer,
        action="enforcement.item_record",
        target=item,
        before={"result": "pending", "checked_by": None, "checked_at": None},
        after={
            "result": "pass",
            "checked_by": officer.pk,
            "checked_at": "2026-11-29T15:53:27.703Z",
        },
    )
    browser = Client()
    browser.force_login(users["administrator"])

    row = first_row(
        browser.get(
            "/audit/", {"action": "enforcement.item_record"}, HTTP_HX_REQUEST="true"
        ).content.decode()
    )

    assert (
        'data-action="enforcement.item_record" title="enforcement.item_record">'
        "记录检查项结果</span>"
    ) in row
    assert (
        '<span class="key" title="checked_by">检查人</span>: <del>—</del> → '
        "<ins>&quot;周执法&quot;</ins>"
    ) in row
    assert (
        '<span class="key" title="checked_at">检查时间</span>: <del>—</del> → '
        "<ins>&quot;2026-11-29 23:53:27&quot;</ins>"
    ) in row
    assert (
        '<span class="key" title="result">检查结果</span>: <del>&quot;未检查&quot;</del> → '
        "<ins>&quot;合格&quot;</ins>"
    ) in row


def test_the_page_shows_a_users_place_by_name(users: Any) -> None:
    worker = users["grid_worker"]
    browser = Client()
    browser.force_login(users["administrator"])

    row = first_row(
        browser.get(
            "/audit/",
            {"target_type": "accounts.user", "target_id": str(worker.pk)},
            HTTP_HX_REQUEST="true",
        ).content.decode()
    )

    assert (
        '<span class="key" title="subdistrict">街道</span>: <ins>&quot;闻堰街道&quot;</ins>' in row
    )
    assert (
        '<span class="key" title="grid">网格</span>: '
        "<ins>&quot;三江社区第1网格 (330109012001001)&quot;</ins>"
    ) in row
    assert '<span class="key" title="department">部门</span>: <ins>—</ins>' in row
    assert '<span class="key" title="is_active">有效</span>: <ins>是</ins>' in row
    assert '<span class="key" title="role">角色</span>: <ins>&quot;网格员&quot;</ins>' in row


def _statements_of_the_page(browser: Client, actor_name: str) -> int:
    with CaptureQueriesContext(connection) as statements:
        response = browser.get("/audit/", {"actor": actor_name}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return len(statements.captured_queries)


def test_the_names_cost_the_same_statements_for_3_entries_as_for_30(users: Any) -> None:
    """The rows the entries name are read once per model for the whole page (no N+1)."""
    admin = users["administrator"]
    grids = list(Grid.objects.order_by("code")[:30])
    auditor = user_create(
        actor=SYSTEM,
        username="shenji",
        password="a-long-enough-password-1",
        role="administrator",
        full_name="审计测试员",
        phone="",
        subdistrict=admin.subdistrict,
    )
    browser = Client()
    browser.force_login(admin)

    def workers(numbers: range) -> None:
        for number in numbers:
            grid = grids[number]
            user_create(
                actor=auditor,
                username=f"worker{number}",
                password="a-long-enough-password-1",
                role="grid_worker",
                full_name=f"网格员{number}",
                phone="",
                subdistrict=admin.subdistrict,
                community=grid.community,
                grid=grid,
            )

    workers(range(3))
    three = _statements_of_the_page(browser, "审计测试员")
    workers(range(3, 30))
    thirty = _statements_of_the_page(browser, "审计测试员")

    assert AuditEntry.objects.filter(actor=auditor).count() == 30
    assert thirty == three
