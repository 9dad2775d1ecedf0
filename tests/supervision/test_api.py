import io

import pytest
from pypdf import PdfReader

from jiedao.supervision.models import ProgressReport
from tests.roles import ALL_ROLES

from .conftest import MANAGERS, READERS, SEED, state

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ALL_ROLES)
def test_plan_list_by_role(client_for, demo_plan, role):
    response = client_for(role).get("/api/supervision/plans")
    if role not in READERS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    body = response.json()
    assert [plan["name"] for plan in body] == [demo_plan.name]
    # department staff see only the tasks their department leads
    expected = {"department_handler": 1, "enforcement_officer": 1}.get(role, 19)
    assert body[0]["task_count"] == expected


def test_plan_detail_gives_derived_status_for_q3(client_for, demo_plan):
    body = client_for("supervisor").get(f"/api/supervision/plans/{demo_plan.pk}?period=3").json()
    assert (body["period"], body["as_of"], len(body["tasks"])) == (3, "2023-09-30", 19)
    assert sum(body["status_counts"].values()) == 19
    task_11 = next(task for task in body["tasks"] if task["sequence"] == 11)
    assert (
        task_11["period_progress"]
        == "南岸社区新增备案托位40个。江澜社区示范型婴幼儿成长驿站通过验收。"
    )
    assert task_11["section"] == "民生事业发展"
    assert task_11["lead_unit_code"] == "community-service"
    assert task_11["status"]["expected_percent"] == 75
    behind = (
        client_for("supervisor")
        .get(f"/api/supervision/plans/{demo_plan.pk}?period=3&status=behind")
        .json()
    )
    assert [task["status"]["status"] for task in behind["tasks"]] == ["behind"] * 6
    assert len(behind["tasks"]) == body["status_counts"]["behind"]


def test_plan_detail_rejects_unknown_filters(client_for, demo_plan):
    client = client_for("supervisor")
    assert client.get(f"/api/supervision/plans/{demo_plan.pk}?status=lost").status_code == 422
    assert client.get(f"/api/supervision/plans/{demo_plan.pk}?period=9").status_code == 422


@pytest.mark.parametrize("role", ALL_ROLES)
def test_task_detail_by_role(client_for, demo_plan, role):
    own = demo_plan.tasks.get(sequence=5)  # 城市综合管理队 (department_handler)
    other = demo_plan.tasks.get(sequence=2)  # 经济发展办公室
    client = client_for(role)
    own_response = client.get(f"/api/supervision/tasks/{own.pk}")
    other_response = client.get(f"/api/supervision/tasks/{other.pk}")
    if role not in READERS:
        assert (own_response.status_code, other_response.status_code) == (403, 403)
    elif role == "department_handler":
        assert (own_response.status_code, other_response.status_code) == (200, 404)
    elif role == "enforcement_officer":
        assert (own_response.status_code, other_response.status_code) == (404, 404)
    else:
        assert (own_response.status_code, other_response.status_code) == (200, 200)
        body = other_response.json()
        assert [r["period"] for r in body["reports"]] == [1, 2, 3]
        assert body["reports"][0]["is_synthetic"] is True
        assert body["reports"][0]["text"].startswith("（示例数据）")
        assert body["reports"][2]["is_synthetic"] is False


@pytest.mark.parametrize("role", ALL_ROLES)
def test_filing_progress_by_role(client_for, demo_plan, role):
    task = demo_plan.tasks.get(sequence=5)
    before = state()
    response = client_for(role).post(
        f"/api/supervision/tasks/{task.pk}/reports",
        {"period": 4, "text": "四季度全部完成。", "percent_complete": 100},
        content_type="application/json",
    )
    if role == "department_handler":
        assert response.status_code == 201
        assert (response.json()["period"], response.json()["text"]) == (4, "四季度全部完成。")
        assert ProgressReport.objects.count() == before[2] + 1
    else:
        assert response.status_code == {"enforcement_officer": 404}.get(role, 403)
        assert state() == before


def test_filing_progress_validation_errors(client_for, demo_plan):
    task = demo_plan.tasks.get(sequence=5)
    before = state()
    client = client_for("department_handler")
    empty = client.post(
        f"/api/supervision/tasks/{task.pk}/reports",
        {"period": 4, "text": ""},
        content_type="application/json",
    )
    foreign = client.post(
        f"/api/supervision/tasks/{task.pk}/reports",
        {"period": 4, "text": "x", "target_values": {"999999": 1}},
        content_type="application/json",
    )
    assert (empty.status_code, empty.json()["error"]["field"]) == (422, "text")
    assert (foreign.status_code, foreign.json()["error"]["field"]) == (422, "target_values")
    assert state() == before


@pytest.mark.parametrize("role", ALL_ROLES)
def test_comment_by_role(client_for, demo_plan, role):
    task = demo_plan.tasks.get(sequence=5)
    before = state()
    response = client_for(role).post(
        f"/api/supervision/tasks/{task.pk}/comments",
        {"text": "请按期完成。", "period": 4},
        content_type="application/json",
    )
    if role in MANAGERS:
        assert response.status_code == 201
        assert response.json()["period"] == 4
    else:
        assert response.status_code == {"department_handler": 403, "enforcement_officer": 404}.get(
            role, 403
        )
        assert state() == before


