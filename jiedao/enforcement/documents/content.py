"""What each case document says, as plain data that both renderers (Word and PDF) lay out, so
that the two formats cannot drift apart.

The documents are official forms of a Chinese authority: their wording is the forms' own and is
Chinese whatever the reader's language, as printed and served. Which document a case has depends
on the steps it has taken (:func:`available`); a document's number comes from
:mod:`jiedao.enforcement.numbering` and is issued before its content is built.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings

from jiedao.core.localtime import local_zone
from jiedao.core.pii import mask_id_number

from .. import clocks
from ..models import Case, CaseDocument, DocumentKind, Target
from ..numbering import document_date
from ..workflow_cases import CaseSource, Outcome, PenaltyKind, Procedure

TITLES = {
    DocumentKind.FILING: "立案审批表",
    DocumentKind.CORRECTION: "责令（限期）改正通知书",
    DocumentKind.NOTICE: "行政处罚事先告知书",
    DocumentKind.DECISION: "行政处罚决定书",
    DocumentKind.CLOSING: "结案报告",
}
NO_PENALTY_TITLE = "不予行政处罚决定书"
# The documents served on the party: theirs to keep, so they name the party fully.
SERVED = frozenset({DocumentKind.CORRECTION, DocumentKind.NOTICE, DocumentKind.DECISION})
DEFAULT_AUTHORITY = "{district}人民政府{subdistrict}办事处"
DEFAULT_REVIEW_BODY = "{district}人民政府"
LAW = "《中华人民共和国行政处罚法》"


@dataclass(frozen=True)
class Line:
    """One label and its value: a row of a form, or a line of the parties' block."""

    label: str
    value: str


@dataclass(frozen=True)
class Section:
    """A part of a document: an optional heading, rows of a form, then paragraphs of text."""

    heading: str = ""
    lines: tuple[Line, ...] = ()
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentContent:
    kind: str
    authority: str
    title: str
    number: str
    # The party the document is addressed to ("XX："), for the documents served on it.
    addressee: str
    parties: tuple[Line, ...]
    sections: tuple[Section, ...]
    signature: str
    dated: date
    seal: str = "（印章）"

    @property
    def date_text(self) -> str:
        return chinese_date(self.dated)

    def all_text(self) -> str:
        """Every character the document prints (the PDF's font is cut to these)."""
        parts = [self.authority, self.title, self.number, self.addressee, self.signature]
        parts += [self.seal, self.date_text]
        for line in self.parties:
            parts += [line.label, line.value]
        for section in self.sections:
            parts.append(section.heading)
            for line in section.lines:
                parts += [line.label, line.value]
            parts.extend(section.paragraphs)
        return "".join(parts) + "：（）、。"

    def text_lines(self) -> list[str]:
        """The document's text in reading order, one entry a line: what both renderers print."""
        lines = [self.authority, self.title, self.number]
        if self.addressee:
            lines.append(f"{self.addressee}：")
        lines += [f"{line.label}：{line.value}" for line in self.parties]
        for section in self.sections:
            if section.heading:
                lines.append(section.heading)
            lines += [f"{line.label}：{line.value}" for line in section.lines]
            lines += list(section.paragraphs)
        lines += [self.signature, self.date_text, self.seal]
        return [line for line in lines if line]


