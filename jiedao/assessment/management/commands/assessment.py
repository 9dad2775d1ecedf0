import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiedao.accounts.permissions import SYSTEM
from jiedao.assessment import selectors
from jiedao.assessment.measures import MEASURES
from jiedao.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "The team assessment. `scores --month YYYY-MM [--team ID] [--format json|table]` prints "
        "every member's counts, score and rank for the month, as the page and the API give them "
        "(closed months as stored, open ones computed now). Runs as the system: every team."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        scores = commands.add_parser("scores", help="The scores of a month.")
        scores.add_argument("--month", required=True, help="The month, e.g. 2026-11.")
        scores.add_argument("--team", type=int, help="Only this team (its id).")
        scores.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = selectors.parse_month_value(options["month"])
            teams = selectors.team_list(user=SYSTEM)
            if options["team"] is not None:
                teams = teams.filter(pk=options["team"])
                if not teams:
                    raise CommandError(f"No team {options['team']}.")
            months = [selectors.team_month(user=SYSTEM, team=team, month=month) for team in teams]
        except ApplicationError as error:
            raise CommandError(str(error.message)) from None
        if options["format"] == "json":
            payload = [scores.as_dict() for scores in months]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        for scores in months:
            state = "closed" if scores.is_closed else "open"
            self.stdout.write(f"{scores.team.name} {scores.month:%Y-%m} ({state})")
            lines = [["rank", "member", *[m.key for m in MEASURES], "score"]]
            for row in scores.rows:
                counts = [str(row.counts[m.key]) for m in MEASURES]
                lines.append([str(row.rank), row.name, *counts, str(row.score)])
            widths = [max(_width(line[i]) for line in lines) for i in range(len(lines[0]))]
            for line in lines:
                self.stdout.write(
                    "  ".join(_pad(value, width) for value, width in zip(line, widths, strict=True))
                )


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(character) > 0x2E80 else 1 for character in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
