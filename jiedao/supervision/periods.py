"""Reporting periods (quarters or months) and the dates they cover (local days)."""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

QUARTER = "quarter"
MONTH = "month"

CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
CHINESE_QUARTERS = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}

QUARTER_PATTERN = re.compile(r"第\s*([一二三四1-4])\s*季度")
MONTH_PATTERN = re.compile(r"(?<![0-9年])(1[0-2]|[1-9])\s*月份?(?![0-9底初中])")
YEAR_PATTERN = re.compile(r"((?:19|20)\d{2})\s*年")


def period_count(kind: str) -> int:
    return 4 if kind == QUARTER else 12


def period_bounds(kind: str, year: int, number: int) -> tuple[date, date]:
    """First and last day of the period."""
    first_month = (number - 1) * 3 + 1 if kind == QUARTER else number
    last_month = first_month + 2 if kind == QUARTER else number
    last_day = calendar.monthrange(year, last_month)[1]
    return date(year, first_month, 1), date(year, last_month, last_day)


def period_number_on(kind: str, day: date) -> int:
    return (day.month - 1) // 3 + 1 if kind == QUARTER else day.month


def period_label(kind: str, number: int) -> str:
    if kind == QUARTER:
        return _("Q%(number)s") % {"number": number}
    return _("Month %(number)s") % {"number": number}


def chinese_period_label(kind: str, number: int) -> str:
    """The period as the official tables write it: 第三季度, 9月."""
    return CHINESE_QUARTERS[number] if kind == QUARTER else f"{number}月"


@dataclass(frozen=True)
class PeriodInTitle:
    kind: str
    number: int
    phrase: str
    start: int


def find_period(title: str) -> PeriodInTitle | None:
    """The reporting period a disclosure title names: 第三季度 → quarter 3, 9月份 → month 9."""
    quarter = QUARTER_PATTERN.search(title)
    if quarter:
        return PeriodInTitle(
            QUARTER, CHINESE_DIGITS[quarter.group(1)], quarter.group(0), quarter.start()
        )
    month = MONTH_PATTERN.search(title)
    if month:
        return PeriodInTitle(MONTH, int(month.group(1)), month.group(0), month.start())
    return None


def find_year(text: str) -> int | None:
    match = YEAR_PATTERN.search(text)
    return int(match.group(1)) if match else None
