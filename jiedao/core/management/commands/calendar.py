from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.calendar_csv import parse_calendar_csv
from jiedao.core.errors import ApplicationError
from jiedao.core.models import WorkCalendarYear
from jiedao.core.selectors import calendar_year_list
from jiedao.core.services import calendar_year_publish
from jiedao.core.workcalendar import CalendarWarning


def year_ranges(entries: list[WorkCalendarYear]) -> list[tuple[int, int, str]]:
    """Consecutive years from the same source, e.g. [(2004, 2026, "chinese_calendar"),
    (2027, 2027, "administrator")]."""
    ranges: list[tuple[int, int, str]] = []
    for entry in sorted(entries, key=lambda entry: entry.year):
        if ranges and ranges[-1][1] == entry.year - 1 and ranges[-1][2] == entry.source:
            ranges[-1] = (ranges[-1][0], entry.year, entry.source)
        else:
            ranges.append((entry.year, entry.year, entry.source))
    return ranges


class Command(BaseCommand):
    help = (
        "The working-time calendar. `calendar status` lists the years whose official holidays "
        "are known and warns when this year or next year is missing; `calendar publish "
        "FILE.csv --year 2027` enters a year's schedule (CSV columns date,is_workday,name)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        operations = parser.add_subparsers(dest="operation", required=True)
        status = operations.add_parser("status", help="Which years are known")
        status.add_argument(
            "--check",
            action="store_true",
            help="Exit with status 1 when this year or next year is missing (for monitoring).",
        )
        publish = operations.add_parser("publish", help="Enter a year's holidays from CSV")
        publish.add_argument("file", type=Path, help="CSV with columns date,is_workday,name")
        publish.add_argument("--year", type=int, required=True)
        publish.add_argument("--note", default="", help="e.g. 国办发明电〔2026〕X号")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["operation"] == "publish":
            self.publish(options["file"], options["year"], options["note"])
        else:
            self.status(check=options["check"])

    def status(self, *, check: bool) -> None:
        entries = calendar_year_list(user=SYSTEM)
        by_year = {entry.year: entry for entry in entries}
        if not entries:
            self.stdout.write(_("No year is known: every year counts Monday to Friday."))
        for first, last, source in year_ranges(entries):
            span = str(first) if first == last else f"{first}–{last}"
            self.stdout.write(f"{span}: {WorkCalendarYear.Source(source).label}")
        this_year = timezone.localdate().year
        missing = [year for year in (this_year, this_year + 1) if year not in by_year]
        for year in missing:
            warning = _("WARNING: %(warning)s (enter it with: %(command)s)") % {
                "warning": CalendarWarning((year,)).message,
                "command": f"jiedao calendar publish FILE.csv --year {year}",
            }
            self.stderr.write(self.style.WARNING(warning))
        if check and missing:
            raise CommandError(
                _("Missing years: %(years)s") % {"years": ", ".join(map(str, missing))}
            )

    def publish(self, path: Path, year: int, note: str) -> None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}
            ) from None
        try:
            days = parse_calendar_csv(text)
            calendar_year_publish(actor=SYSTEM, year=year, days=days, note=note)
        except ApplicationError as error:
            raise CommandError(
                _("%(path)s: %(problem)s Nothing was stored.")
                % {"path": path, "problem": error.message}
            ) from None
        holidays = sum(1 for _day, is_workday, _name in days if not is_workday)
        self.stdout.write(
            _(
                "%(year)s published: %(holidays)s weekday holidays, %(workdays)s make-up working days."
            )
            % {"year": year, "holidays": holidays, "workdays": len(days) - holidays}
        )
