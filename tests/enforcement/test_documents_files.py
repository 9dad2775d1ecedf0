"""The case documents: each one's text read back from Word and PDF, the A4 page, the number on
it, the states that refuse a document, the masking of a person's ID number, and who may
download."""

from datetime import date, datetime, time
from io import BytesIO

import docx
import pytest
from pypdf import PdfReader

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from jiedao.core.localtime import local_today, local_zone
from jiedao.enforcement import services
from jiedao.enforcement.models import Case, CaseDocument, DocumentCounter, Target
from jiedao.enforcement.services.documents import case_document_file
from tests.roles import ALL_ROLES

DOWNLOADERS = {"enforcement_officer", "supervisor", "administrator"}
SHOP = "（示例数据）杭州萧山闻堰小吃店01"
OFFICE = "萧山区人民政府闻堰街道办事处"
PARTY = [
    "当事人：（示例数据）杭州萧山闻堰小吃店01",
    "统一社会信用代码：923301098478490853",
    "住所（经营场所）：杭州市萧山区闻堰街道闻兴路1号",
]
VIOLATION = "《浙江省城市市容和环境卫生管理条例》第二十二条"


def local(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=local_zone())


def shop() -> Target:
    return Target.objects.filter(kind="business").order_by("pk").first()


def closed_case(target: Target | None = None) -> Case:
    """A fined case from its lead (4 March 2024) to 结案 (15 April 2024), back-dated."""
    target = target or shop()
    case = services.case_open(
        actor=SYSTEM,
        title="店外经营案",
        target_id=target.pk,
        department_id=target.subdistrict.departments.get(code="enforcement").pk,
        now=local(date(2024, 3, 4)),
    )

    def move(action: str, day: date, **inputs: object) -> Case:
        return services.case_transition(
            actor=SYSTEM, case_id=case.pk, action=action, now=local(day), **inputs
        )

    move("file", date(2024, 3, 5), occurred_on=date(2024, 3, 1))
    move(
        "submit_review",
        date(2024, 3, 12),
        facts="在闻兴路1号店外占道经营",
        basis="《浙江省城市市容和环境卫生管理条例》第二十二条",
        proposed_fine="500",
    )
    move("approve", date(2024, 3, 14), note="同意")
    move("decide", date(2024, 3, 25), outcome="penalty", penalty_kind="fine", fine="500")
    move("serve", date(2024, 3, 26))
    move("execute", date(2024, 4, 8), paid_on=date(2024, 4, 8))
    return move("close", date(2024, 4, 15), note="罚款已缴清")


def docx_lines(content: bytes) -> list[str]:
    """The Word document's text in order: each paragraph, each row of a table as label｜value."""
    document = docx.Document(BytesIO(content))
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            lines += ["｜".join(cell.text for cell in row.cells) for row in block.rows]
        elif block.text:
            lines.append(block.text)
    return lines


def pdf_text(content: bytes) -> str:
    """The PDF's text, every page, without the breaks and spaces the layout puts in."""
    reader = PdfReader(BytesIO(content))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def squeezed(lines: list[str]) -> str:
    return "".join("".join(line.replace("｜", "").split()) for line in lines)


def documents_state() -> tuple[int, ...]:
    return (
        CaseDocument.objects.count(),
        sum(DocumentCounter.objects.values_list("last", flat=True)),
        Case.objects.exclude(decision_number="").count(),
        AuditEntry.objects.count(),
    )


