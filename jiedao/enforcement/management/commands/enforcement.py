import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import TaskResultStatus

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.dates import parse_date
from jiedao.core.errors import ApplicationError
from jiedao.enforcement import selectors_reviewers, services
from jiedao.enforcement.figures import enforcement_figures
from jiedao.enforcement.services.documents import FORMATS, case_document_file
from jiedao.enforcement.tasks import announce_late_disclosures


class Command(BaseCommand):
    help = (
        "Comprehensive enforcement. `figures --since DATE --until DATE [--format json|table]`: "
        "actions, inspections, problems found and rectified, penalty decisions, cases opened "
        "and closed, for the whole installation. `disclosure-late [--now ISO]`: enqueue the "
        "announcement of penalty decisions not published (双公示) in time (`jiedao mark-overdue` "
        "runs it too). `document CASE_ID KIND --format docx|pdf -o FILE`: a case's document "
        "(filing, correction, notice, decision, closing), its number issued the first time. "
        "`reviewer designate USERNAME --certificate NO` and `reviewer withdraw USERNAME`: the "
        "legal reviewers (法制审核人员)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        figures = commands.add_parser(
            "figures", help="Figures for a period (local dates, both included)."
        )
        figures.add_argument("--since", required=True, help="First day, e.g. 2022-01-01.")
        figures.add_argument("--until", required=True, help="Last day, e.g. 2022-06-30.")
        figures.add_argument("--format", choices=["json", "table"], default="table")
        late = commands.add_parser(
            "disclosure-late", help="Announce the decisions whose publication is late."
        )
        late.add_argument("--now", help="Pretend it is this aware ISO 8601 time (catch-up).")
        document = commands.add_parser("document", help="A case's document as Word or PDF.")
        document.add_argument("case_id", type=int, help="The case's id.")
        document.add_argument(
            "kind", help="filing, correction, notice, decision or closing (立案审批表 … 结案报告)."
        )
        document.add_argument("--format", choices=FORMATS, default="docx")
        document.add_argument("-o", "--output", required=True, help="The file to write.")
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
        if options["subcommand"] == "disclosure-late":
            self._disclosure_late(options["now"])
            return
        if options["subcommand"] == "document":
            self._document(options)
            return
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

    def _disclosure_late(self, now: str | None) -> None:
        result = announce_late_disclosures.enqueue(now=now)
        if result.status == TaskResultStatus.FAILED:
            details = "\n".join(error.traceback for error in result.errors)
            raise CommandError(f"The late-disclosure job failed:\n{details}")
        if result.status == TaskResultStatus.SUCCESSFUL:
            self.stdout.write(f"Late disclosures announced: {result.return_value}.")
        else:
            self.stdout.write(f"Enqueued the late-disclosure job {result.id}.")

    def _document(self, options: dict[str, Any]) -> None:
        # Run by the server's operator as the installation itself, like the figures.
        try:
            document = case_document_file(
                actor=SYSTEM,
                case_id=options["case_id"],
                kind=options["kind"],
                file_format=options["format"],
            )
        except ApplicationError as error:
            raise CommandError(str(error.message)) from None
        Path(options["output"]).write_bytes(document.content)
        self.stdout.write(f"{document.number}\t{options['output']}")

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