@pytest.mark.parametrize("role", ALL_ROLES)
def test_import_by_role(client_for, demo_plan, role):
    before = state()
    with SEED.open("rb") as handle:
        response = client_for(role).post("/api/supervision/imports", {"file": handle})
    if role in MANAGERS:
        # the demo already holds this table: nothing new
        assert response.status_code == 200
        assert (response.json()["already_imported"], response.json()["plan_id"]) == (
            True,
            demo_plan.pk,
        )
    else:
        assert response.status_code == 403
    assert state() == before


def test_import_dry_run_and_bad_files(client_for, db, wenyan_demo):
    client = client_for("supervisor")
    before = state()
    with SEED.open("rb") as handle:
        dry = client.post("/api/supervision/imports", {"file": handle, "dry_run": "true"})
    assert (dry.status_code, dry.json()["parsed"]["task_count"], dry.json()["plan_id"]) == (
        200,
        19,
        None,
    )
    empty = client.post("/api/supervision/imports", {"file": io.BytesIO(b"")})
    corrupt = client.post("/api/supervision/imports", {"file": _named(b"PK\x03\x04xx", "a.docx")})
    assert (empty.status_code, corrupt.status_code) == (422, 422)
    assert corrupt.json()["error"]["code"] == "corrupt_file"
    assert state() == before


def _named(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("file_format", ["docx", "xlsx", "pdf", "html"])
def test_export_by_role(client_for, demo_plan, role, file_format):
    response = client_for(role).get(
        f"/api/supervision/plans/{demo_plan.pk}/export?period=3&format={file_format}"
    )
    if role not in MANAGERS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    content_type = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf": "application/pdf",
        "html": "text/html; charset=utf-8",
    }[file_format]
    assert response["Content-Type"] == content_type


def test_pdf_text_extracts_as_the_right_chinese(client_for, demo_plan):
    response = client_for("supervisor").get(
        f"/api/supervision/plans/{demo_plan.pk}/export?period=3&format=pdf"
    )
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    flat = text.replace("\n", "")
    assert (
        "杭州市萧山区人民政府闻堰街道办事处2023年《政府工作报告》第三季度重点任务执行情况" in flat
    )
    for phrase in [
        "索 引 号",
        "H081/2023-74516",
        "创新生态构建",
        "社会综合治理",
        "工作举措与完成情况",
        "南岸社区新增备案托位40个。",
        "乡贤年会4月圆满举行",
    ]:
        assert phrase in flat
    assert "\x00" not in text


def test_html_disclosure_has_merged_section_cells(client_for, demo_plan):
    html = (
        client_for("supervisor")
        .get(f"/api/supervision/plans/{demo_plan.pk}/export?period=3&format=html")
        .content.decode()
    )
    assert '<td class="centre" rowspan="4">创新生态构建</td>' in html
    assert '<td class="centre" rowspan="6">民生事业发展</td>' in html
    assert '<th colspan="2">任务类别</th>' in html


def test_unknown_export_format(client_for, demo_plan):
    response = client_for("supervisor").get(
        f"/api/supervision/plans/{demo_plan.pk}/export?format=odt"
    )
    assert (response.status_code, response.json()["error"]["code"]) == (422, "unknown_format")


@pytest.mark.parametrize("role", ALL_ROLES)
def test_behind_schedule_and_reminders_by_role(client_for, demo_plan, role):
    behind = client_for(role).get("/api/supervision/behind-schedule")
    reminders = client_for(role).get("/api/supervision/reminders")
    if role not in READERS:
        assert (behind.status_code, reminders.status_code) == (403, 403)
        return
    assert (behind.status_code, reminders.status_code) == (200, 200)
    # six of the demo's tasks are behind in Q3; department staff see only the one task their
    # department leads, which is not
    expected = {"department_handler": 0, "enforcement_officer": 0}.get(role, 6)
    assert [item["task"]["status"]["status"] for item in behind.json()] == ["behind"] * expected


@pytest.mark.parametrize("role", ALL_ROLES)
def test_assign_lead_unit_by_role(client_for, demo_plan, role):
    task = demo_plan.tasks.get(sequence=5)
    response = client_for(role).put(
        f"/api/supervision/tasks/{task.pk}/lead-unit",
        {"department_code": "safety"},
        content_type="application/json",
    )
    task.refresh_from_db()
    if role in MANAGERS:
        assert (response.status_code, response.json()["lead_unit_code"], task.lead_unit.code) == (
            200,
            "safety",
            "safety",
        )
    else:
        assert response.status_code == {"enforcement_officer": 404}.get(role, 403)
        assert task.lead_unit.code == "city-management"


def test_openapi_documents_the_supervision_endpoints(client_for, wenyan_demo):
    schema = client_for("supervisor").get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/supervision/plans",
        "/api/supervision/plans/{plan_id}",
        "/api/supervision/tasks/{task_id}",
        "/api/supervision/tasks/{task_id}/reports",
        "/api/supervision/tasks/{task_id}/comments",
        "/api/supervision/reports/{report_id}/attachments",
        "/api/supervision/imports",
        "/api/supervision/plans/{plan_id}/export",
        "/api/supervision/behind-schedule",
        "/api/supervision/reminders",
    } <= paths
