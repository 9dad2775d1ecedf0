from datetime import date, datetime
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from jiedao.supervision.exporters import disclosure_table, export_docx, export_xlsx
from jiedao.supervision.importers import parse_file
from jiedao.supervision.models import (
    Attachment,
    Comment,
    Plan,
    PlanImport,
    ProgressReport,
    Reminder,
    Section,
    Target,
    Task,
)
from jiedao.supervision.services import (
    comment_create,
    plan_import,
    progress_report_create,
    reminders_send,
)

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def counts():
    return (
        Plan.objects.count(),
        Task.objects.count(),
        ProgressReport.objects.count(),
        PlanImport.objects.count(),
        Target.objects.count(),
    )


def import_seed(subdistrict, data, name="003.txt"):
    return plan_import(
        actor=SYSTEM, parsed=parse_file(name, data), subdistrict=subdistrict, file_name=name
    )


def test_seed_003_imports_as_19_tasks_in_4_sections_with_q3_progress(other_subdistrict, seed_bytes):
    result = import_seed(other_subdistrict, seed_bytes)
    plan = result.plan
    assert (result.plan_created, result.tasks_created, result.reports_created) == (True, 19, 19)
    assert (plan.year, plan.period_kind, plan.issuing_body, plan.topic) == (
        2023,
        "quarter",
        "闻堰街道",
        "政务公开",
    )
    assert (
        plan.title_pattern
        == "杭州市萧山区人民政府闻堰街道办事处2023年《政府工作报告》{period}重点任务执行情况"
    )
    assert list(Section.objects.filter(plan=plan).values_list("name", flat=True)) == [
        "创新生态构建", "现代城区建设", "民生事业发展", "社会综合治理",
    ]  # fmt: skip
    q3 = plan.periods.get(number=3)
    assert (q3.index_number, q3.written_on) == ("H081/2023-74516", date(2023, 11, 3))
    assert q3.published_at == datetime(2023, 11, 3, 17, 11, tzinfo=SHANGHAI)
    assert ProgressReport.objects.filter(task__plan=plan, period=q3, source="import").count() == 19
    task_11 = plan.tasks.get(sequence=11)
    assert [(t.quantity, t.unit, t.subject, t.comparator) for t in task_11.targets.all()] == [
        (Decimal(40), "个", "托位", "="),
        (Decimal(1), "个", "示范型婴幼儿成长驿站", "="),
    ]
    report = task_11.reports.get()
    assert [(v.target.subject, v.value) for v in report.values.all()] == [("托位", Decimal(40))]
    assert task_11.deadline == date(2023, 12, 31)
    assert task_11.lead_unit is None


def test_importing_the_same_table_again_changes_nothing(other_subdistrict, seed_bytes):
    import_seed(other_subdistrict, seed_bytes)
    before, audit_before = counts(), AuditEntry.objects.count()
    again = import_seed(other_subdistrict, seed_bytes)
    assert again.already_imported is True
    assert (counts(), AuditEntry.objects.count()) == (before, audit_before)


@pytest.mark.parametrize(
    ("exporter", "name"), [(export_docx, "round.docx"), (export_xlsx, "round.xlsx")]
)
def test_export_then_import_gives_the_same_table(other_subdistrict, seed_bytes, exporter, name):
    # given seed 003 imported, when its Q3 disclosure table is exported and read back
    original = parse_file("003.txt", seed_bytes)
    plan = import_seed(other_subdistrict, seed_bytes).plan
    data = exporter(disclosure_table(user=SYSTEM, plan=plan, period=plan.periods.get(number=3)))
    read_back = parse_file(name, data)
    # then it is the same table, and importing it is a no-op
    assert read_back.as_data() | {"source_format": "", "columns": []} == original.as_data() | {
        "source_format": "",
        "columns": [],
    }
    before = counts()
    assert plan_import(
        actor=SYSTEM, parsed=read_back, subdistrict=other_subdistrict, file_name=name
    ).already_imported
    assert counts() == before


