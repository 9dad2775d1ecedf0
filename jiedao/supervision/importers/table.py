"""From rows of cells to a parsed plan: the column sets, the header block, spanning cells.

Every reader (text, HTML, Word, Excel) ends here. Grid readers expand merged cells first, so a
section or category written once for several rows arrives repeated on each of them.
"""

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time

from django.utils.translation import gettext as _

from jiedao.core.errors import InvalidInput
from jiedao.core.localtime import local_zone
from jiedao.supervision.periods import period_bounds

from .parsed import ParsedPlan, ParsedSection, ParsedTask

# Column header (spaces removed) → field. The common column sets are
#   序号/任务类别/任务内容/工作举措与完成情况,  项目名称/项目内容/进展情况,
#   序号/内容与要求/进展情况/责任单位,  序号/重点工作任务/牵头领导/牵头单位.
COLUMN_ALIASES: dict[str, str] = {
    "序号": "sequence",
    "编号": "sequence",
    "大类": "section",
    "板块": "section",
    "领域": "section",
    "任务类别": "category",
    "类别": "category",
    "项目名称": "category",
    "项目": "category",
    "任务内容": "content",
    "项目内容": "content",
    "内容与要求": "content",
    "重点工作任务": "content",
    "工作任务": "content",
    "主要内容": "content",
    "目标任务": "content",
    "工作内容": "content",
    "工作举措与完成情况": "progress",
    "进展情况": "progress",
    "完成情况": "progress",
    "推进情况": "progress",
    "工作进展": "progress",
    "牵头领导": "lead_leader",
    "责任领导": "lead_leader",
    "分管领导": "lead_leader",
    "牵头单位": "lead_unit",
    "责任单位": "lead_unit",
    "牵头部门": "lead_unit",
    "责任部门": "lead_unit",
    "配合单位": "cooperating_units",
    "协办单位": "cooperating_units",
    "参与单位": "cooperating_units",
    "完成时限": "deadline",
    "完成时间": "deadline",
    "时间节点": "deadline",
    "时限": "deadline",
}
COLUMN_SETS = (
    "序号/任务类别/任务内容/工作举措与完成情况",
    "项目名称/项目内容/进展情况",
    "序号/内容与要求/进展情况/责任单位",
    "序号/重点工作任务/牵头领导/牵头单位",
)
# Fields a merged cell writes once for several rows.
SPANNING_FIELDS = ("section", "category", "lead_leader", "lead_unit", "cooperating_units")

# Page furniture of government websites, never part of the table.
CHROME = re.compile(
    r"^(?:分享[:：]?.*|扫一扫在手机打开当前页|打印本页|关闭窗口|【?打印】?|【?关闭】?|"
    r"字号[:：]?.*|\[?\s*大\s*中\s*小\s*\]?|上一篇.*|下一篇.*|"
    # The breadcrumb: 当前位置：首页 > 政务公开 > …, or the trail alone (首页 > …).
    r"(?:当前|您现在的|您的|所在)位置\s*[:：].*|首页\s*[>＞»/].*)$"
)
LABELS = {
    "index_number": re.compile(r"索\s*引\s*号\s*[:：]?\s*([^\s]+)"),
    "written_on": re.compile(
        r"成\s*文\s*日\s*期\s*[:：]?\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
    ),
    "issuing_body": re.compile(r"发\s*布\s*机\s*构\s*[:：]?\s*([^\s]+)"),
    "topic": re.compile(r"主\s*题\s*分\s*类\s*[:：]?\s*([^\s]+)"),
    "published_at": re.compile(
        r"发\s*布\s*日\s*期\s*[:：]?\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})日?"
        r"(?:\s+(\d{1,2}):(\d{2}))?"
    ),
}
METADATA_WORDS = re.compile(
    r"索\s*引\s*号|成\s*文\s*日\s*期|发\s*布\s*机\s*构|主\s*题\s*分\s*类|发\s*布\s*日\s*期|"
    r"访问次数|信息来源|文\s*号"
)
SHORT_CELL_LENGTH = 40
SECTION_NAME_LENGTH = 12


