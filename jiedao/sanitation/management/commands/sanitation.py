import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.errors import ApplicationError
from jiedao.sanitation.selectors_board import month_ranking


class Command(BaseCommand):
    help = (
        "Waste sorting. `ranking --month YYYY-MM [--format json|table] [--subdistrict CODE]`: "
        "every compound with its score, rank and colour (red, yellow, black or none) — the "
        "published list when the month has one, otherwise computed from the records."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        ranking = commands.add_parser("ranking", help="The month's 红黄黑榜.")
        ranking.add_argument("--month", required=True, help="The month, e.g. 2026-05.")
        ranking.add_argument("--format", choices=["json", "table"], default="table")
        ranking.add_argument(
            "--subdistrict", default=None, help="The subdistrict's code when there are several."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            found = month_ranking(
                user=SYSTEM, month=options["month"], subdistrict_code=options["subdistrict"]
            )
        except ApplicationError as error:
            raise CommandError(str(error.message)) from None
        data = found.as_dict()
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{data['subdistrict']}\t{data['month']}\t"
            + ("published" if data["published"] else "live")
        )
        self.stdout.write("rank\tcolour\tscore\tcompound\tcommunity")
        for row in data["compounds"]:
            self.stdout.write(
                "\t".join(
                    [
                        str(row["rank"] or "-"),
                        row["colour"] or "none",
                        row["score"] or "-",
                        row["name"],
                        row["community"],
                    ]
                )
            )
