"""The event list (台账) exported to Excel and CSV with the list's filters, from the page and the
API through one function."""

import csv
import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from jiedao.audit.models import AuditEntry
from jiedao.events import ledger
from tests.roles import ALL_ROLES

from .conftest import act, report

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADER = [
    "序号",
    "事件编号",
    "状态",
    "大类",
    "类别",
    "描述",
    "地址",
    "社区/村",
    "网格",
    "来源",
    "紧急程度",
    "预警",
    "责任部门",
    "反映人",
    "反映人电话",
    "上报时间",
    "受理时限",
    "处置时限",
    "结案时间",
]
EXPORTERS = {"grid_worker", "grid_lead", "dispatcher", "department_handler"}
EXPORTERS |= {"enforcement_officer", "supervisor", "administrator"}


def two_events(users: Any) -> list[Any]:
    """Two back-dated reports (by the system) in the grid worker's grid, the newer accepted."""
    older = report(
        description='=HYPERLINK("http://evil", "导出测试")',
        at=datetime(2025, 10, 9, 8, 30, tzinfo=SHANGHAI),
    )
    newer = report(
        description="导出测试：路口垃圾",
        at=datetime(2025, 10, 10, 9, 15, tzinfo=SHANGHAI),
    )
    newer = act(newer, "accept", at=datetime(2025, 10, 10, 9, 20, tzinfo=SHANGHAI))
    return [newer, older]


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_csv_holds_the_filtered_list_in_chinese_masked_and_formula_safe(
    users: Any, client_for: Any
) -> None:
    newer, older = two_events(users)

    response = client_for("dispatcher").get("/events/all/export/csv/?status=all&q=导出测试")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="events-')
    rows = csv_rows(response.content)
    assert rows[0] == HEADER
    assert rows[1][:15] == [
        "1",
        newer.number,
        "已受理",
        "市容环境",
        "暴露垃圾",
        "导出测试：路口垃圾",
        "三江路1号",
        newer.community.name,
        newer.grid.name,
        "物联感知告警",
        "一般",
        "已超期",
        "基层治理综合信息指挥室",  # the command centre, until a department is dispatched
        "张**",
        "138****5678",
    ]
    assert rows[1][15:17] == ["2025-10-10 09:15", "2025-10-10 10:15"]
    assert rows[2][:2] == ["2", older.number]
    assert rows[2][5] == '\'=HYPERLINK("http://evil", "导出测试")'
    assert len(rows) == 3


def test_the_page_exports_what_the_list_shows_open_events_by_default(
    users: Any, client_for: Any
) -> None:
    newer, older = two_events(users)
    act(older, "reject", reason="重复上报", at=datetime(2025, 10, 9, 9, 0, tzinfo=SHANGHAI))

    rows = csv_rows(client_for("dispatcher").get("/events/all/export/csv/?q=导出测试").content)

    assert [row[1] for row in rows[1:]] == [newer.number]


def test_page_and_api_give_the_same_file(users: Any, client_for: Any) -> None:
    two_events(users)
    browser = client_for("dispatcher")

    page_csv = browser.get("/events/all/export/csv/?status=all&category=E0101&q=导出测试")
    api_csv = browser.get("/api/events/export?format=csv&category=E0101&search=导出测试")
    page_xlsx = browser.get("/events/all/export/xlsx/?status=all&category=E0101&q=导出测试")
    api_xlsx = browser.get("/api/events/export?format=xlsx&category=E0101&search=导出测试")

    assert page_csv.content == api_csv.content
    assert len(csv_rows(page_csv.content)) == 3

    def sheet_rows(content: bytes) -> list[tuple[Any, ...]]:
        return list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))

    assert sheet_rows(page_xlsx.content) == sheet_rows(api_xlsx.content)
    assert [row[0] for row in sheet_rows(page_xlsx.content)] == ["序号", 1, 2]


