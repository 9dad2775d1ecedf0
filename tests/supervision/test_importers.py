import io
import json
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import override_settings

from jiedao.core.errors import InvalidInput
from jiedao.supervision.importers import parse_file

from .conftest import SEED, docx_bytes, xlsx_bytes

SECTIONS = ["创新生态构建", "现代城区建设", "民生事业发展", "社会综合治理"]
CATEGORIES = [
    "萧滨特别合作园区和中国视谷建设", "企业科技创新", "重点项目建设", "村级留用地开发建设",
    "全域环境整治提升工程2.0版", "未来社区建设", "河道提升", "路网交通完善",
    "安置回迁", "居家养老服务", "婴幼儿照护服务", "学校建设", "健康闻堰建设", "社会兜底保障",
    "一网统管和大综合一体化行政执法改革", "社区治理与服务创新", "平安护航行动", "创建文体阵地",
    "弘扬文明风尚",
]  # fmt: skip
TASK_19_PROGRESS = (
    "依托新时代文明实践所、站建设,拓宽“扫黄打非”宣传阵地,积极开展“护苗”“绿书签”等活动;成功承办"
    "萧山区“爱萧山·爱亚运”群众性主题活动暨“村亚运·趣运动”首站活动,参与人数超500人次;在街道"
    "微信公众号创新推出“堰美人·月说悦好”专栏,传播新老闻堰人的优秀事迹和凡人善举,传递正能量;"
    "打造以“渔渡三江”为主题的区域特色文化品牌和“大江小鲜”文化IP。\n"
    "乡贤年会4月圆满举行;萧康两地民族研学融情交流活动7月圆满开展;2023年奖优助学共富行动60人次,"
    "资金58.8万元;助力闻堰美好教育三年行动计划,开展“乡贤筑堰”项目。\n"
    "完成3个社区的老年友好型社区已通过区级抽样验收,湘湖人家报市级待抽验。"
)


def test_seed_003_reads_as_19_tasks_in_4_sections(seed_bytes):
    plan = parse_file("003.txt", seed_bytes)
    assert plan.problems == []
    assert [section.name for section in plan.sections] == SECTIONS
    assert [len(section.tasks) for section in plan.sections] == [4, 4, 6, 5]
    assert [task.sequence for task in plan.tasks] == list(range(1, 20))
    assert [task.category for task in plan.tasks] == CATEGORIES


