import pytest

from jiedao.supervision.models import Comment, Plan, Reminder
from tests.roles import ALL_ROLES

from .conftest import MANAGERS, READERS, SEED, state

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ALL_ROLES)
def test_pages_by_role(client_for, demo_plan, role):
    client = client_for(role)
    task = demo_plan.tasks.get(sequence=5)
    pages = [
        "/supervision/",
        f"/supervision/plans/{demo_plan.pk}/",
        f"/supervision/tasks/{task.pk}/",
        "/supervision/behind/",
    ]
    codes = [client.get(url).status_code for url in pages]
    if role not in READERS:
        assert codes == [403, 403, 403, 403]
    elif role == "enforcement_officer":
        assert codes == [200, 200, 404, 200]  # task 5 belongs to 城市综合管理队
    else:
        assert codes == [200, 200, 200, 200]


def test_plan_page_in_chinese_shows_sections_status_and_exports(client_for, demo_plan):
    client = client_for("supervisor")
    html = client.get(
        f"/supervision/plans/{demo_plan.pk}/?period=3", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "杭州市萧山区人民政府闻堰街道办事处2023年《政府工作报告》重点任务执行情况" in html
    assert "2023-09-30 的状态（2023年第3季度）" in html
    for name in ["创新生态构建", "现代城区建设", "民生事业发展", "社会综合治理"]:
        assert f">{name}</option>" in html
    assert html.count('class="row-') == 19
    assert f"/supervision/plans/{demo_plan.pk}/export/pdf/?period=3" in html
    # One word for one thing: the filter is 筛选 here as on the event lists, never 过滤器.
    assert '<button class="primary" type="submit">筛选</button>' in html
    assert '<h2 id="filter-title" class="visually-hidden">筛选</h2>' in html
    assert "过滤" not in html


def test_plan_page_filters_with_htmx_return_the_table_only(client_for, demo_plan):
    section = demo_plan.sections.get(name="社会综合治理")
    response = client_for("supervisor").get(
        f"/supervision/plans/{demo_plan.pk}/?period=3&section={section.pk}", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert html.count('class="row-') == 5


def test_department_sees_only_its_tasks_and_the_form(client_for, demo_plan):
    client = client_for("department_handler")
    html = client.get(f"/supervision/plans/{demo_plan.pk}/").content.decode()
    assert html.count('class="row-') == 1
    task = demo_plan.tasks.get(sequence=5)
    detail = client.get(f"/supervision/tasks/{task.pk}/").content.decode()
    assert f'action="/supervision/tasks/{task.pk}/report/"' in detail
    supervisor_view = (
        client_for("supervisor").get(f"/supervision/tasks/{task.pk}/").content.decode()
    )
    assert f"/supervision/tasks/{task.pk}/report/" not in supervisor_view
    assert f"/supervision/tasks/{task.pk}/comment/" in supervisor_view


@pytest.mark.parametrize("role", ALL_ROLES)
def test_file_progress_form_by_role(client_for, demo_plan, role):
    task = demo_plan.tasks.get(sequence=5)
    before = state()
    response = client_for(role).post(
        f"/supervision/tasks/{task.pk}/report/",
        {"period": "4", "text": "四季度已完成。", "percent_complete": "100"},
    )
    if role == "department_handler":
        assert response.status_code == 302
        assert task.reports.latest("pk").text == "四季度已完成。"
    else:
        assert response.status_code == {"enforcement_officer": 404}.get(role, 403)
        assert state() == before


def test_file_progress_form_keeps_input_on_error(client_for, demo_plan):
    task = demo_plan.tasks.get(sequence=5)
    before = state()
    response = client_for("department_handler").post(
        f"/supervision/tasks/{task.pk}/report/",
        {"period": "4", "text": "写了一半", "percent_complete": "150"},
    )
    assert response.status_code == 422
    assert "写了一半" in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("role", ALL_ROLES)
def test_comment_form_by_role(client_for, demo_plan, role):
    task = demo_plan.tasks.get(sequence=5)
    before = state()
    response = client_for(role).post(
        f"/supervision/tasks/{task.pk}/comment/", {"text": "请加快。", "period": "4"}
    )
    if role in MANAGERS:
        assert response.status_code == 302
        assert Comment.objects.get().text == "请加快。"
    else:
        assert response.status_code == {"enforcement_officer": 404}.get(role, 403)
        assert state() == before


@pytest.mark.parametrize("role", ALL_ROLES)
def test_import_upload_by_role(client_for, wenyan_demo, role):
    before = state()
    with SEED.open("rb") as handle:
        response = client_for(role).post("/supervision/import/", {"file": handle})
    if role in MANAGERS:
        assert response.status_code == 200
        assert (
            "确认导入" in response.content.decode() or "Confirm import" in response.content.decode()
        )
    else:
        assert response.status_code == 403
    assert state() == before


def test_import_preview_then_confirm(client_for, wenyan_demo):
    client = client_for("supervisor")
    Plan.objects.all().delete()
    html = """<h1>闻堰街道2024年重点工作</h1><table><tr><th>序号</th><th>重点工作任务</th><th>牵头单位</th><th>备注</th></tr>
    <tr><td>1</td><td>新增300孔电动自行车智能充电桩。</td><td>平安办</td><td></td></tr></table>"""
    upload = _file(html.encode(), "plan.html")
    preview = client.post("/supervision/import/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = preview.content.decode()
    assert "无法识别“备注”列，已忽略。" in page
    assert Plan.objects.count() == 0
    payload = preview.context["payload"]
    confirmed = client.post("/supervision/import/confirm/", {"payload": payload})
    assert confirmed.status_code == 302
    plan = Plan.objects.get()
    assert [(t.content, t.lead_unit.code) for t in plan.tasks.all()] == [
        ("新增300孔电动自行车智能充电桩。", "safety")
    ]
    tampered = client.post("/supervision/import/confirm/", {"payload": payload[:-3] + "abc"})
    assert tampered.status_code == 422
    assert Plan.objects.count() == 1


def test_import_page_shows_a_clear_error_for_a_bad_file(client_for, wenyan_demo):
    response = client_for("supervisor").post(
        "/supervision/import/", {"file": _file(b"", "empty.txt")}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 422
    assert "文件为空。" in response.content.decode()


def _file(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize("file_format", ["docx", "xlsx", "pdf", "html"])
@pytest.mark.parametrize(
    "role", ["supervisor", "administrator", "dispatcher", "department_handler", "resident"]
)
def test_export_downloads_by_role(client_for, demo_plan, role, file_format):
    response = client_for(role).get(
        f"/supervision/plans/{demo_plan.pk}/export/{file_format}/?period=3"
    )
    assert response.status_code == (200 if role in MANAGERS else 403)


def test_reminders_show_on_the_lead_units_pages(client_for, demo_plan):
    task = demo_plan.tasks.get(sequence=5)
    Reminder.objects.create(
        task=task,
        period=demo_plan.periods.get(number=4),
        department=task.lead_unit,
        due_on=demo_plan.periods.get(number=4).ends_on,
        created_at=task.plan.created_at,
    )
    html = (
        client_for("department_handler")
        .get("/supervision/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        .content.decode()
    )
    assert "提醒：进展报告待填报" in html
    assert "城市综合管理队：第4季度进展请于 2023-12-31 前填报" in html


def test_attachment_download_is_scoped(client_for, demo_plan):
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = demo_plan.tasks.get(sequence=5)
    client = client_for("department_handler")
    client.post(
        f"/supervision/tasks/{task.pk}/report/",
        {
            "period": "4",
            "text": "附件",
            "attachments": [SimpleUploadedFile("a.pdf", b"%PDF-1.7 x")],
        },
    )
    attachment = task.reports.latest("pk").attachments.get()
    url = f"/supervision/attachments/{attachment.pk}/"
    assert client.get(url).content == b"%PDF-1.7 x"
    assert client_for("supervisor").get(url).status_code == 200
    assert client_for("enforcement_officer").get(url).status_code == 404
    assert client_for("resident").get(url).status_code == 403


def test_file_progress_form_shows_every_problem_beside_its_field(client_for, demo_plan):
    import re

    task = demo_plan.tasks.get(sequence=5)
    before = state()
    response = client_for("department_handler").post(
        f"/supervision/tasks/{task.pk}/report/",
        {"period": "4", "text": "  ", "percent_complete": "150"},
    )

    page = response.content.decode()
    assert response.status_code == 422

    def beside(input_id):
        match = re.search(rf'id="{input_id}".*?\n(.*?)\n', page, re.DOTALL)
        assert match, input_id
        return re.findall(r'<p class="field-error" role="alert">([^<]+)</p>', match.group(1))

    assert beside("report-text") == ["工作举措与完成情况 为必填项。"]
    assert beside("report-percent") == ["完成百分比须在 0 到 100 之间。"]
    assert "未提交任何内容。请更正下方标出的各项后重新提交。" in page
    assert "422" not in page.split('id="progress-errors"')[1].split("</div>")[0]
    assert state() == before