def expected(kind: str) -> list[str]:
    today = local_today()
    return {
        "filing": [
            OFFICE,
            "立案审批表",
            "萧闻综执立〔2024〕1号",
            *PARTY,
            "案件名称｜店外经营案",
            "案件来源｜线索",
            "承办部门｜综合行政执法队",
            "线索受理时间｜2024年3月4日",
            "违法行为发生时间｜2024年3月1日",
            "立案时间｜2024年3月5日",
            "简要案情｜在闻兴路1号店外占道经营",
            "立案意见",
            (
                "经初步核实，当事人涉嫌违法，依据《中华人民共和国行政处罚法》第五十四条第二款的规定，"
                "予以立案调查。"
            ),
            OFFICE,
            "2024年3月5日",
            "（印章）",
        ],
        "correction": [
            OFFICE,
            "责令（限期）改正通知书",
            f"萧闻综执改〔{today.year}〕1号",
            f"{SHOP}：",
            *PARTY,
            f"经查，你（单位）在闻兴路1号店外占道经营。上述行为违反了{VIOLATION}的规定。",
            (
                "依据《中华人民共和国行政处罚法》第二十八条第一款的规定，现责令你（单位）立即改正上述"
                "违法行为。"
            ),
            "逾期不改正的，本机关将依法处理。",
            OFFICE,
            f"{today.year}年{today.month}月{today.day}日",
            "（印章）",
        ],
        "notice": [
            OFFICE,
            "行政处罚事先告知书",
            "萧闻综执告〔2024〕1号",
            f"{SHOP}：",
            *PARTY,
            f"经查，你（单位）在闻兴路1号店外占道经营。上述行为违反了{VIOLATION}的规定。",
            f"依据{VIOLATION}的规定，本机关拟对你（单位）作出如下行政处罚：罚款人民币500元。",
            (
                "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）有权进行陈述"
                "和申辩。你（单位）可在收到本告知书之日起三日内向本机关提出陈述、申辩意见，逾期未提出"
                "的，视为放弃上述权利。"
            ),
            OFFICE,
            "2024年3月14日",
            "（印章）",
        ],
        "decision": [
            OFFICE,
            "行政处罚决定书",
            "萧闻综执罚〔2024〕1号",
            f"{SHOP}：",
            *PARTY,
            f"经查，当事人在闻兴路1号店外占道经营。上述行为违反了{VIOLATION}的规定。",
            (
                "本机关于2024年3月14日告知当事人拟作出的行政处罚决定及其事实、理由、依据，并告知"
                "当事人依法享有的陈述、申辩权利。"
            ),
            f"依据{VIOLATION}的规定，本机关决定对当事人作出如下行政处罚：罚款人民币500元。",
            (
                "当事人应当自收到本决定书之日起15日内缴纳罚款。到期不缴纳罚款的，本机关可以依据"
                "《中华人民共和国行政处罚法》第七十二条第一款第一项的规定，每日按罚款数额的百分之三"
                "加处罚款，加处罚款的数额不超过罚款的数额。"
            ),
            "救济途径",
            (
                "当事人如不服本决定，可以在收到本决定书之日起六十日内向萧山区人民政府申请行政复议，"
                "也可以在收到本决定书之日起六个月内依法向人民法院提起行政诉讼。行政复议或者行政诉讼"
                "期间，本决定不停止执行。"
            ),
            OFFICE,
            "2024年3月25日",
            "（印章）",
        ],
        "closing": [
            OFFICE,
            "结案报告",
            "萧闻综执结〔2024〕1号",
            *PARTY,
            "案件名称｜店外经营案",
            "承办部门｜综合行政执法队",
            "立案时间｜2024年3月5日",
            "决定书文号｜萧闻综执罚〔2024〕1号",
            "决定时间｜2024年3月25日",
            "处理结果｜给予罚款人民币500元的行政处罚",
            "送达时间｜2024年3月26日",
            "执行情况｜2024年4月8日缴纳罚款人民币500元",
            "结案时间｜2024年4月15日",
            "结案意见",
            "案件已办理完毕，符合结案条件，予以结案。",
            OFFICE,
            "2024年4月15日",
            "（印章）",
        ],
    }[kind]


@pytest.mark.parametrize("kind", ["filing", "correction", "notice", "decision", "closing"])
def test_each_document_reads_back_the_same_from_word_and_pdf(users, kind):
    officer = users["enforcement_officer"]
    case = closed_case()

    word = case_document_file(actor=officer, case_id=case.pk, kind=kind, file_format="docx")
    pdf = case_document_file(actor=officer, case_id=case.pk, kind=kind, file_format="pdf")

    assert (word.number, pdf.number) == (expected(kind)[2], expected(kind)[2])
    assert docx_lines(word.content) == expected(kind)
    assert pdf_text(pdf.content) == squeezed(expected(kind))