def clean(text: str) -> str:
    """One cell's text: lines stripped, empty lines dropped, paragraphs joined by newlines."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def header_key(text: str) -> str:
    return re.sub(r"\s+", "", text)


def column_field(text: str) -> str | None:
    return COLUMN_ALIASES.get(header_key(text))


def is_chrome(line: str) -> bool:
    return bool(CHROME.match(line.strip()))


def parse_preamble(lines: Iterable[str], plan: ParsedPlan) -> None:
    """Fill the header block of ``plan`` (索引号, 成文日期, 发布机构, 主题分类, title, 发布日期)."""
    for raw in lines:
        line = raw.strip()
        if not line or is_chrome(line):
            continue
        found_label = False
        for name, pattern in LABELS.items():
            match = pattern.search(line)
            if not match:
                continue
            found_label = True
            if name == "written_on":
                plan.written_on = _date(match.groups()[:3])
            elif name == "published_at":
                day = _date(match.groups()[:3])
                if day is not None:
                    hour, minute = match.group(4), match.group(5)
                    clock = time(int(hour), int(minute)) if hour else time(0, 0)
                    plan.published_at = datetime.combine(day, clock, tzinfo=local_zone())
            else:
                setattr(plan, name, match.group(1))
        if not found_label and not METADATA_WORDS.search(line) and not plan.title:
            plan.title = line


def _date(parts: Sequence[str]) -> date | None:
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def parse_deadline(text: str, year: int | None) -> date | None:
    """2023-12-31, 2023年12月底, 12月底, 年底 → a date; None when the text names no date."""
    text = text.strip()
    full = re.search(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", text)
    if full:
        return _date(full.groups())
    month = re.search(r"(?:(\d{4})\s*年)?\s*(\d{1,2})\s*月", text)
    if month and (month.group(1) or year):
        month_year = int(month.group(1) or year or 0)
        number = int(month.group(2))
        if 1 <= number <= 12:
            return period_bounds("month", month_year, number)[1]
    if year and re.search(r"年底|年末|全年", text):
        return date(year, 12, 31)
    return None


def _sequence(text: str) -> int | None:
    match = re.fullmatch(r"[（(]?\s*(\d+)\s*[)）.、]?", text.strip())
    return int(match.group(1)) if match else None


def columns_from_header(headers: Sequence[str], plan: ParsedPlan) -> list[str | None]:
    """The field of each column; a category header spanning two columns (the first being the
    big category) gives a section and a category column."""
    fields: list[str | None] = [column_field(header) for header in headers]
    for index in range(len(fields) - 1):
        if (
            fields[index] == "category"
            and fields[index + 1] == "category"
            and header_key(headers[index]) == header_key(headers[index + 1])
            and "section" not in fields
        ):
            fields[index] = "section"
    seen: set[str] = set()
    for index, (header, field_name) in enumerate(zip(headers, fields, strict=True)):
        if not header_key(header):
            continue
        if field_name is None:
            plan.problems.append(
                _("Column “%(column)s” is not one Jiedao knows; it was ignored.")
                % {"column": header_key(header)}
            )
        elif field_name in seen:
            plan.problems.append(
                _("Column “%(column)s” appears twice; the second was ignored.")
                % {"column": header_key(header)}
            )
            fields[index] = None
        else:
            seen.add(field_name)
    return fields


def is_header(cells: Sequence[str]) -> bool:
    fields = [column_field(cell) for cell in cells if cell]
    known = [field_name for field_name in fields if field_name]
    return "content" in known and len(set(known)) >= 2


def no_header_error(source: str) -> InvalidInput:
    return InvalidInput(
        _(
            "No table with known columns was found in the %(source)s. Jiedao reads tables "
            "whose header is one of: %(sets)s."
        )
        % {"source": source, "sets": "；".join(COLUMN_SETS)},
        code="unknown_columns",
        field="file",
    )


def add_task(plan: ParsedPlan, section_name: str, task: ParsedTask) -> None:
    if not plan.sections or plan.sections[-1].name != section_name:
        plan.sections.append(ParsedSection(name=section_name))
    plan.sections[-1].tasks.append(task)


def finish(plan: ParsedPlan) -> ParsedPlan:
    """Checks every reader shares: some tasks, unique numbers, deadlines read."""
    if not plan.tasks:
        raise InvalidInput(
            _("The table has a header but no task rows."), code="no_tasks", field="file"
        )
    numbers = [task.sequence for task in plan.tasks]
    duplicates = sorted({number for number in numbers if numbers.count(number) > 1})
    if duplicates:
        raise InvalidInput(
            _("Task number %(numbers)s appears more than once; every task needs its own number.")
            % {"numbers": "、".join(str(number) for number in duplicates)},
            code="duplicate_sequence",
            field="file",
        )
    return plan


def build_from_grid(
    rows: Sequence[Sequence[str]],
    *,
    plan: ParsedPlan,
    preamble: Sequence[str] = (),
    source: str,
) -> ParsedPlan:
    """A plan from the rows of a table whose merged cells are already expanded."""
    rows = [[clean(cell) for cell in row] for row in rows]
    header_index = next((i for i, row in enumerate(rows) if is_header(row)), None)
    if header_index is None:
        raise no_header_error(source)
    parse_preamble(
        [*preamble, *(_row_line(row) for row in rows[:header_index])],
        plan,
    )
    headers = rows[header_index]
    fields = columns_from_header(headers, plan)
    plan.columns = [header_key(header) for header in headers if header_key(header)]
    current_section = ""
    next_number = 1
    for row_number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        values = [cell for cell in row if cell]
        if not values or is_header(row):
            continue
        by_field: dict[str, str] = {}
        for cell, field_name in zip(row, fields, strict=False):
            if field_name and cell and field_name not in by_field:
                by_field[field_name] = cell
        if len(set(values)) == 1 and _sequence(values[0]) is None and len(values) > 1:
            # A row spanning the whole table names the section of the rows below it.
            current_section = values[0]
            continue
        content = by_field.get("content", "")
        if not content:
            plan.problems.append(
                _("Row %(row)s has no task content and was skipped: “%(text)s”.")
                % {"row": row_number, "text": " / ".join(values)[:60]}
            )
            continue
        sequence = _sequence(by_field.get("sequence", ""))
        if sequence is None:
            if by_field.get("sequence"):
                plan.problems.append(
                    _("Row %(row)s: “%(value)s” is not a task number; numbered %(number)s.")
                    % {"row": row_number, "value": by_field["sequence"], "number": next_number}
                )
            sequence = next_number
        next_number = sequence + 1
        section_name = by_field.get("section", current_section)
        add_task(plan, section_name, _task(plan, sequence, by_field, row_number))
    return finish(plan)


def _row_line(row: Sequence[str]) -> str:
    seen: list[str] = []
    for cell in row:
        if cell and cell not in seen:
            seen.append(cell)
    return " ".join(seen)


def _task(plan: ParsedPlan, sequence: int, by_field: dict[str, str], row: int) -> ParsedTask:
    deadline = None
    if by_field.get("deadline"):
        deadline = parse_deadline(by_field["deadline"], plan.year)
        if deadline is None:
            plan.problems.append(
                _(
                    "Row %(row)s: the deadline “%(value)s” is not a date; the end of the year is used."
                )
                % {"row": row, "value": by_field["deadline"]}
            )
    return ParsedTask(
        sequence=sequence,
        category=by_field.get("category", ""),
        content=by_field.get("content", ""),
        progress=by_field.get("progress", ""),
        lead_leader=by_field.get("lead_leader", ""),
        lead_unit=by_field.get("lead_unit", ""),
        cooperating_units=by_field.get("cooperating_units", ""),
        deadline=deadline,
    )


def is_short(token: str) -> bool:
    """A name rather than a sentence: categories and sections, not contents."""
    return (
        len(token) <= SHORT_CELL_LENGTH
        and "。" not in token
        and not token.endswith(("；", ";", "！", "？"))
    )


def build_from_tokens(tokens: Sequence[str], *, plan: ParsedPlan) -> ParsedPlan:
    """A plan from plain text where every cell stands on its own line, as web pages copy.

    Rows start at the next task number. A merged cell appears once, on the first row it
    covers: a row with one name more than the header has columns before the content starts a
    section (创新生态构建); a row with fewer names inherits them from the row above. Cells
    beyond the last column are further paragraphs of the last column.
    """
    tokens = [
        token
        for token in (clean(t) for line in tokens for t in _line_cells(line))
        if token and not is_chrome(token)
    ]
    header_start = None
    header_length = 0
    for start in range(len(tokens)):
        length = 0
        while start + length < len(tokens) and column_field(tokens[start + length]):
            length += 1
        if length >= 2 and is_header(tokens[start : start + length]):
            header_start, header_length = start, length
            break
    if header_start is None:
        raise no_header_error(_("text"))
    parse_preamble(tokens[:header_start], plan)
    headers = tokens[header_start : header_start + header_length]
    known = [
        (header_key(header), field_name)
        for header, field_name in zip(headers, columns_from_header(headers, plan), strict=True)
        if field_name
    ]
    fields = [field_name for _label, field_name in known]
    plan.columns = [header_key(header) for header in headers]
    if fields[0] in SPANNING_FIELDS and "sequence" not in fields:
        return _build_from_named_groups(tokens[header_start + header_length :], known, plan)
    if fields[0] != "sequence":
        raise InvalidInput(
            _("A plain-text table needs 序号 as its first column, so that rows can be told apart."),
            code="unknown_columns",
            field="file",
        )
    fields = fields[1:]
    rows: list[tuple[int, list[str]]] = []
    for token in tokens[header_start + header_length :]:
        number = _sequence(token) if token.isdigit() else None
        expected = rows[-1][0] + 1 if rows else None
        if number is not None and (expected is None or number == expected):
            rows.append((number, []))
        elif rows:
            rows[-1][1].append(token)
        else:
            plan.problems.append(
                _("Text before the first task was ignored: “%(text)s”.") % {"text": token[:60]}
            )
    content_index = fields.index("content")
    previous: dict[str, str] = {}
    section_name = ""
    for number, cells in rows:
        if not cells:
            plan.problems.append(_("Task %(number)s has no cells.") % {"number": number})
            continue
        short = 0
        while short < len(cells) - 1 and is_short(cells[short]):
            short += 1
        if (
            short == content_index + 1
            and "section" not in fields
            and len(cells) > len(fields)
            and len(cells[0]) <= SECTION_NAME_LENGTH
        ):
            section_name = cells[0]
            cells = cells[1:]
        by_field: dict[str, str] = {}
        assign = list(fields)
        if short < content_index:
            for field_name in fields[: content_index - short]:
                if field_name in SPANNING_FIELDS:
                    by_field[field_name] = previous.get(field_name, "")
                    assign.remove(field_name)
        for field_name, cell in zip(assign, cells, strict=False):
            by_field[field_name] = cell
        overflow = cells[len(assign) :]
        if overflow:
            last = assign[-1]
            by_field[last] = "\n".join([by_field[last], *overflow])
        previous = by_field
        if not by_field.get("content"):
            plan.problems.append(
                _("Task %(number)s has no content and was skipped.") % {"number": number}
            )
            continue
        add_task(plan, by_field.get("section", section_name), _task(plan, number, by_field, number))
    return finish(plan)


def _line_cells(line: str) -> list[str]:
    """A line's cells: a browser copies a table row as cells separated by tabs, and a header
    may stand on one line with its column names separated by spaces (项目名称 项目内容 进展情况)."""
    if "\t" in line:
        return line.split("\t")
    names = line.split()
    if len(names) > 1 and all(column_field(name) for name in names):
        return names
    return [line]


def is_name(token: str) -> bool:
    """A project name, not a sentence of content or progress."""
    return is_short(token) and not token.endswith(("。", "，", ",", "：", ":"))


def _build_from_named_groups(
    tokens: Sequence[str], columns: Sequence[tuple[str, str]], plan: ParsedPlan
) -> ParsedPlan:
    """Tasks from a table without 序号 whose first column names a project (项目名称) written once
    for several rows: the name, then one group of cells (项目内容, 进展情况) per task. A name can
    only stand where a group starts, and is told from content by being a name, not a sentence.
    The tasks are numbered in order, as the grid readers number them."""
    (name_label, first), rest = columns[0], [field_name for _label, field_name in columns[1:]]
    labels = [label for label, _field_name in columns[1:]]
    if not tokens:
        return finish(plan)
    if not is_name(tokens[0]):
        raise InvalidInput(
            _("The table's first row must start with a “%(column)s”; found “%(text)s”.")
            % {"column": name_label, "text": tokens[0][:60]},
            code="unknown_columns",
            field="file",
        )
    position, sequence = 0, 1
    while position < len(tokens):
        name = tokens[position]
        position += 1
        groups = 0
        while position < len(tokens) and not (groups and is_name(tokens[position])):
            cells = tokens[position : position + len(rest)]
            if len(cells) < len(rest):
                raise InvalidInput(
                    _("“%(text)s” under “%(name)s” has no “%(column)s” after it.")
                    % {"text": cells[-1][:60], "name": name, "column": labels[len(cells)]},
                    code="incomplete_row",
                    field="file",
                )
            by_field = dict(zip(rest, cells, strict=True))
            by_field[first] = name
            add_task(plan, by_field.get("section", ""), _task(plan, sequence, by_field, sequence))
            position += len(rest)
            sequence += 1
            groups += 1
        if not groups:
            raise InvalidInput(
                _("“%(name)s” has no “%(column)s” after it.") % {"name": name, "column": labels[0]},
                code="incomplete_row",
                field="file",
            )
    return finish(plan)
