"""12345 work orders imported in bulk: rejected rows with their reasons, all or nothing per
batch, idempotent by work-order number, CSV and .xlsx alike, the command and the page agree."""

import io
import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from jiedao.audit.models import AuditEntry
from jiedao.events.importing import ImportReport, Rejection, mapping_from, work_orders_import
from jiedao.events.models import Event, EventStep
from jiedao.events.workflow import Source, Status

SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADER = [
    "工单编号",
    "受理时间",
    "诉求内容",
    "诉求类型",
    "地址",
    "经度",
    "纬度",
    "承办单位",
    "办结时间",
    "满意度",
]
GOOD = [
    [
        "T001",
        "2022-06-01 09:12",
        "垃圾桶满溢",
        "暴露垃圾",
        "三江路1号",
        "120.2225",
        "30.1285",
        "城市综合管理队",
        "2022-06-01 14:30",
        "满意",
    ],
    [
        "T002",
        "2022-06-02 10:05",
        "占道摆摊",
        "占道经营",
        "三江社区时代大道",
        "",
        "",
        "综合行政执法队",
        "",
        "",
    ],
    [
        "T003",
        "2022-06-03 08:40",
        "路灯不亮",
        "路灯损坏",
        "南岸社区滨江路",
        "",
        "",
        "",
        "2022-06-04 16:20",
        "3",
    ],
]
BAD = [
    ["T004", "2022-13-01 09:00", "时间不对", "暴露垃圾", "三江社区", "", "", "", "", ""],
    [
        "T005",
        "2022-06-05 09:00",
        "类型不存在",
        "外星人入侵",
        "火星基地",
        "",
        "",
        "不存在的单位",
        "",
        "",
    ],
]


