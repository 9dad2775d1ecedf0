"""The public disclosure table of one period, in the layout of Wenyan's published tables:
a header block (索引号, 成文日期, 发布机构, 主题分类), the title, the publication line, and
序号 / 任务类别 (big category and category) / 任务内容 / 工作举措与完成情况."""

from dataclasses import dataclass, field
from typing import Any

from jiedao.accounts.permissions import require
from jiedao.core.localtime import local_time
from jiedao.supervision.models import Period, Plan
from jiedao.supervision.selectors import as_of_for, task_rows

HEADERS = ("序号", "任务类别", "任务内容", "工作举措与完成情况")
INDEX_LABEL = "索 引 号"


@dataclass
class DisclosureRow:
    sequence: int
    section: str
    section_span: int  # rows the section cell covers from here; 0 on the rows it covers
    category: str
    content: str
    progress: str


@dataclass
class DisclosureTable:
    title: str
    index_number: str
    written_on: str
    issuing_body: str
    topic: str
    published: str
    has_sections: bool
    rows: list[DisclosureRow] = field(default_factory=list)

    @property
    def header_block(self) -> list[tuple[str, str, str, str]]:
        return [
            (INDEX_LABEL, self.index_number, "成文日期", self.written_on),
            ("发布机构", self.issuing_body, "主题分类", self.topic),
        ]

    @property
    def publication_line(self) -> str:
        return f"发布日期:{self.published} 信息来源:{self.issuing_body}"

    @property
    def file_stem(self) -> str:
        return self.title.replace("/", "-").replace("\\", "-")[:120] or "disclosure"


def disclosure_title(plan: Plan, period: Period) -> str:
    return plan.title_pattern.replace("{period}", period.chinese_label)


def disclosure_table(*, user: Any, plan: Plan, period: Period) -> DisclosureTable:
    """The table for ``period``: each task with the text of its latest report in the period."""
    require(user, "supervision.export")
    rows = task_rows(user=user, plan=plan, as_of=as_of_for(period), period=period)
    table_rows = [
        DisclosureRow(
            sequence=row.task.sequence,
            section=row.task.section.name if row.task.section else "",
            section_span=1,
            category=row.task.category,
            content=row.task.content,
            progress=row.period_report.text if row.period_report else "",
        )
        for row in rows
    ]
    start = 0
    while start < len(table_rows):
        end = start + 1
        while end < len(table_rows) and table_rows[end].section == table_rows[start].section:
            table_rows[end].section_span = 0
            end += 1
        table_rows[start].section_span = end - start
        start = end
    published = (
        local_time(period.published_at).strftime("%Y-%m-%d %H:%M") if period.published_at else ""
    )
    return DisclosureTable(
        title=disclosure_title(plan, period),
        index_number=period.index_number,
        written_on=period.written_on.isoformat() if period.written_on else "",
        issuing_body=plan.issuing_body or plan.subdistrict.name,
        topic=plan.topic,
        published=published,
        has_sections=any(row.section for row in table_rows),
        rows=table_rows,
    )