def test_seed_003_header_block_and_period(seed_bytes):
    plan = parse_file("003.txt", seed_bytes)
    assert (
        plan.title
        == "杭州市萧山区人民政府闻堰街道办事处2023年《政府工作报告》第三季度重点任务执行情况"
    )
    assert plan.name == "杭州市萧山区人民政府闻堰街道办事处2023年《政府工作报告》重点任务执行情况"
    assert plan.index_number == "H081/2023-74516"
    assert plan.written_on == date(2023, 11, 3)
    assert plan.issuing_body == "闻堰街道"
    assert plan.topic == "政务公开"
    assert plan.published_at == datetime(2023, 11, 3, 17, 11, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert (plan.year, plan.period) == (2023, ("quarter", 3))
    assert plan.columns == ["序号", "任务类别", "任务内容", "工作举措与完成情况"]


def test_seed_003_contents_and_progress_exactly(seed_bytes):
    tasks = {task.sequence: task for task in parse_file("003.txt", seed_bytes).tasks}
    assert tasks[1].content == (
        "全力保障未来产业社区“四纵三横”主干路网建设。加快核心区块企业搬迁和清苗工作,力争3月底前完成"
        "黄山北河、万达路、长桥沿线企业腾房工作,为重点项目落地腾出发展空间100亩。"
    )
    assert tasks[1].progress == "黄山北河、万达路、长桥沿线企业已签约完成并腾房。"
    assert tasks[11].content == (
        "开展“托幼一体化”,利用公办幼儿园空余教室开办托班。推进“浙有善育”民生实事,新增40个托位,"
        "创建示范型婴幼儿成长驿站1个。"
    )
    assert tasks[11].progress == "南岸社区新增备案托位40个。江澜社区示范型婴幼儿成长驿站通过验收。"
    assert tasks[15].progress.startswith("根据网格实体化运行要求,对村社网格力量配备进行调整完善")
    assert tasks[19].progress == TASK_19_PROGRESS


HTML_ROWSPAN = """<html><body>
<p>索引号 H1/2024-1 成文日期 2024-04-10</p><p>发布机构 测试街道 主题分类 政务公开</p>
<h1>测试街道2024年重点任务第一季度执行情况</h1>
<table>
<tr><th>序号</th><th colspan="2">任务类别</th><th>任务内容</th><th>工作举措与完成情况</th></tr>
<tr><td>1</td><td rowspan="2">经济发展</td><td>招商引资</td><td>新增企业5家。</td><td>已新增2家。<br>正在洽谈3家。</td></tr>
<tr><td>2</td><td>科技创新</td><td>研发投入增长5%以上。</td><td>同比增长3%。</td></tr>
<tr><td>3</td><td>民生保障</td><td>养老服务</td><td>新增床位20张。</td><td></td></tr>
</table><p>扫一扫在手机打开当前页</p></body></html>"""


def test_html_with_rowspan_and_colspan():
    plan = parse_file("table.html", HTML_ROWSPAN.encode())
    assert plan.source_format == "html"
    assert (plan.index_number, plan.issuing_body, plan.period) == (
        "H1/2024-1",
        "测试街道",
        ("quarter", 1),
    )
    assert [(s.name, [t.sequence for t in s.tasks]) for s in plan.sections] == [
        ("经济发展", [1, 2]),
        ("民生保障", [3]),
    ]
    assert [(t.category, t.content, t.progress) for t in plan.tasks] == [
        ("招商引资", "新增企业5家。", "已新增2家。\n正在洽谈3家。"),
        ("科技创新", "研发投入增长5%以上。", "同比增长3%。"),
        ("养老服务", "新增床位20张。", ""),
    ]


def test_html_section_rows_spanning_the_table():
    html = """<table><tr><td>序号</td><td>任务类别</td><td>任务内容</td><td>进展情况</td></tr>
    <tr><td colspan="4">一、经济发展</td></tr>
    <tr><td>1</td><td>招商</td><td>新增企业5家。</td><td>进行中。</td></tr>
    <tr><td colspan="4">二、社会治理</td></tr>
    <tr><td>2</td><td>平安</td><td>新增充电桩300孔。</td><td>已完成。</td></tr></table>"""
    plan = parse_file("t.htm", html.encode())
    assert [(s.name, [t.content for t in s.tasks]) for s in plan.sections] == [
        ("一、经济发展", ["新增企业5家。"]),
        ("二、社会治理", ["新增充电桩300孔。"]),
    ]


def test_column_set_project_name_spanning_rows_html():
    html = """<table><tr><th>项目名称</th><th>项目内容</th><th>进展情况</th></tr>
    <tr><td rowspan="2">未来社区</td><td>增设公共停车位350个。</td><td>已完成200个。</td></tr>
    <tr><td>加装电梯10台。</td><td>已加装3台。</td></tr>
    <tr><td>河道提升</td><td>河道整治2条。</td><td>方案完成。</td></tr></table>"""
    plan = parse_file("p.html", html.encode())
    assert plan.columns == ["项目名称", "项目内容", "进展情况"]
    assert [(t.sequence, t.category, t.content, t.progress) for t in plan.tasks] == [
        (1, "未来社区", "增设公共停车位350个。", "已完成200个。"),
        (2, "未来社区", "加装电梯10台。", "已加装3台。"),
        (3, "河道提升", "河道整治2条。", "方案完成。"),
    ]


def test_column_set_content_progress_responsible_unit_docx_merged_vertically():
    data = docx_bytes(
        [
            ["序号", "内容与要求", "进展情况", "责任单位"],
            ["1", "新增托位40个。", "已新增20个。", "社区服务办公室"],
            ["2", "新建康养联合体1家。", "选址中。", "社区服务办公室"],
            ["3", "完成安置房分房。", "计划11月完成。", "建设管理办公室"],
        ],
        merge_down=[(3, 1, 2)],
        before=["测试街道2024年第二季度重点工作进展情况"],
    )
    plan = parse_file("units.docx", data)
    assert plan.source_format == "docx"
    assert plan.title == "测试街道2024年第二季度重点工作进展情况"
    assert [(t.sequence, t.content, t.progress, t.lead_unit) for t in plan.tasks] == [
        (1, "新增托位40个。", "已新增20个。", "社区服务办公室"),
        (2, "新建康养联合体1家。", "选址中。", "社区服务办公室"),
        (3, "完成安置房分房。", "计划11月完成。", "建设管理办公室"),
    ]


def test_column_set_lead_leader_and_unit_xlsx_merged():
    data = xlsx_bytes(
        [
            ["测试街道2024年重点工作任务清单"],
            ["序号", "重点工作任务", "牵头领导", "牵头单位", "完成时限"],
            [1, "新增公共停车位350个", "王主任", "城市综合管理队", "2024年6月底"],
            [2, "完成4个微型消防站建设", None, "平安办", "2024-09-30"],
            [3, "开展文体活动200场以上", "李书记", "社区服务办公室", "年底"],
        ],
        merges=["A1:E1", "C3:C4"],
    )
    plan = parse_file("leaders.xlsx", data)
    assert plan.source_format == "xlsx"
    assert plan.title == "测试街道2024年重点工作任务清单"
    assert [
        (t.sequence, t.content, t.lead_leader, t.lead_unit, t.deadline) for t in plan.tasks
    ] == [
        (1, "新增公共停车位350个", "王主任", "城市综合管理队", date(2024, 6, 30)),
        (2, "完成4个微型消防站建设", "王主任", "平安办", date(2024, 9, 30)),
        (3, "开展文体活动200场以上", "李书记", "社区服务办公室", date(2024, 12, 31)),
    ]


def test_xlsx_merged_section_and_header():
    data = xlsx_bytes(
        [
            ["序号", "任务类别", None, "任务内容", "工作举措与完成情况"],
            [1, "创新生态构建", "企业科技创新", "新增科技备案企业5家以上。", "已新增3家。"],
            [2, None, "重点项目建设", "完成4家企业数字化改造。", "已完成2家。"],
            [3, "现代城区建设", "河道提升", "整治河道2条。", "方案完成。"],
        ],
        merges=["B1:C1", "B2:B3"],
    )
    plan = parse_file("merged.xlsx", data)
    assert [(s.name, [t.category for t in s.tasks]) for s in plan.sections] == [
        ("创新生态构建", ["企业科技创新", "重点项目建设"]),
        ("现代城区建设", ["河道提升"]),
    ]


def test_unknown_extra_column_is_reported_not_fatal():
    html = "<table><tr><th>序号</th><th>任务内容</th><th>备注</th></tr><tr><td>1</td><td>甲。</td><td>x</td></tr></table>"
    plan = parse_file("x.html", html.encode())
    assert plan.problems == ["无法识别“备注”列，已忽略。"]


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.txt", b"", "empty_file"),
        ("blank.txt", b" \n\n ", "empty_file"),
        (
            "people.html",
            "<table><tr><th>姓名</th><th>电话</th></tr><tr><td>张三</td><td>1</td></tr></table>".encode(),
            "unknown_columns",
        ),
        ("notes.txt", "今天开会。\n明天检查。".encode(), "unknown_columns"),
        ("broken.docx", b"PK\x03\x04 this is not a zip", "corrupt_file"),
        ("broken.xlsx", b"PK\x03\x04 this is not a zip", "corrupt_file"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "unsupported_format"),
        (
            "header-only.html",
            "<table><tr><th>序号</th><th>任务内容</th></tr></table>".encode(),
            "no_tasks",
        ),
    ],
)
def test_malformed_files_are_refused_with_a_clear_error(name, data, code):
    with pytest.raises(InvalidInput) as raised:
        parse_file(name, data)
    assert raised.value.code == code
    assert raised.value.field == "file"