def test_the_layout_is_a4_with_the_official_fonts_and_the_pdf_embeds_its_font(users):
    officer = users["enforcement_officer"]
    case = closed_case()

    word = case_document_file(actor=officer, case_id=case.pk, kind="decision", file_format="docx")
    pdf = case_document_file(actor=officer, case_id=case.pk, kind="decision", file_format="pdf")

    document = docx.Document(BytesIO(word.content))
    section = document.sections[0]
    title, number = document.paragraphs[1], document.paragraphs[2]
    body = document.paragraphs[7].runs[0]
    east_asian = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    page = PdfReader(BytesIO(pdf.content)).pages[0]
    assert (
        round(section.page_width.mm),
        round(section.page_height.mm),
        title.alignment,
        title.runs[0].bold,
        title.runs[0].font.size.pt,
        title.runs[0]._element.rPr.rFonts.get(east_asian),
        number.text,
        number.alignment,
        body._element.rPr.rFonts.get(east_asian),
        body.font.size.pt,
    ) == (210, 297, 1, True, 22.0, "宋体", "萧闻综执罚〔2024〕1号", 2, "仿宋", 16.0)
    assert (
        pdf.content[:5],
        round(float(page.mediabox.width), 2),
        round(float(page.mediabox.height), 2),
        b"/FontFile2" in pdf.content,
        pdf.content_type,
        word.filename,
    ) == (
        b"%PDF-",
        595.28,
        841.89,
        True,
        "application/pdf",
        "行政处罚决定书-萧闻综执罚〔2024〕1号.docx",
    )


def test_a_decision_not_to_punish_has_its_own_title_and_series(users):
    case = services.case_open(
        actor=SYSTEM,
        title="店外经营案",
        target_id=shop().pk,
        department_id=users["enforcement_officer"].department_id,
        needs_review=False,
        now=local(date(2024, 5, 6)),
    )
    for action, inputs in [
        ("file", {"occurred_on": date(2024, 5, 5)}),
        ("notify", {"facts": "在闻兴路1号店外占道经营", "basis": VIOLATION}),
        ("decide", {"outcome": "no_penalty"}),
    ]:
        services.case_transition(
            actor=SYSTEM, case_id=case.pk, action=action, now=local(date(2024, 5, 7)), **inputs
        )

    word = case_document_file(
        actor=users["supervisor"], case_id=case.pk, kind="decision", file_format="docx"
    )

    assert docx_lines(word.content)[1:3] + docx_lines(word.content)[9:10] == [
        "不予行政处罚决定书",
        "萧闻综执不罚〔2024〕1号",
        (
            "鉴于当事人的违法行为轻微并及时改正，没有造成危害后果，依据《中华人民共和国行政处罚法》"
            "第三十三条第一款的规定，本机关决定对当事人不予行政处罚。"
        ),
    ]


def test_downloading_again_keeps_the_number_and_writes_nothing(users):
    officer = users["enforcement_officer"]
    case = closed_case()
    first = case_document_file(actor=officer, case_id=case.pk, kind="notice", file_format="pdf")
    before = documents_state()

    again = case_document_file(actor=officer, case_id=case.pk, kind="notice", file_format="docx")
    by_another = case_document_file(
        actor=users["supervisor"], case_id=case.pk, kind="notice", file_format="pdf"
    )

    assert (first.number, again.number, by_another.number, documents_state()) == (
        "萧闻综执告〔2024〕1号",
        "萧闻综执告〔2024〕1号",
        "萧闻综执告〔2024〕1号",
        before,
    )