def csv_bytes(rows: list[list[str]]) -> bytes:
    lines = [",".join(HEADER)] + [",".join(row) for row in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def run(users: Any, content: bytes, name: str = "orders.csv", **options: Any) -> ImportReport:
    return work_orders_import(
        actor=users["dispatcher"], stream=io.BytesIO(content), name=name, **options
    )


def imported() -> list[tuple[Any, ...]]:
    return list(
        Event.objects.filter(number__startswith="12345-")
        .order_by("number")
        .values_list("number", "status", "source", "grid__code", "responsible_department__name")
    )


def test_bad_rows_are_rejected_with_their_reasons_and_their_batch_writes_nothing(
    users: Any,
) -> None:
    # given a file of three good rows and two bad ones, in one batch
    events, audit = Event.objects.count(), AuditEntry.objects.count()

    report = run(users, csv_bytes(GOOD + BAD))

    # then exactly the bad rows are rejected, each reason naming its column
    assert report.rejected == [
        Rejection(5, "受理时间", "“2022-13-01 09:00”不是时间，例如 2022-06-15 09:30。"),
        Rejection(
            6,
            "诉求类型",
            "“外星人入侵”不是事件目录中的小类（名称或编码）；可在列映射的“categories”中对应。",
        ),
        Rejection(6, "地址", "未提及本街道的网格、社区或村；请补充经度和纬度或网格编号。"),
    ]
    # and nothing of the batch was written
    assert (report.created, report.held_back, report.batches_written) == (0, 3, 0)
    assert (Event.objects.count(), AuditEntry.objects.count()) == (events, audit)


def test_batches_without_a_rejected_row_are_written_and_a_reimport_is_idempotent(
    users: Any,
) -> None:
    # given batches of two rows: the third batch holds the bad rows
    content = csv_bytes(GOOD + [BAD[0]])
    audit = AuditEntry.objects.count()

    first = run(users, content, batch_size=2)

    # then the clean batch is written, the one with a bad row is not
    assert (first.created, first.held_back, first.batches, first.batches_written) == (2, 1, 2, 1)
    assert [item.row for item in first.rejected] == [5]
    assert AuditEntry.objects.count() == audit + 1  # one entry per written batch
    assert imported() == [
        ("12345-T001", Status.CLOSED, Source.HOTLINE_12345, "330109012001005", "城市综合管理队"),
        (
            "12345-T002",
            Status.REPORTED,
            Source.HOTLINE_12345,
            "330109012001001",
            "基层治理综合信息指挥室",
        ),
    ]

    # when the corrected file is imported again, twice
    second = run(users, csv_bytes(GOOD), batch_size=2)
    third = run(users, csv_bytes(GOOD), batch_size=2)

    # then only the missing row is added, then nothing
    assert (second.created, second.already, third.created, third.already) == (1, 2, 0, 3)
    assert len(imported()) == 3
    assert EventStep.objects.filter(action=EventStep.IMPORT).count() == 3


def test_closed_orders_carry_what_the_figures_count(users: Any) -> None:
    run(users, csv_bytes(GOOD))

    closed = Event.objects.get(number="12345-T001")
    assert closed.closed_at == datetime(2022, 6, 1, 14, 30, tzinfo=SHANGHAI)
    assert (
        closed.accepted_at == closed.dispatched_at == datetime(2022, 6, 1, 9, 12, tzinfo=SHANGHAI)
    )
    assert closed.satisfaction == 5
    assert closed.handle_due_at == datetime(2022, 6, 1, 14, 42, tzinfo=SHANGHAI)  # 4 working hours
    assert closed.is_location_approximate is False
    open_one = Event.objects.get(number="12345-T002")
    assert open_one.proposed_department.name == "综合行政执法队"
    assert open_one.is_location_approximate is True
    assert Event.objects.get(number="12345-T003").satisfaction == 3


def test_xlsx_and_csv_import_the_same_events(users: Any) -> None:
    from_xlsx = run(users, xlsx_bytes(GOOD), name="orders.xlsx")
    xlsx_events = imported()
    Event.objects.filter(number__startswith="12345-").delete()

    from_csv = run(users, csv_bytes(GOOD))

    assert from_xlsx.created == from_csv.created == 3
    assert imported() == xlsx_events


def test_a_mapping_renames_columns_and_maps_types(users: Any) -> None:
    content = "单号,登记时间,内容,问题分类,地址\r\nM1,2022/06/01 09:00,井盖松动,井盖坏了,长安村\r\n"
    mapping = mapping_from(
        {
            "columns": {"number": "单号", "category": "问题分类", "description": "内容"},
            "categories": {"井盖坏了": "C0101"},
        }
    )

    report = run(users, content.encode(), mapping=mapping)

    assert (report.created, report.rejected) == (1, [])
    assert Event.objects.get(number="12345-M1").category.code == "C0101"


def test_the_command_and_the_page_agree(users: Any, client_for: Any, tmp_path: Any) -> None:
    # given the same file with bad rows through the command and through the page
    path = tmp_path / "orders.csv"
    path.write_bytes(csv_bytes(GOOD + BAD))
    output = io.StringIO()
    with pytest.raises(CommandError, match="2 rows rejected"):
        call_command("events", "import", str(path), "--json", "--user", "zhihui", stdout=output)
    from_command = json.loads(output.getvalue())

    response = client_for("dispatcher").post(
        "/events/import/", {"file": SimpleUploadedFile("orders.csv", csv_bytes(GOOD + BAD))}
    )

    # then both report the same rows and reasons, and the page shows them
    assert response.status_code == 202
    page_report = response.context["report"].as_dict()
    assert page_report == from_command
    assert "外星人入侵" in response.content.decode()
    assert "第 5 行" not in response.content.decode()  # the page's table, not the command's lines


def test_only_the_command_centre_imports(users: Any, client_for: Any) -> None:
    events = Event.objects.count()

    response = client_for("grid_worker").post(
        "/events/import/", {"file": SimpleUploadedFile("orders.csv", csv_bytes(GOOD))}
    )

    assert response.status_code == 403
    assert Event.objects.count() == events


def test_the_list_links_to_the_import_for_those_who_may_import(client_for: Any) -> None:
    link = 'href="/events/import/">导入 12345 工单</a>'

    assert link in client_for("dispatcher").get("/events/all/").content.decode()
    assert link not in client_for("supervisor").get("/events/all/").content.decode()
    assert client_for("dispatcher").get("/events/import/").status_code == 200
    assert client_for("supervisor").get("/events/import/").status_code == 403


def test_progress_is_reported_after_each_batch(users: Any) -> None:
    seen: list[tuple[int, int]] = []

    run(
        users,
        csv_bytes(GOOD + BAD),
        batch_size=2,
        progress=lambda done, total: seen.append((done, total)),
    )

    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5)]


