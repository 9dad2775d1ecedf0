import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.errors import ApplicationError
from jiedao.events.exports import columns, header
from jiedao.events.figures import GROUPINGS, event_figures, parse_period


class Command(BaseCommand):
    help = (
        "Event figures for a period (local dates, both included): collected, dispatched, "
        "resolved on the spot, closed, 结案率, 按期结案率, rework and extension rates, mean "
        "handling time and satisfaction, grouped by grid, community, department, category, "
        "source or month. Counts every subdistrict (the command runs as the system)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", required=True, help="First day, e.g. 2022-01-01.")
        parser.add_argument("--until", required=True, help="Last day, e.g. 2022-06-30.")
        parser.add_argument("--by", choices=GROUPINGS, default="month")
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            since, until = parse_period(options["since"], options["until"])
            figures = event_figures(user=SYSTEM, since=since, until=until, by=options["by"])
        except ApplicationError as error:
            # Every problem (both dates may be wrong), one a line.
            raise CommandError("\n".join(str(single.message) for single in error.errors)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(figures.as_dict(), ensure_ascii=False, indent=2))
            return
        with translation.override(translation.get_language()):
            titles = header(figures)
        names = [name for name, _label in columns()]
        lines = [titles]
        for row in [*figures.rows, figures.total]:
            lines.append([row.label, row.key, *[_cell(name, getattr(row, name)) for name in names]])
        widths = [max(_width(line[i]) for line in lines) for i in range(len(titles))]
        for line in lines:
            self.stdout.write(
                "  ".join(
                    _pad(str(value), width) for value, width in zip(line, widths, strict=True)
                )
            )


def _cell(name: str, value: Any) -> str:
    if value is None:
        return "—"
    if name.endswith("_rate"):
        return f"{value:.1%}"
    return str(value)


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(character) > 0x2E80 else 1 for character in str(text))


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
