"""What indicators show outside their pages: the role homes' cards, the navigation and the
leaders' cockpit panel of key indicators against their targets."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jiedao.audit.labels import action_label
from jiedao.indicators import home, services
from jiedao.indicators.models import Figure
from jiedao.web import cockpit

from .conftest import TEXT


def test_the_reviewer_sees_the_queue_count_on_the_home(users, extraction):
    supervisor = users["supervisor"]
    waiting = Figure.objects.filter(status="pending").count()
    services.report_upload(actor=supervisor, file_name="半年报.txt", data=TEXT.encode())

    cards = home.home_cards(supervisor)

    assert [(str(card.title), card.count, card.url) for card in cards] == [
        ("待审核数据", waiting + 2, "/indicators/reports/"),
        ("指标", 12, "/indicators/"),
    ]


def test_a_lead_department_sees_its_own_indicators_and_others_nothing(users):
    assert [
        (role, [(str(card.title), card.count) for card in home.home_cards(users[role])])
        for role in ("department_handler", "enforcement_officer", "dispatcher", "resident")
    ] == [
        ("department_handler", [("指标", 1)]),
        ("enforcement_officer", [("指标", 2)]),
        ("dispatcher", []),
        ("resident", []),
    ]


def test_the_navigation_leads_to_the_table(client_for):
    page = client_for("administrator").get("/").content.decode()

    assert '<a href="/indicators/">指标</a>' in page


def test_the_cockpit_shows_the_key_indicators_of_the_last_ended_period(wenyan_demo):
    panel = home.cockpit_panel(datetime.date(2022, 7, 15))

    assert str(panel.title) == "主要指标 · 2022年上半年"
    assert [
        (kpi.key, str(kpi.value), kpi.unit, str(kpi.target), kpi.note) for kpi in panel.kpis
    ] == [
        ("indicators.industrial-output", "15.3", "亿元", "15", "同比 +10.9%"),
        ("indicators.industrial-added-value", "2.76", "亿元", "2.8", "同比 +10.0%"),
        ("indicators.digital-core-added-value", "2237", "万元", "2100", "同比 +16.6%（所述）"),
        ("indicators.retail-sales", "2.03", "亿元", "1.9", "同比 +26.4%（所述）"),
        ("indicators.closure-rate", "100", "%", "98", ""),
    ]
    assert panel in cockpit.panels(datetime.date(2022, 7, 15))


def test_before_any_period_ended_the_cockpit_has_no_indicator_panel(wenyan_demo):
    assert home.cockpit_panel(datetime.date(2021, 1, 1)) is None


def test_the_cockpit_panel_runs_three_statements(wenyan_demo):
    with CaptureQueriesContext(connection) as queries:
        home.cockpit_panel(datetime.date(2022, 7, 15))

    assert len(queries) == 3


def test_the_audit_trail_reads_the_indicators_actions_in_words():
    with translation.override("zh-hans"):
        assert [
            action_label(code)
            for code in (
                "indicators.report.upload",
                "indicators.figure.confirm",
                "indicators.figure.reject",
                "indicators.value.create",
                "indicators.value.update",
            )
        ] == ["上传报告待审核", "确认数据", "驳回数据", "填报指标值", "修改指标值"]
