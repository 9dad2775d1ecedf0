"""The language of the audit trail over the whole demo: every part of it loaded (the test
settings leave most out), every action it writes has a Chinese label, and a page of one entry of
each kind shows no code, no English key, no raw id and no UTC time.

Loading every part takes a while: this module loads them once, in its demo transaction."""

import json
import re
from typing import Any

import pytest
from django.core.paginator import Paginator
from django.db.models import Max
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit import labels
from jiedao.audit.models import AuditEntry
from jiedao.audit.selectors import audit_names
from jiedao.audit.services import audit_record, audit_seal
from jiedao.audit.views import AuditFilterForm, entry_row, referenced_rows

pytestmark = pytest.mark.django_db

SUBDISTRICT = "330109012"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
UTC_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
# An action or target-type code in the text a reader sees (not in the tooltips that keep them).
CODE = re.compile(r"\b[a-z][a-z0-9]*\.[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?\b")
# JSON's own words, which a reader of Chinese should not meet.
JSON_WORD = re.compile(r"(?<![\w\"])(null|true|false)(?![\w\"])")


def load_every_part() -> None:
    """The parts of jiedao.demo.services.demo_load that the test settings leave out, in its
    order (sanitation with the records of last month and this one instead of a year, so that
    one month's list is published)."""
    from jiedao.assessment.demo import assessment_demo_load
    from jiedao.community.demo import community_demo_load, event_call_demo_load
    from jiedao.events.demo import demo_events_load
    from jiedao.geo.models import Subdistrict
    from jiedao.indicators.demo import indicators_demo_load
    from jiedao.portal.demo import portal_demo_load
    from jiedao.sanitation.demo import sanitation_demo_load, sanitation_history_load
    from jiedao.sanitation.demo_board import board_demo_load
    from jiedao.sensors.demo import sensors_demo_load

    subdistrict = Subdistrict.objects.get(code=SUBDISTRICT)
    community_demo_load(subdistrict=subdistrict)
    demo_events_load(subdistrict=subdistrict)
    portal_demo_load(subdistrict=subdistrict)
    event_call_demo_load(subdistrict=subdistrict)
    sensors_demo_load(subdistrict=subdistrict)
    indicators_demo_load(subdistrict=subdistrict)
    assessment_demo_load(subdistrict=subdistrict)
    sanitation_demo_load(subdistrict=subdistrict)
    sanitation_history_load(subdistrict=subdistrict, months=2)
    board_demo_load(subdistrict=subdistrict)
    audit_seal()


@pytest.fixture(scope="module")
def every_part(demo_for_module: Any, django_db_blocker: Any) -> None:
    # Inside the module's demo transaction, rolled back with it.
    assert demo_for_module is not None
    with django_db_blocker.unblock():
        load_every_part()


@pytest.fixture
def wenyan_demo(every_part: None, wenyan_demo: Any) -> Any:
    return wenyan_demo


def test_every_action_of_the_whole_demo_reads_as_a_chinese_label(wenyan_demo: Any) -> None:
    actions = set(AuditEntry.objects.values_list("action", flat=True).distinct())

    with translation.override("zh-hans"):
        unlabelled = sorted(
            action
            for action in actions
            if not labels.is_labelled(action)
            or labels.action_label(action) == action
            or not CHINESE.search(labels.action_label(action))
        )

    assert unlabelled == []
    # the demo writes well over a hundred kinds of entry (122 when its history is a year)
    assert len(actions) > 100


def one_of_each_kind() -> list[AuditEntry]:
    newest = AuditEntry.objects.values("action").annotate(newest=Max("id")).values("newest")
    return list(AuditEntry.objects.select_related("actor").filter(pk__in=newest).order_by("id"))


def _problems_of(row: dict[str, Any], entry: AuditEntry) -> list[str]:
    where = f"{entry.action} #{entry.pk}"
    problems = []
    if not CHINESE.search(row["action"]):
        problems.append(f"{where}: action {row['action']}")
    if entry.target_type and not CHINESE.search(row["target_type"]):
        problems.append(f"{where}: target type {row['target_type']}")
    for change in row["changes"]:
        key = change["key"]
        if key and (change["label"] == key or not CHINESE.search(change["label"])):
            problems.append(f"{where}: key {key} reads {change['label']}")
        for side in ("before", "after"):
            text = change[side]
            raw = (entry.before if side == "before" else entry.after) or {}
            stored = raw.get(key) if isinstance(raw, dict) else None
            if UTC_TIME.search(text):
                problems.append(f"{where}: {key} shows a UTC time {text}")
            if JSON_WORD.search(text):
                problems.append(f"{where}: {key} shows {text}")
            if list(labels.references(entry.target_type, key, stored)) and text in (
                str(stored),
                json.dumps(stored),
            ):
                problems.append(f"{where}: {key} shows the id {text}")
    return problems


