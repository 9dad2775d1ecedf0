import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiedao.accounts.permissions import SYSTEM
from jiedao.cockpit.board import cockpit_board, parse_day
from jiedao.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "The leaders' cockpit for a day (default today): every app's key figures, rankings and "
        "map layers, the same board as /cockpit/ and /api/cockpit/. Counts every subdistrict "
        "(the command runs as the system)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--day", default="", help="The day, e.g. 2022-06-30 (not a day to come)."
        )
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            board = cockpit_board(user=SYSTEM, day=parse_day(options["day"]))
        except ApplicationError as error:
            raise CommandError(str(error.message)) from None
        data = board.data
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(data["day"])
        for panel in data["panels"]:
            self.stdout.write(f"\n{panel['title']}")
            for kpi in panel["kpis"]:
                unit = kpi["unit"] if kpi["value"] is not None else ""
                target = f" / {kpi['target_display']}{unit}" if kpi["target"] is not None else ""
                note = f"（{kpi['note']}）" if kpi["note"] else ""
                self.stdout.write(f"  {kpi['label']}  {kpi['display']}{unit}{target}{note}")
            for ranking in panel["rankings"]:
                self.stdout.write(f"  {ranking['title']}")
                for row in ranking["rows"]:
                    self.stdout.write(
                        f"    {row['rank']}. {row['label']}  {row['display']}{ranking['unit']}"
                    )
        self.stdout.write("")
        for layer in data["layers"]:
            self.stdout.write(f"{layer['label']}: {layer['total']}")