def test_exported_docx_into_an_empty_subdistrict_recreates_the_plan(other_subdistrict, demo_plan):
    data = export_docx(
        disclosure_table(user=SYSTEM, plan=demo_plan, period=demo_plan.periods.get(number=3))
    )
    result = plan_import(
        actor=SYSTEM,
        parsed=parse_file("q3.docx", data),
        subdistrict=other_subdistrict,
        file_name="q3.docx",
    )
    assert (result.tasks_created, result.reports_created) == (19, 19)
    copied = {
        t.sequence: (t.category, t.content, t.section.name)
        for t in result.plan.tasks.select_related("section")
    }
    original = {
        t.sequence: (t.category, t.content, t.section.name)
        for t in demo_plan.tasks.select_related("section")
    }
    assert copied == original


def test_another_period_of_the_same_plan_adds_its_reports(other_subdistrict, seed_bytes):
    import_seed(other_subdistrict, seed_bytes)
    q4 = (
        seed_bytes.decode()
        .replace("第三季度", "第四季度")
        .replace("已签约完成并腾房", "全部腾房完毕")
    )
    result = import_seed(other_subdistrict, q4.encode(), "q4.txt")
    assert (result.plan_created, result.tasks_created, result.reports_created) == (False, 0, 19)
    assert result.period.number == 4
    assert Plan.objects.filter(subdistrict=other_subdistrict).count() == 1


def test_a_plan_with_different_tasks_is_refused_and_nothing_is_written(
    other_subdistrict, seed_bytes
):
    import_seed(other_subdistrict, seed_bytes)
    changed = (
        seed_bytes.decode().replace("第三季度", "第四季度").replace("新增40个托位", "新增50个托位")
    )
    before, audit_before = counts(), AuditEntry.objects.count()
    with pytest.raises(Conflict) as raised:
        import_seed(other_subdistrict, changed.encode(), "changed.txt")
    assert raised.value.code == "plan_differs"
    assert (counts(), AuditEntry.objects.count()) == (before, audit_before)


def test_a_failure_half_way_leaves_nothing(other_subdistrict, seed_bytes):
    before = counts()
    with (
        mock.patch(
            "jiedao.supervision.services._report_write", side_effect=RuntimeError("disk full")
        ),
        pytest.raises(RuntimeError),
    ):
        import_seed(other_subdistrict, seed_bytes)
    assert counts() == before


def test_progress_without_a_period_in_the_title_needs_one(other_subdistrict):
    html = "<table><tr><th>序号</th><th>任务内容</th><th>进展情况</th></tr><tr><td>1</td><td>甲。</td><td>乙。</td></tr></table>"
    parsed = parse_file("x.html", html.encode())
    parsed.title = "测试街道2024年重点任务"
    with pytest.raises(InvalidInput) as raised:
        plan_import(actor=SYSTEM, parsed=parsed, subdistrict=other_subdistrict, file_name="x.html")
    assert raised.value.code == "period_unknown"
    result = plan_import(
        actor=SYSTEM,
        parsed=parsed,
        subdistrict=other_subdistrict,
        file_name="x.html",
        period_number=2,
    )
    assert result.period.number == 2


def test_lead_unit_names_are_matched_to_departments(users, other_subdistrict):
    wenyan = users["supervisor"].subdistrict
    html = (
        "<table><tr><th>序号</th><th>重点工作任务</th><th>牵头领导</th><th>牵头单位</th></tr>"
        "<tr><td>1</td><td>甲。</td><td>王</td><td>平安办</td></tr>"
        "<tr><td>2</td><td>乙。</td><td>王</td><td>派出所</td></tr>"
        "<tr><td>3</td><td>丙。</td><td>李</td><td>文化站</td></tr></table>"
    )
    parsed = parse_file("u.html", html.encode())
    parsed.title = "闻堰街道2024年重点工作"
    plan = plan_import(
        actor=users["supervisor"], parsed=parsed, subdistrict=wenyan, file_name="u.html"
    ).plan
    assert [
        (t.lead_unit.code if t.lead_unit else None, t.lead_unit_name) for t in plan.tasks.all()
    ] == [
        ("safety", "平安办"),
        ("police", "派出所"),
        (None, "文化站"),
    ]