def test_a_document_the_case_has_not_reached_is_refused_and_nothing_is_written(users):
    officer = users["enforcement_officer"]
    lead = services.case_open(actor=officer, title="占道经营", target_id=shop().pk)
    before = documents_state()

    refusals = []
    for kind in ("filing", "correction", "notice", "decision", "closing"):
        with pytest.raises(Conflict) as refused:
            case_document_file(actor=officer, case_id=lead.pk, kind=kind, file_format="pdf")
        refusals.append((refused.value.status, str(refused.value.message)))

    assert refusals == [
        (409, "案件处于“线索”，尚无立案审批表。"),
        (409, "案件处于“线索”，尚无责令（限期）改正通知书。"),
        (409, "案件处于“线索”，尚无行政处罚事先告知书。"),
        (409, "案件处于“线索”，尚无行政处罚决定书。"),
        (409, "案件处于“线索”，尚无结案报告。"),
    ]
    assert documents_state() == before


def test_a_case_sent_to_the_judicial_organs_has_no_decision(users):
    case = services.case_open(
        actor=SYSTEM,
        title="占道经营",
        target_id=shop().pk,
        department_id=users["enforcement_officer"].department_id,
        needs_review=False,
    )
    services.case_transition(
        actor=SYSTEM, case_id=case.pk, action="file", occurred_on=local_today()
    )
    services.case_transition(
        actor=SYSTEM, case_id=case.pk, action="notify", facts="占道经营", basis=VIOLATION
    )
    services.case_transition(actor=SYSTEM, case_id=case.pk, action="decide", outcome="transfer")
    before = documents_state()

    with pytest.raises(Conflict) as refused:
        case_document_file(
            actor=users["enforcement_officer"], case_id=case.pk, kind="decision", file_format="docx"
        )

    assert (str(refused.value.message), documents_state()) == (
        "案件处于“已决定”，尚无行政处罚决定书。",
        before,
    )


def test_an_unknown_document_or_format_is_refused_naming_it(users):
    officer = users["enforcement_officer"]
    case = closed_case()
    before = documents_state()

    with pytest.raises(NotFound) as unknown:
        case_document_file(actor=officer, case_id=case.pk, kind="warrant", file_format="pdf")
    with pytest.raises(InvalidInput) as bad_format:
        case_document_file(actor=officer, case_id=case.pk, kind="decision", file_format="odt")

    assert (
        unknown.value.status,
        str(bad_format.value.message),
        bad_format.value.field,
        documents_state(),
    ) == (404, "文件格式：请选择 Word（docx）或 PDF（pdf）。", "format", before)


def test_a_persons_id_number_shows_in_full_only_on_the_officers_served_documents(users):
    officer = users["enforcement_officer"]
    person = services.target_create(
        actor=officer,
        kind="person",
        name="赵测试",
        id_number="11010519491231002x",
        trade="流动摊贩",
    )
    case = closed_case(person)

    def identity(actor: object, kind: str) -> str:
        document = case_document_file(actor=actor, case_id=case.pk, kind=kind, file_format="docx")
        return next(line for line in docx_lines(document.content) if line.startswith("公民身份"))

    assert [
        identity(officer, "decision"),
        identity(officer, "notice"),
        identity(SYSTEM, "decision"),
        identity(users["supervisor"], "decision"),
        identity(users["administrator"], "correction"),
        identity(officer, "filing"),
        identity(officer, "closing"),
    ] == [
        "公民身份号码：11010519491231002X",
        "公民身份号码：11010519491231002X",
        "公民身份号码：11010519491231002X",
        "公民身份号码：110105********002X",
        "公民身份号码：110105********002X",
        "公民身份号码：110105********002X",
        "公民身份号码：110105********002X",
    ]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_download_and_a_refusal_writes_nothing(users, role):
    case = closed_case()
    before = documents_state()

    try:
        number = case_document_file(
            actor=users[role], case_id=case.pk, kind="filing", file_format="docx"
        ).number
    except (NotFound, Forbidden) as refusal:
        number = str(refusal.status)

    if role in DOWNLOADERS:
        assert (number, documents_state()[0]) == ("萧闻综执立〔2024〕1号", before[0] + 1)
    else:
        assert (number, documents_state()) == ("403", before)
