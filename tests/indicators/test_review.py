"""The review queue end to end: a report uploaded, its figures read out and queued, a supervisor
confirming one as an indicator's value (through the same write as the lead department's form)
and rejecting another; a decided figure cannot be decided again."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiedao.audit.models import AuditEntry
from jiedao.core.errors import Conflict, InvalidInput
from jiedao.indicators import services
from jiedao.indicators.extraction import Extraction
from jiedao.indicators.extraction import Figure as ReadFigure
from jiedao.indicators.extraction.types import LOST_BYTES
from jiedao.indicators.models import Figure as QueuedFigure
from jiedao.indicators.models import Value

from .conftest import TEXT, state


@pytest.fixture
def report(users, extraction):
    return services.report_upload(
        actor=users["supervisor"], file_name="半年报.txt", data=TEXT.encode()
    )


def test_an_upload_queues_the_figures_and_keeps_the_unreadable_places(report):
    figures = list(report.figures.order_by("position"))

    assert [
        (f.position, f.name, f.value, f.unit, f.change, f.change_is_stated, f.status)
        for f in figures
    ] == [
        (1, "规上工业总产值", Decimal("1610000000.0000"), "元", Decimal("9.90"), True, "pending"),
        (2, "", Decimal("22000.0000"), "立方米", None, False, "pending"),
    ]
    assert (report.text, report.unreadable) == (
        TEXT,
        [
            {
                "sentence": "“调研?!?月27日，",
                "start": TEXT.index("?!?"),
                "end": TEXT.index("?!?") + 3,
                "reason": LOST_BYTES,
                "explanation": "此处乱码的字节已丢失，原文无法恢复。",
            }
        ],
    )


def test_the_same_report_again_queues_nothing_twice(users, report):
    before = state()

    again = services.report_upload(
        actor=users["supervisor"], file_name="again.txt", data=TEXT.encode()
    )

    assert (again.pk, state()) == (report.pk, before)


def test_confirming_writes_the_value_with_the_stated_change(users, report, catalogue):
    figure = report.figures.get(position=1)

    value = services.figure_confirm(
        actor=users["supervisor"],
        figure_id=figure.pk,
        indicator_id=catalogue["industrial-output"].pk,
        period="2023年上半年",
    )

    value.refresh_from_db()
    figure.refresh_from_db()
    assert (value.value, value.stated_change, value.source, value.entered_by) == (
        Decimal("1610000000.0000"),
        Decimal("9.90"),
        "review",
        users["supervisor"],
    )
    assert (figure.status, figure.indicator, figure.period.code) == (
        "confirmed",
        catalogue["industrial-output"],
        "2023-H1",
    )
    assert list(
        AuditEntry.objects.filter(action__startswith="indicators.")
        .order_by("pk")
        .values_list("action", flat=True)
    )[-3:] == ["indicators.report.upload", "indicators.value.create", "indicators.figure.confirm"]


def test_a_figure_in_another_unit_cannot_be_confirmed_as_the_indicator(users, report, catalogue):
    figure = report.figures.get(position=2)
    before = state()

    with pytest.raises(InvalidInput) as refused:
        services.figure_confirm(
            actor=users["supervisor"],
            figure_id=figure.pk,
            indicator_id=catalogue["industrial-output"].pk,
            period="2023年第九季度",
        )

    assert [str(error.message) for error in refused.value.errors] == [
        "指标：该数据的单位是立方米，而“规上工业总产值”以元计。",
        "期间必须是月、季度、半年或年度，例如 2022年上半年 或 2022-H1。",
    ]
    assert state() == before


def test_rejecting_needs_a_reason_and_a_decided_figure_stays_decided(users, report, catalogue):
    figure = report.figures.get(position=2)
    supervisor = users["supervisor"]
    with pytest.raises(InvalidInput) as refused:
        services.figure_reject(actor=supervisor, figure_id=figure.pk, reason=" ")
    assert str(refused.value.message) == "原因 为必填项。"

    services.figure_reject(actor=supervisor, figure_id=figure.pk, reason="不是本街道的指标")
    before = state()

    with pytest.raises(Conflict) as conflict:
        services.figure_confirm(
            actor=supervisor,
            figure_id=figure.pk,
            indicator_id=catalogue["river-dredging"].pk,
            period="2023-H1",
        )
    assert str(conflict.value.message) == "该数据已处理：已驳回。"
    assert state() == before


def test_the_review_flow_through_the_pages(client_for, catalogue, extraction):
    """Upload → queue → confirm → the value on the indicators' table."""
    client = client_for("supervisor")

    uploaded = client.post(
        "/indicators/reports/",
        {"file": SimpleUploadedFile("半年报.txt", TEXT.encode(), content_type="text/plain")},
    )
    report_url = uploaded["Location"]
    page = client.get(report_url).content.decode()
    figure = QueuedFigure.objects.get(name="规上工业总产值", status="pending")
    confirmed = client.post(
        f"/indicators/figures/{figure.pk}/confirm/",
        {"indicator": catalogue["industrial-output"].pk, "period": "2023年上半年"},
    )
    table = client.get("/api/indicators/table?period=2023-H1").json()

    assert uploaded.status_code == 302
    assert f'<mark class="figure-mark" id="text-figure-{figure.pk}">16.1亿元</mark>' in page
    assert (
        '<mark class="unreadable-mark" title="此处乱码的字节已丢失，原文无法恢复。">?!?</mark>'
        in page
    )
    assert (confirmed.status_code, confirmed["Location"]) == (302, report_url)
    row = next(row for row in table["rows"] if row["name"] == "规上工业总产值")
    assert (row["value"], row["value_base"], row["change"]) == (
        "16.1",
        "1610000000.0000",
        # Computed from the demo's real 2022 H1 value (15.3亿元), not the 9.9 % the report states.
        {"amount": "5.2", "unit": "%", "is_stated": False, "is_synthetic": False},
    )
    assert Value.objects.get(indicator=catalogue["industrial-output"], year=2023).source == "review"


def test_a_figure_too_large_for_the_table_is_listed_as_unreadable(users, monkeypatch):
    huge = Extraction(
        text="总投资10000000000亿元。",
        figures=[
            ReadFigure(
                name="总投资",
                value=Decimal(1000000000000000000),
                unit="元",
                yoy_percent=None,
                yoy_stated=False,
                sentence="总投资10000000000亿元。",
                start=3,
                end=16,
            )
        ],
        unreadable=[],
    )
    monkeypatch.setattr("jiedao.indicators.services.review.extract", lambda content: huge)

    report = services.report_upload(
        actor=users["supervisor"], file_name="巨额.txt", data=huge.text.encode()
    )

    assert (report.figures.count(), report.unreadable) == (
        0,
        [
            {
                "sentence": "总投资10000000000亿元。",
                "start": 3,
                "end": 16,
                "reason": "out-of-range",
                "explanation": "该数字过大，不可能是指标的数值，未予读取。",
            }
        ],
    )