@pytest.mark.parametrize(
    "role", ["dispatcher", "grid_lead", "department_handler", "resident", "grid_worker"]
)
def test_only_supervisors_and_administrators_import(users, seed_bytes, role):
    before = counts()
    with pytest.raises(Forbidden):
        plan_import(
            actor=users[role],
            parsed=parse_file("003.txt", seed_bytes),
            subdistrict=users["supervisor"].subdistrict,
            file_name="x",
        )
    assert counts() == before


def test_the_lead_unit_files_progress_with_values_and_attachment(users, demo_plan):
    handler = users["department_handler"]  # 城市综合管理队, lead unit of task 5
    task = demo_plan.tasks.get(sequence=5)
    q4 = demo_plan.periods.get(number=4)
    photo = SimpleUploadedFile(
        "site.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png"
    )
    targets = list(task.targets.all())
    report = progress_report_create(
        actor=handler,
        task=task,
        period=q4,
        text="全部完成。",
        target_values={targets[0].pk: "8", targets[1].pk: 15},
        attachments=[photo],
    )
    assert (report.text, report.source, report.reported_by, report.is_synthetic) == (
        "全部完成。",
        "form",
        handler,
        False,
    )
    assert sorted(v.value for v in report.values.all()) == [Decimal(8), Decimal(15)]
    attachment = report.attachments.get()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "site.png",
        "image/png",
        108,
    )
    assert (
        AuditEntry.objects.filter(
            action="supervision.report.create", target_id=str(report.pk)
        ).count()
        == 1
    )


def test_a_department_cannot_report_for_another_departments_task(users, demo_plan):
    task = demo_plan.tasks.get(sequence=2)  # 经济发展办公室
    before = counts()
    with pytest.raises(NotFound):
        progress_report_create(
            actor=users["department_handler"],
            task=task,
            period=demo_plan.periods.get(number=4),
            text="x",
        )
    assert counts() == before


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ" + b"0" * 10), "file_type"),
        (SimpleUploadedFile("fake.pdf", b"<html>not a pdf</html>"), "file_type"),
    ],
)
def test_attachments_are_checked_by_type(users, demo_plan, upload, code):
    task = demo_plan.tasks.get(sequence=5)
    before = (counts(), Attachment.objects.count())
    with pytest.raises(InvalidInput) as raised:
        progress_report_create(
            actor=users["department_handler"],
            task=task,
            period=demo_plan.periods.get(number=4),
            text="x",
            attachments=[upload],
        )
    assert raised.value.code == code
    assert (counts(), Attachment.objects.count()) == before


@override_settings(SUPERVISION_ATTACHMENT_MAX_BYTES=50)
def test_attachments_are_checked_by_size(users, demo_plan):
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7" + b"0" * 100)
    with pytest.raises(InvalidInput) as raised:
        progress_report_create(
            actor=users["department_handler"],
            task=demo_plan.tasks.get(sequence=5),
            period=demo_plan.periods.get(number=4),
            text="x",
            attachments=[big],
        )
    assert raised.value.code == "too_large"


def test_bad_report_input_is_refused(users, demo_plan):
    task = demo_plan.tasks.get(sequence=5)
    q4 = demo_plan.periods.get(number=4)
    with pytest.raises(InvalidInput) as empty:
        progress_report_create(actor=users["department_handler"], task=task, period=q4, text="  ")
    with pytest.raises(InvalidInput) as percent:
        progress_report_create(
            actor=users["department_handler"], task=task, period=q4, text="x", percent_complete=101
        )
    with pytest.raises(InvalidInput) as value:
        progress_report_create(
            actor=users["department_handler"],
            task=task,
            period=q4,
            text="x",
            target_values={task.targets.first().pk: "很多"},
        )
    assert (empty.value.field, percent.value.field, value.value.field) == (
        "text",
        "percent_complete",
        f"target_values.{task.targets.first().pk}",
    )


