"""The audit page speaks the reader's language: the stored codes (hashed as written) are shown
as the labels of actions, target types, fields and choices, and the actor by name."""

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.labels import (
    LabelRegistered,
    action_label,
    actor_name,
    field_label,
    register_action_labels,
    target_type_label,
    value_label,
)
from jiedao.audit.models import AuditEntry
from jiedao.audit.services import audit_verify
from jiedao.events import services
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