def test_a_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InvalidInput) as raised:
        parse_file("fake.docx", buffer.getvalue())
    assert raised.value.code == "corrupt_file"


@override_settings(SUPERVISION_IMPORT_MAX_BYTES=1024)
def test_files_over_the_size_limit_are_refused(seed_bytes):
    with pytest.raises(InvalidInput) as raised:
        parse_file("003.txt", seed_bytes)
    assert raised.value.code == "too_large"
    assert str(raised.value.message) == "文件大小为 0.0 MB，可导入的文件最大为 0.0 MB。"


def test_duplicate_task_numbers_are_refused():
    html = "<table><tr><th>序号</th><th>任务内容</th></tr><tr><td>1</td><td>甲。</td></tr><tr><td>1</td><td>乙。</td></tr></table>"
    with pytest.raises(InvalidInput) as raised:
        parse_file("dup.html", html.encode())
    assert raised.value.code == "duplicate_sequence"


def test_gb18030_text_is_read(seed_bytes):
    plan = parse_file("003-gbk.txt", seed_bytes.decode().encode("gb18030"))
    assert len(plan.tasks) == 19


def test_import_tasks_dry_run_json_prints_the_parsed_plan_and_writes_nothing(db, capsys):
    from jiedao.supervision.models import Plan

    call_command("import_tasks", str(SEED), "--dry-run", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["task_count"] == 19
    assert [section["name"] for section in data["sections"]] == SECTIONS
    assert data["sections"][3]["tasks"][4]["progress"] == TASK_19_PROGRESS
    assert data["period"] == {"kind": "quarter", "number": 3}
    assert Plan.objects.count() == 0


# A project table as a district page renders it to text: the breadcrumb, the title, the
# publication line, then one cell per line, the project name written once for its rows.
PROJECT_TEXT = """当前位置：首页 > 政务公开 > 重点工作 > 民生实事
闻堰街道2024年民生实事项目第二季度进展情况
发布日期：2024-07-05 信息来源：闻堰街道
项目名称 项目内容 进展情况
老旧小区改造提升
改造相二、老虎洞等3个小区，惠及居民1200户。
相二小区已完工，老虎洞小区完成管网改造60%。
加装电梯10台，优先考虑高龄、残疾住户。
已完成加装4台，在建3台。
新增公共停车位350个。
已完成施工图设计，计划8月开工。
婴幼儿照护服务
新增普惠托位40个，创建示范型婴幼儿成长驿站1个。
南岸社区新增备案托位40个，驿站已通过验收。
扫一扫在手机打开当前页
"""
PROJECT_TASKS = [
    (
        1,
        "老旧小区改造提升",
        "改造相二、老虎洞等3个小区，惠及居民1200户。",
        "相二小区已完工，老虎洞小区完成管网改造60%。",
    ),
    (2, "老旧小区改造提升", "加装电梯10台，优先考虑高龄、残疾住户。", "已完成加装4台，在建3台。"),
    (3, "老旧小区改造提升", "新增公共停车位350个。", "已完成施工图设计，计划8月开工。"),
    (
        4,
        "婴幼儿照护服务",
        "新增普惠托位40个，创建示范型婴幼儿成长驿站1个。",
        "南岸社区新增备案托位40个，驿站已通过验收。",
    ),
]


def test_column_set_project_name_in_plain_text_one_cell_per_line():
    plan = parse_file("minsheng.txt", PROJECT_TEXT.encode())
    assert plan.problems == []
    assert plan.columns == ["项目名称", "项目内容", "进展情况"]
    assert [(s.name, len(s.tasks)) for s in plan.sections] == [("", 4)]
    assert [(t.sequence, t.category, t.content, t.progress) for t in plan.tasks] == PROJECT_TASKS


def test_column_set_project_name_in_plain_text_copied_as_tab_separated_rows():
    # A browser copies each row on a line, cells separated by tabs; a merged 项目名称
    # appears only on its first row.
    header, body = PROJECT_TEXT.split("项目名称 项目内容 进展情况\n")
    lines = body.splitlines()
    rows = [
        "\t".join(lines[0:3]), "\t".join(lines[3:5]), "\t".join(lines[5:7]),
        "\t".join(lines[7:10]), lines[10],
    ]  # fmt: skip
    text = header + "项目名称\t项目内容\t进展情况\n" + "\n".join(rows)
    plan = parse_file("minsheng.txt", text.encode())
    assert [(t.sequence, t.category, t.content, t.progress) for t in plan.tasks] == PROJECT_TASKS


def test_breadcrumb_is_not_taken_as_the_title():
    plan = parse_file("minsheng.txt", PROJECT_TEXT.encode())
    assert plan.title == "闻堰街道2024年民生实事项目第二季度进展情况"
    assert (plan.year, plan.period) == (2024, ("quarter", 2))
    assert plan.published_at == datetime(2024, 7, 5, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize(
    "breadcrumb",
    [
        "当前位置:首页",
        "当前位置：首页 > 政务公开 > 计划总结",
        "您现在的位置：首页 > 信息公开",
        "首页 > 政务公开",
    ],
)
def test_breadcrumbs_of_each_form_are_skipped(seed_bytes, breadcrumb):
    plan = parse_file("003.txt", breadcrumb.encode() + b"\n" + seed_bytes)
    assert plan.title == (
        "杭州市萧山区人民政府闻堰街道办事处2023年《政府工作报告》第三季度重点任务执行情况"
    )
    assert len(plan.tasks) == 19


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "改造相二、老虎洞等3个小区，惠及居民1200户。\n相二小区已完工。\n",
            "表格第一行须以“项目名称”开头，实际为“改造相二、老虎洞等3个小区，惠及居民1200户。”。",
        ),
        (
            "老旧小区改造提升\n改造3个小区。\n已完工。\n新增公共停车位350个。\n",
            "“老旧小区改造提升”下的“新增公共停车位350个。”之后缺少“进展情况”。",
        ),
        ("老旧小区改造提升\n", "“老旧小区改造提升”之后缺少“项目内容”。"),
    ],
)
def test_project_text_that_cannot_be_read_is_refused_naming_the_cell(body, message):
    with pytest.raises(InvalidInput) as raised:
        parse_file("minsheng.txt", ("项目名称\n项目内容\n进展情况\n" + body).encode())
    assert str(raised.value.message) == message
    assert raised.value.field == "file"