def test_the_workbook_has_numbers_and_local_times(users: Any, client_for: Any) -> None:
    newer, _older = two_events(users)

    response = client_for("dispatcher").get("/events/all/export/xlsx/?status=all&q=导出测试")

    assert response["Content-Type"] == ledger.CONTENT_TYPES["xlsx"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER
    assert (sheet["A2"].value, sheet["A2"].data_type) == (1, "n")
    assert sheet["B2"].value == newer.number
    # a wall-clock time: spreadsheets have no time zones
    assert sheet["P2"].value == datetime(2025, 10, 10, 9, 15, tzinfo=SHANGHAI).replace(tzinfo=None)
    assert sheet["P2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["F3"].value == '\'=HYPERLINK("http://evil", "导出测试")'


def test_english_readers_get_english_columns(users: Any, client_for: Any) -> None:
    two_events(users)

    response = client_for("dispatcher").get(
        "/api/events/export?format=csv&search=导出测试", HTTP_ACCEPT_LANGUAGE="en"
    )

    rows = csv_rows(response.content)
    assert rows[0][:5] == ["No.", "Event number", "Status", "Main category", "Category"]
    assert rows[1][2:5] == ["Accepted", "City appearance", "Exposed rubbish"]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_export_and_each_export_is_audited(users: Any, client_for: Any, role: str) -> None:
    before = AuditEntry.objects.count()

    response = client_for(role).get("/events/all/export/csv/?status=all")

    if role in EXPORTERS:
        assert response.status_code == 200
        entry = AuditEntry.objects.order_by("-id")[0]
        assert (entry.action, entry.actor_id) == ("events.event.export", users[role].pk)
        assert entry.after == {"format": "csv", "rows": len(csv_rows(response.content)) - 1}
        assert AuditEntry.objects.count() == before + 1
    else:
        assert response.status_code == 403
        assert AuditEntry.objects.count() == before


def test_the_export_is_bounded_with_a_clear_message(
    users: Any, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_events(users)
    monkeypatch.setattr(ledger, "EXPORT_LIMIT", 1)
    before = AuditEntry.objects.count()

    page = client_for("dispatcher").get("/events/all/export/xlsx/?status=all&q=导出测试")
    api = client_for("dispatcher").get("/api/events/export?format=xlsx&search=导出测试")

    message = (
        "符合筛选条件的事件超过 1 条，超出单次导出的上限：请缩小筛选范围（例如上报日期）后再导出。"
    )
    assert page.status_code == 422
    assert message in page.content.decode()
    assert api.status_code == 422
    assert api.json()["error"]["message"] == message
    assert AuditEntry.objects.count() == before


def test_an_unknown_format_is_refused_by_name(users: Any, client_for: Any) -> None:
    response = client_for("dispatcher").get("/events/all/export/pdf/")

    assert response.status_code == 422
    assert "请选择文件格式：xlsx 或 csv，不能是“pdf”。" in response.content.decode()


def test_the_export_costs_the_same_for_one_event_or_many(users: Any, client_for: Any) -> None:
    browser = client_for("dispatcher")

    def statements(query: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(f"/events/all/export/csv/?status=all&q={query}").status_code == 200
        return len(queries)

    report(users["grid_worker"], description="只有一件")
    one = statements("只有一件")
    for _ in range(3):
        report(users["grid_worker"], description="好几件")
    assert statements("好几件") == one


def test_the_scope_list_links_to_the_export_with_its_filters(client_for: Any) -> None:
    browser = client_for("dispatcher")

    page = browser.get("/events/all/?status=all&category=E0101").content.decode()
    partial = browser.get("/events/all/?status=open&q=x", HTTP_HX_REQUEST="true").content.decode()
    inbox = browser.get("/events/").content.decode()

    # the buttons queue the export (a task) and show its progress in #export-jobs
    assert (
        'hx-post="/events/all/export/xlsx/?status=all&amp;category=E0101" '
        'hx-target="#export-jobs" hx-swap="afterbegin">导出 Excel</button>'
    ) in page
    assert (
        'hx-post="/events/all/export/csv/?status=all&amp;category=E0101" '
        'hx-target="#export-jobs" hx-swap="afterbegin">导出 CSV</button>'
    ) in page
    assert 'id="event-export" hx-swap-oob="true"' in partial
    assert 'hx-post="/events/all/export/csv/?status=open&amp;q=x"' in partial
    assert "/events/all/export/" not in inbox
    english = browser.get("/events/all/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'hx-swap="afterbegin">Export Excel</button>' in english
    resident = client_for("resident").get("/events/all/").content.decode()
    assert "/events/all/export/" not in resident