def test_a_queued_import_is_polled_until_it_is_done(users: Any, client_for: Any) -> None:
    from jiedao.core.jobs import job_create, job_update

    # given an import a worker has taken but not finished
    job = job_create(kind="events.import", user_id=users["dispatcher"].pk)
    job_update(job.id, status="running", done=2000, total=5000, result={"file": "orders.csv"})

    page = client_for("dispatcher").get(f"/events/import/{job.id}/", HTTP_HX_REQUEST="true")

    # then the page shows its progress and asks again in a second
    body = page.content.decode()
    assert f'hx-get="/events/import/{job.id}/" hx-trigger="every 1s"' in body
    assert '<progress max="100" value="40">' in body
    assert "2000 / 5000" in body
    # and nobody else sees it
    assert client_for("administrator").get(f"/events/import/{job.id}/").status_code == 404


def test_a_file_of_another_kind_is_refused_naming_the_file(users: Any, client_for: Any) -> None:
    events = Event.objects.count()

    response = client_for("dispatcher").post(
        "/events/import/", {"file": SimpleUploadedFile("orders.txt", b"hello")}
    )

    assert response.status_code == 202
    assert response.context["job"].message == "请上传 .csv 或 .xlsx 文件，而不是“orders.txt”。"
    assert Event.objects.count() == events


def test_the_quick_check_accepts_exactly_what_the_thorough_one_does(users: Any) -> None:
    from jiedao.events.importing.check import QuickCheck
    from jiedao.events.importing.reader import read_table
    from jiedao.events.importing.rows import Directory, parse_batch

    # given rows of the usual shape and others: another time layout, a rating without closure,
    # an unknown grid code, a bad row, a point with the usual shape
    content = csv_bytes(
        GOOD
        + BAD
        + [
            ["T006", "2022/06/01 09:00", "斜杠时间", "暴露垃圾", "三江社区", "", "", "", "", ""],
            ["T007", "2022-06-01 09:00", "未办结", "暴露垃圾", "三江社区", "", "", "", "", "满意"],
            ["T008", "2022-06-01 09:00", "坐标", "暴露垃圾", "", "120.2225", "30.1285", "", "", ""],
        ]
    )
    mapping = mapping_from(None)

    def check(quickly: bool) -> tuple[Any, Any]:
        table = read_table(io.BytesIO(content), name="orders.csv", mapping=mapping)
        rows, directory = list(table.rows), Directory(mapping)
        if quickly:
            quick = QuickCheck(mapping=mapping, table=table, directory=directory)
            return quick.check(rows)
        return parse_batch(rows, mapping=mapping, positions=table.positions, directory=directory)

    # then both accept the same work orders with the same values and reject the same rows
    quick, thorough = check(quickly=True), check(quickly=False)
    assert quick == thorough
    assert [order.number for order in quick[0]] == ["T001", "T002", "T003", "T006", "T008"]
    assert sorted({problem.row for problem in quick[1]}) == [5, 6, 8]