def chinese_date(day: date | datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = day.astimezone(local_zone()).date()
    return f"{day.year}年{day.month}月{day.day}日"


def yuan(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    whole = amount == amount.to_integral_value()
    return f"人民币{amount:.0f}元" if whole else f"人民币{amount:.2f}元"


def authority(case: Case) -> str:
    """处罚机关: since the 大综合一体化 reform the subdistrict office decides in its own name."""
    pattern = getattr(settings, "ENFORCEMENT_AUTHORITY", DEFAULT_AUTHORITY)
    subdistrict = case.subdistrict
    return str(pattern).format(district=subdistrict.district_name, subdistrict=subdistrict.name)


def review_body(case: Case) -> str:
    """Where the party may apply for 行政复议: the district's government."""
    pattern = getattr(settings, "ENFORCEMENT_REVIEW_BODY", DEFAULT_REVIEW_BODY)
    return str(pattern).format(district=case.subdistrict.district_name)


def available(case: Case) -> dict[str, bool]:
    """Which documents the case's steps so far allow: the filing form once 立案 (the simple
    procedure files no case), the order to correct once the facts or a finding are known, the
    notice once 告知, the decision once decided by this office (a transfer to the judicial organs
    is not), the closing report once 结案."""
    return {
        DocumentKind.FILING: case.procedure == Procedure.GENERAL and case.filed_at is not None,
        DocumentKind.CORRECTION: bool(case.facts) or case.rectification_id is not None,
        DocumentKind.NOTICE: case.notified_at is not None,
        DocumentKind.DECISION: case.decided_at is not None
        and case.outcome in (Outcome.PENALTY, Outcome.NO_PENALTY),
        DocumentKind.CLOSING: case.closed_at is not None,
    }


def parties(target: Target, *, full_id: bool) -> tuple[Line, ...]:
    """当事人 and what identifies it: a business by its credit code, a person by the ID number
    (masked unless ``full_id``)."""
    if target.kind == Target.Kind.BUSINESS:
        return (
            Line("当事人", target.name),
            Line("统一社会信用代码", target.credit_code or "—"),
            Line("住所（经营场所）", target.address or "—"),
        )
    number = target.id_number if full_id else mask_id_number(target.id_number)
    return (
        Line("当事人", target.name),
        Line("公民身份号码", number or "—"),
        Line("住址", target.address or "—"),
    )


def penalty_text(case: Case, *, proposed: bool = False) -> str:
    if proposed:
        return f"罚款{yuan(case.proposed_fine)}" if case.proposed_fine else "警告"
    if case.penalty_kind == PenaltyKind.FINE:
        return f"罚款{yuan(case.fine)}"
    return "警告"


def _violation(case: Case) -> str:
    facts = case.facts or (case.rectification.description if case.rectification else "")
    sentence = f"经查，你（单位）{facts.rstrip('。')}。"
    if case.basis:
        sentence += f"上述行为违反了{case.basis}的规定。"
    return sentence


def _filing(case: Case, document: CaseDocument) -> tuple[Section, ...]:
    source = {
        CaseSource.LEAD: "线索",
        CaseSource.EVENT: f"事件{case.event.number if case.event else ''}",
        CaseSource.RECTIFICATION: "行政检查发现",
    }[CaseSource(case.source)]
    return (
        Section(
            lines=(
                Line("案件名称", case.title),
                Line("案件来源", source),
                Line("承办部门", case.department.name),
                Line("线索受理时间", chinese_date(case.lead_at)),
                Line("违法行为发生时间", chinese_date(case.occurred_on)),
                Line("立案时间", chinese_date(case.filed_at)),
                Line("简要案情", case.facts or "待调查取证"),
            )
        ),
        Section(
            heading="立案意见",
            paragraphs=(
                f"经初步核实，当事人涉嫌违法，依据{LAW}第五十四条第二款的规定，予以立案调查。",
            ),
        ),
    )


def _correction(case: Case, document: CaseDocument) -> tuple[Section, ...]:
    finding = case.rectification
    by = (
        f"于{chinese_date(finding.deadline)}前"
        if finding is not None and finding.deadline > document.issued_at
        else "立即"
    )
    return (
        Section(
            paragraphs=(
                _violation(case),
                f"依据{LAW}第二十八条第一款的规定，现责令你（单位）{by}改正上述违法行为。",
                "逾期不改正的，本机关将依法处理。",
            )
        ),
    )


def _notice(case: Case, document: CaseDocument) -> tuple[Section, ...]:
    paragraphs = [
        _violation(case),
        (
            f"依据{case.basis or '相关法律、法规'}的规定，本机关拟对你（单位）作出如下行政处罚："
            f"{penalty_text(case, proposed=True)}。"
        ),
        (
            f"根据{LAW}第四十四条、第四十五条的规定，你（单位）有权进行陈述和申辩。"
            "你（单位）可在收到本告知书之日起三日内向本机关提出陈述、申辩意见，"
            "逾期未提出的，视为放弃上述权利。"
        ),
    ]
    if clocks.hearing_qualifies(case, case.proposed_fine):
        days, _working = clocks.clock_rule("hearing_request")
        paragraphs.append(
            f"根据{LAW}第六十三条、第六十四条的规定，你（单位）有权要求听证。如要求听证，"
            f"应当在收到本告知书之日起{days}个工作日内向本机关提出，逾期视为放弃听证。"
        )
    return (Section(paragraphs=tuple(paragraphs)),)


def _decision(case: Case, document: CaseDocument) -> tuple[Section, ...]:
    paragraphs = [_violation(case).replace("你（单位）", "当事人")]
    if case.procedure == Procedure.GENERAL and case.notified_at is not None:
        told = (
            f"本机关于{chinese_date(case.notified_at)}告知当事人拟作出的行政处罚决定"
            "及其事实、理由、依据，并告知当事人依法享有的陈述、申辩"
        )
        told += "、听证权利。" if clocks.hearing_qualifies(case, case.proposed_fine) else "权利。"
        if case.hearing_on is not None:
            told += f"应当事人要求，本机关于{chinese_date(case.hearing_on)}依法举行了听证。"
        paragraphs.append(told)
    if case.outcome == Outcome.NO_PENALTY:
        paragraphs.append(
            f"鉴于当事人的违法行为轻微并及时改正，没有造成危害后果，依据{LAW}第三十三条"
            "第一款的规定，本机关决定对当事人不予行政处罚。"
        )
    else:
        paragraphs.append(
            f"依据{case.basis or '相关法律、法规'}的规定，本机关决定对当事人作出如下行政处罚："
            f"{penalty_text(case)}。"
        )
        if case.penalty_kind == PenaltyKind.FINE:
            days, _working = clocks.clock_rule("payment")
            paragraphs.append(
                f"当事人应当自收到本决定书之日起{days}日内缴纳罚款。到期不缴纳罚款的，"
                f"本机关可以依据{LAW}第七十二条第一款第一项的规定，每日按罚款数额的百分之三"
                "加处罚款，加处罚款的数额不超过罚款的数额。"
            )
    remedies = (
        f"当事人如不服本决定，可以在收到本决定书之日起六十日内向{review_body(case)}申请"
        "行政复议，也可以在收到本决定书之日起六个月内依法向人民法院提起行政诉讼。"
    )
    if case.outcome == Outcome.PENALTY:
        remedies += "行政复议或者行政诉讼期间，本决定不停止执行。"
    return (
        Section(paragraphs=tuple(paragraphs)),
        Section(heading="救济途径", paragraphs=(remedies,)),
    )


def _closing(case: Case, document: CaseDocument) -> tuple[Section, ...]:
    outcome = (
        {
            Outcome.PENALTY: f"给予{penalty_text(case)}的行政处罚",
            Outcome.NO_PENALTY: "不予行政处罚",
            Outcome.TRANSFER: "移送司法机关",
        }.get(Outcome(case.outcome), "—")
        if case.outcome
        else "—"
    )
    lines = [
        Line("案件名称", case.title),
        Line("承办部门", case.department.name),
        Line("立案时间", chinese_date(case.filed_at) or "—"),
        Line("决定书文号", case.decision_number or "—"),
        Line("决定时间", chinese_date(case.decided_at) or "—"),
        Line("处理结果", outcome),
        Line("送达时间", chinese_date(case.served_at) or "—"),
    ]
    if case.penalty_kind == PenaltyKind.FINE:
        execution = f"{chinese_date(case.paid_on)}缴纳罚款{yuan(case.fine)}"
        if case.surcharge:
            execution += f"，加处罚款{yuan(case.surcharge)}"
        lines.append(Line("执行情况", execution))
    lines.append(Line("结案时间", chinese_date(case.closed_at)))
    return (
        Section(lines=tuple(lines)),
        Section(heading="结案意见", paragraphs=("案件已办理完毕，符合结案条件，予以结案。",)),
    )


BUILDERS: dict[str, Callable[[Case, CaseDocument], tuple[Section, ...]]] = {
    DocumentKind.FILING: _filing,
    DocumentKind.CORRECTION: _correction,
    DocumentKind.NOTICE: _notice,
    DocumentKind.DECISION: _decision,
    DocumentKind.CLOSING: _closing,
}


def title(case: Case, kind: str) -> str:
    if kind == DocumentKind.DECISION and case.outcome == Outcome.NO_PENALTY:
        return NO_PENALTY_TITLE
    return TITLES[DocumentKind(kind)]


def build(case: Case, document: CaseDocument, *, full_id: bool) -> DocumentContent:
    """The content of ``document`` of ``case``; ``full_id`` shows a person's whole ID number."""
    kind = DocumentKind(document.kind)
    office = authority(case)
    return DocumentContent(
        kind=kind.value,
        authority=office,
        title=title(case, kind),
        number=document.number,
        addressee=case.target.name if kind in SERVED else "",
        parties=parties(case.target, full_id=full_id),
        sections=BUILDERS[kind](case, document),
        signature=office,
        dated=document_date(case, document),
    )
