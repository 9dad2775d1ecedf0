"""Reading a register of targets from Excel (.xlsx) or CSV into rows for
:func:`jiedao.enforcement.services.targets_import`.

The first row holds the column titles, in Chinese or English; the columns may come in any order.
Cells are converted only where the file's form is at stake (a latitude written as text becomes a
number); whether a value is right is the service's question.
"""

import csv
import io
import zipfile
from typing import Any

from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from jiedao.core.errors import InvalidInput

from .models import RiskLevel, Target

MAX_BYTES = 5 * 1024 * 1024
COLUMNS = {
    "类型": "kind",
    "kind": "kind",
    "名称": "name",
    "name": "name",
    "统一社会信用代码": "credit_code",
    "credit_code": "credit_code",
    "身份证号": "id_number",
    "身份证号码": "id_number",
    "id_number": "id_number",
    "地址": "address",
    "address": "address",
    "纬度": "lat",
    "lat": "lat",
    "经度": "lng",
    "lng": "lng",
    "行业": "trade",
    "trade": "trade",
    "风险等级": "risk_level",
    "risk_level": "risk_level",
}
KINDS = {
    "企业": Target.Kind.BUSINESS,
    "单位": Target.Kind.BUSINESS,
    "个体工商户": Target.Kind.BUSINESS,
    "场所": Target.Kind.BUSINESS,
    "business": Target.Kind.BUSINESS,
    "个人": Target.Kind.PERSON,
    "自然人": Target.Kind.PERSON,
    "person": Target.Kind.PERSON,
}
RISKS = {
    "低": RiskLevel.LOW,
    "低风险": RiskLevel.LOW,
    "low": RiskLevel.LOW,
    "中": RiskLevel.MEDIUM,
    "中风险": RiskLevel.MEDIUM,
    "medium": RiskLevel.MEDIUM,
    "高": RiskLevel.HIGH,
    "高风险": RiskLevel.HIGH,
    "high": RiskLevel.HIGH,
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(value: Any) -> Any:
    """A number for a numeric cell or numeric text; None for an empty one; the text otherwise
    (which the service refuses, naming the column)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return str(value)


def _table(name: str, content: bytes) -> list[list[Any]]:
    if len(content) > MAX_BYTES:
        raise InvalidInput(_("The file is larger than 5 MB."), code="too_large", field="file")
    if name.lower().endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
            raise InvalidInput(
                _("The file is not a readable Excel workbook."), code="bad_file", field="file"
            ) from None
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    if name.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InvalidInput(
                _("The file is neither UTF-8 nor GB18030 text."), code="bad_file", field="file"
            )
        return [list(row) for row in csv.reader(io.StringIO(text))]
    raise InvalidInput(
        _("Upload an Excel workbook (.xlsx) or a CSV file."), code="bad_file", field="file"
    )


def parse_targets(name: str, content: bytes) -> list[tuple[int, dict[str, Any]]]:
    """(row number as the spreadsheet shows it, fields) for every non-empty row."""
    table = _table(name, content)
    if not table:
        raise InvalidInput(_("The file has no rows of targets."), code="empty", field="file")
    header = [_text(cell) for cell in table[0]]
    columns: dict[int, str] = {}
    for index, title in enumerate(header):
        field = COLUMNS.get(title) or COLUMNS.get(title.lower())
        if field:
            columns[index] = field
    missing = [
        title
        for title, field in (("类型", "kind"), ("名称", "name"))
        if field not in columns.values()
    ]
    if missing:
        raise InvalidInput(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": "、".join(missing)},
            code="missing_columns",
            field="file",
        )
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, cells in enumerate(table[1:], start=2):
        if all(_text(cell) == "" for cell in cells):
            continue
        fields: dict[str, Any] = {}
        for index, field in columns.items():
            cell = cells[index] if index < len(cells) else None
            fields[field] = _number(cell) if field in ("lat", "lng") else _text(cell)
        fields["kind"] = KINDS.get(
            fields["kind"], KINDS.get(fields["kind"].lower(), fields["kind"])
        )
        if "risk_level" in fields:
            risk = fields["risk_level"]
            fields["risk_level"] = RISKS.get(risk, RISKS.get(risk.lower(), risk or RiskLevel.LOW))
        rows.append((number, fields))
    return rows