def test_progress_cannot_be_filed_for_a_period_not_yet_begun(users, demo_plan):
    task = demo_plan.tasks.get(sequence=5)
    before = counts()
    with (
        mock.patch("jiedao.supervision.services.local_today", return_value=date(2023, 9, 30)),
        pytest.raises(InvalidInput) as raised,
    ):
        progress_report_create(
            actor=users["department_handler"],
            task=task,
            period=demo_plan.periods.get(number=4),
            text="x",
        )
    assert (raised.value.code, raised.value.field) == ("period_not_started", "period")
    assert counts() == before


def test_a_task_without_a_lead_unit_takes_no_report(other_subdistrict, seed_bytes):
    plan = import_seed(other_subdistrict, seed_bytes).plan
    with pytest.raises(Conflict) as raised:
        progress_report_create(
            actor=SYSTEM,
            task=plan.tasks.get(sequence=1),
            period=plan.periods.get(number=4),
            text="x",
        )
    assert raised.value.code == "no_lead_unit"


def test_comments_are_for_supervisors(users, demo_plan):
    task = demo_plan.tasks.get(sequence=1)
    comment = comment_create(actor=users["supervisor"], task=task, text="请加快进度。")
    assert (comment.author, comment.text) == (users["supervisor"], "请加快进度。")
    with pytest.raises(Forbidden):
        comment_create(actor=users["department_handler"], task=task, text="x")
    assert Comment.objects.count() == 1


def _plan_for_this_year(users, year=2026):
    html = (
        "<table><tr><th>序号</th><th>重点工作任务</th><th>牵头单位</th></tr>"
        "<tr><td>1</td><td>甲。</td><td>城市综合管理队</td></tr>"
        "<tr><td>2</td><td>乙。</td><td>平安办</td></tr>"
        "<tr><td>3</td><td>丙。</td><td></td></tr></table>"
    )
    parsed = parse_file("y.html", html.encode())
    parsed.title = f"闻堰街道{year}年重点工作"
    return plan_import(
        actor=SYSTEM, parsed=parsed, subdistrict=users["supervisor"].subdistrict, file_name="y.html"
    ).plan


@pytest.mark.parametrize(
    ("today", "days", "expected"),
    [
        (date(2026, 12, 23), 7, 0),  # 8 days before Q4 ends
        (date(2026, 12, 24), 7, 2),  # 7 days before: both tasks with a lead unit
        (date(2026, 12, 31), 7, 2),  # the last day
        (date(2026, 10, 1), 7, 0),
    ],
)
def test_reminders_are_sent_n_days_before_the_period_ends(users, today, days, expected):
    _plan_for_this_year(users)
    assert len(reminders_send(actor=SYSTEM, today=today, days_before=days)) == expected


def test_reminders_once_per_period_and_gone_when_reported(users):
    plan = _plan_for_this_year(users)
    reminders_send(actor=SYSTEM, today=date(2026, 12, 28))
    assert reminders_send(actor=SYSTEM, today=date(2026, 12, 29)) == []
    assert sorted(Reminder.objects.values_list("department__code", flat=True)) == [
        "city-management",
        "safety",
    ]
    with mock.patch("jiedao.supervision.services.local_today", return_value=date(2026, 12, 29)):
        progress_report_create(
            actor=users["department_handler"],
            task=plan.tasks.get(sequence=1),
            period=plan.periods.get(number=4),
            text="已完成。",
        )
    assert list(Reminder.objects.values_list("department__code", flat=True)) == ["safety"]