def test_a_page_of_one_entry_of_each_kind_reads_in_words(users: Any) -> None:
    entries = one_of_each_kind()
    admin = users["administrator"]

    with translation.override("zh-hans"):
        names = audit_names(user=admin, wanted=referenced_rows(entries))
        rows = [entry_row(entry, names=names) for entry in entries]
        page = Paginator(entries, len(entries)).get_page(1)
        html = render_to_string(
            "audit/_entries.html",
            {"form": AuditFilterForm(), "page": page, "rows": rows, "has_errors": False},
        )

    problems = [
        problem
        for row, entry in zip(rows, entries, strict=True)
        for problem in _problems_of(row, entry)
    ]
    assert problems == []
    # What a reader sees: the text between the tags (the tooltips keep the codes).
    shown = re.sub(r"<[^>]+>", " ", html)
    assert UTC_TIME.findall(shown) == []
    assert [match.group() for match in CODE.finditer(shown)] == []
    assert len(rows) > 100


def first_row(page: str) -> str:
    row = re.search(r"<tr>\s*<td class=\"nowrap\".*?</tr>", page, re.DOTALL)
    assert row is not None
    return row.group()


def page_of(users: Any, **filters: str) -> str:
    browser = Client()
    browser.force_login(users["administrator"])
    response = browser.get("/audit/", filters, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return first_row(response.content.decode())


def test_a_published_list_shows_its_month_compounds_and_colours(users: Any) -> None:
    from jiedao.sanitation.models import MonthlyList

    monthly_list = MonthlyList.objects.order_by("month").first()
    assert monthly_list is not None
    audit_record(
        actor=SYSTEM,
        action="sanitation.monthlylist.publish",
        target=monthly_list,
        after={
            "month": "2026-10",
            "compounds": 12,
            "colours": {"red": 3, "yellow": 4, "black": 2},
            "rules": {
                "rules": [
                    {"metric": "participation", "weight": "40", "benchmark": "0.9"},
                    {"metric": "accuracy", "weight": "60", "benchmark": "0.9"},
                ],
                "list": {"mode": "rank", "red_count": 3},
                "rectification_days": 5,
            },
        },
    )

    row = page_of(users, action="sanitation.monthlylist.publish")

    assert '<span class="key" title="month">月份</span>: <ins>&quot;2026-10&quot;</ins>' in row
    assert '<span class="key" title="compounds">参评小区数</span>: <ins>12</ins>' in row
    assert (
        '<span class="key" title="colours">各榜小区数</span>: '
        "<ins>红榜 3 个、黄榜 4 个、黑榜 2 个</ins>"
    ) in row
    assert (
        '<span class="key" title="rules">适用规则</span>: <ins>权重：参与率 40%、准确率 60%；'
    ) in row


def test_a_black_list_task_names_its_compound(users: Any) -> None:
    from jiedao.sanitation.models import BlackListTask, Compound

    task = BlackListTask.objects.order_by("pk").first()
    assert task is not None
    compound = Compound.objects.get(name="三江名苑")
    audit_record(
        actor=SYSTEM,
        action="sanitation.blacklisttask.create",
        target=task,
        after={"compound": compound.pk, "month": "2026-10", "deadline": "2026-11-13"},
    )

    row = page_of(users, action="sanitation.blacklisttask.create")

    assert '<span class="key" title="compound">小区</span>: <ins>&quot;三江名苑&quot;</ins>' in row
    assert '<span class="key" title="month">月份</span>: <ins>&quot;2026-10&quot;</ins>' in row
    assert (
        '<span class="key" title="deadline">整改期限</span>: <ins>&quot;2026-11-13&quot;</ins>'
    ) in row


def test_a_member_added_to_an_organisation_is_named(users: Any) -> None:
    from jiedao.community.models import Organisation

    organisation = Organisation.objects.order_by("pk").first()
    assert organisation is not None
    audit_record(
        actor=SYSTEM,
        action="community.organisation.member_add",
        target=organisation,
        after={"member": "shegong"},
    )

    row = page_of(users, action="community.organisation.member_add")

    assert "添加社会组织成员</span>" in row
    assert '<span class="key" title="member">成员</span>: <ins>&quot;三江社工站&quot;</ins>' in row
