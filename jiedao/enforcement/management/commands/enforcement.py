import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.dates import parse_date
from jiedao.core.errors import ApplicationError
from jiedao.enforcement import selectors_reviewers, services
from jiedao.enforcement.figures import enforcement_figures


class Command(BaseCommand):
    help = (
        "Comprehensive enforcement. `figures --since DATE --until DATE [--format json|table]`: "
        "actions, inspections, problems found and rectified, penalty decisions, cases opened "
        "and closed, for the whole installation. `reviewer designate USERNAME --certificate NO` "
        "and `reviewer withdraw USERNAME`: the legal reviewers (法制审核人员)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        figures = commands.add_parser(
            "figures", help="Figures for a period (local dates, both included)."
        )
        figures.add_argument("--since", required=True, help="First day, e.g. 2022-01-01.")
        figures.add_argument("--until", required=True, help="Last day, e.g. 2022-06-30.")
        figures.add_argument("--format", choices=["json", "table"], default="table")
        reviewer = commands.add_parser("reviewer", help="Designate or withdraw a legal reviewer.")
        steps = reviewer.add_subparsers(dest="step", required=True)
        designate = steps.add_parser("designate", help="Designate a user as legal reviewer.")
        designate.add_argument("username")
        designate.add_argument(
            "--certificate",
            required=True,
            help="Legal qualification (法律职业资格) or enforcement certificate number.",
        )
        withdraw = steps.add_parser("withdraw", help="Withdraw a user's designation.")
        withdraw.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "reviewer":
            self._reviewer(options)
            return
        try:
            figures = enforcement_figures(
                user=SYSTEM,
                since=parse_date(options["since"], field="since"),
                until=parse_date(options["until"], field="until"),
            )
        except ApplicationError as error:
            raise CommandError(str(error.message)) from None
        data = figures.as_dict()
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for key, value in data.items():
            self.stdout.write(f"{key}\t{value}")

    def _reviewer(self, options: dict[str, Any]) -> None:
        try:
            user = selectors_reviewers.staff_by_username(user=SYSTEM, username=options["username"])
            if options["step"] == "designate":
                services.legal_reviewer_designate(
                    actor=SYSTEM, user_id=user.pk, certificate=options["certificate"]
                )
                self.stdout.write(f"designated\t{user.username}")
            else:
                services.legal_reviewer_withdraw(actor=SYSTEM, user_id=user.pk)
                self.stdout.write(f"withdrawn\t{user.username}")
        except ApplicationError as error:
            raise CommandError(str(error.message)) from None