def test_a_point_out_of_range_is_rejected_naming_its_column(users: Any) -> None:
    events = Event.objects.count()
    row = ["T009", "2022-06-01 09:00", "坐标错误", "暴露垃圾", "", "120.2", "91", "", "", ""]

    report = run(users, csv_bytes([row]))

    assert report.rejected == [
        Rejection(2, "纬度", "纬度 91.0 超出范围：必须在 -90 到 90 之间。"),
    ]
    assert Event.objects.count() == events


# Three work orders of June 2021 (no demo event lies in that month): one closed on time by the
# city-management team and rated, one still open, one closed late and rated badly. 暴露垃圾 has
# 4 working hours to handle.
FIGURE_ORDERS = [
    ["F001", "2021-06-01 09:12", "垃圾桶满溢", "暴露垃圾", "", "120.2225", "30.1285"]
    + ["城市综合管理队", "2021-06-01 14:30", "满意"],
    ["F002", "2021-06-02 10:05", "占道摆摊", "占道经营", "三江社区时代大道", "", ""]
    + ["综合行政执法队", "", ""],
    ["F003", "2021-06-03 09:00", "垃圾未清", "暴露垃圾", "", "120.2225", "30.1285"]
    + ["城市综合管理队", "2021-06-07 16:00", "不满意"],
]


def enter_through_the_services() -> None:
    """The same three work orders as FIGURE_ORDERS, entered and handled step by step."""
    from .conftest import report

    grid = "330109012001005"
    first = report(at=local(2021, 6, 1, 9, 12), source="hotline_12345", grid=grid)
    handle(first, local(2021, 6, 1, 9, 12), local(2021, 6, 1, 14, 30), satisfaction=5)
    report(
        at=local(2021, 6, 2, 10, 5),
        source="hotline_12345",
        category="E0103",
        grid="330109012001001",
    )
    third = report(at=local(2021, 6, 3, 9), source="hotline_12345", grid=grid)
    handle(third, local(2021, 6, 3, 9), local(2021, 6, 7, 16), satisfaction=1)


def handle(event: Event, received: datetime, closed: datetime, *, satisfaction: int) -> None:
    from .conftest import act

    event = act(event, "accept", at=received)
    event = act(event, "dispatch", at=received, department="city-management")
    event = act(event, "start_handling", at=received)
    event = act(event, "report_back", at=closed, note="已处理")
    event = act(event, "verify_pass", at=closed)
    act(event, "rate", at=closed, satisfaction=satisfaction)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def test_figures_of_imported_orders_equal_those_of_the_same_events_entered_by_hand(
    users: Any,
) -> None:
    from datetime import date

    from jiedao.accounts.permissions import SYSTEM
    from jiedao.events.figures import event_figures

    june = {"since": date(2021, 6, 1), "until": date(2021, 6, 30), "by": "department"}

    report = run(users, csv_bytes(FIGURE_ORDERS))
    imported_figures = event_figures(user=SYSTEM, **june).as_dict()
    Event.objects.filter(number__startswith="12345-").delete()
    enter_through_the_services()
    entered_figures = event_figures(user=SYSTEM, **june).as_dict()

    assert report.created == 3
    assert imported_figures == entered_figures
    assert imported_figures["total"] == {
        "key": "",
        "label": "合计",
        "collected": 3,
        "dispatched": 2,
        "self_resolved": 0,
        "rejected": 0,
        "merged": 0,
        "closed": 2,
        "due": 2,
        "on_time_closed": 1,
        "reworked": 0,
        "extended": 0,
        "mean_handling_hours": 54.15,  # (5.3 h + 103 h) / 2
        "satisfaction_mean": 3.0,
        "satisfaction_count": 2,
        "closure_rate": 1.0,
        "on_time_rate": 0.5,
        "rework_rate": 0.0,
        "extension_rate": 0.0,
    }
    assert [
        (row["key"], row["collected"], row["closed"], row["on_time_closed"])
        for row in imported_figures["rows"]
    ] == [("city-management", 2, 2, 1), ("command-centre", 1, 0, 0)]
