"""Reading a year's holiday schedule from CSV: ``date,is_workday,name`` per line.

::

    date,is_workday,name
    2027-01-01,false,元旦
    2027-02-06,true,调休上班

``is_workday`` accepts true/false, yes/no, 1/0 and 是/否. Problems are reported with their line
number, and nothing is read from a file with any problem.
"""

import csv
import io
from datetime import date

from django.utils.translation import gettext_lazy as _

from .errors import InvalidInput

COLUMNS = ["date", "is_workday", "name"]
TRUE_WORDS = {"true", "yes", "1", "是", "y", "t"}
FALSE_WORDS = {"false", "no", "0", "否", "n", "f"}


def parse_calendar_csv(text: str) -> list[tuple[date, bool, str]]:
    """The (date, is_workday, name) rows of a calendar CSV, or InvalidInput naming the line."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise InvalidInput(_("The CSV file is empty."), code="bad_csv", field="file")
    header = [cell.strip().lower() for cell in rows[0]]
    if header != COLUMNS:
        raise InvalidInput(
            _("The first line must be the header “%(expected)s”, not “%(found)s”.")
            % {"expected": ",".join(COLUMNS), "found": ",".join(rows[0])},
            code="bad_csv",
            field="file",
        )
    days: list[tuple[date, bool, str]] = []
    for line_number, row in enumerate(rows[1:], start=2):
        if len(row) != len(COLUMNS):
            raise InvalidInput(
                _("Line %(line)s has %(count)s columns; expected date,is_workday,name.")
                % {"line": line_number, "count": len(row)},
                code="bad_csv",
                field="file",
            )
        raw_date, raw_flag, name = (cell.strip() for cell in row)
        try:
            day = date.fromisoformat(raw_date)
        except ValueError:
            raise InvalidInput(
                _("Line %(line)s: “%(value)s” is not a date like 2027-01-01.")
                % {"line": line_number, "value": raw_date},
                code="bad_csv",
                field="file",
            ) from None
        flag = raw_flag.lower()
        if flag not in TRUE_WORDS | FALSE_WORDS:
            raise InvalidInput(
                _("Line %(line)s: is_workday must be true or false, not “%(value)s”.")
                % {"line": line_number, "value": raw_flag},
                code="bad_csv",
                field="file",
            )
        days.append((day, flag in TRUE_WORDS, name))
    return days
