import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.errors import ApplicationError
from jiedao.geo.models import Subdistrict
from jiedao.supervision.importers import parse_file
from jiedao.supervision.services import plan_import


class Command(BaseCommand):
    help = (
        "Import a key-task plan table (plain text, HTML, .docx or .xlsx) with its progress. "
        "All or nothing; importing the same table again changes nothing. "
        "--dry-run --json prints the parsed plan without writing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The table: .txt, .html, .docx or .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="Parse only; write nothing.")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")
        parser.add_argument(
            "--subdistrict", default="", help="Subdistrict code (needed when there are several)."
        )
        parser.add_argument(
            "--period",
            type=int,
            default=None,
            help="The quarter (1–4) or month (1–12) of the progress, when the title names none.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            parsed = parse_file(path.name, path.read_bytes())
            if options["dry_run"]:
                self._print_parsed(parsed.as_data(), as_json=options["json"])
                return
            result = plan_import(
                actor=SYSTEM,
                parsed=parsed,
                subdistrict=self._subdistrict(options["subdistrict"]),
                file_name=path.name,
                period_number=options["period"],
            )
        except ApplicationError as error:
            raise CommandError(str(error.message)) from None
        summary = {
            "plan_id": result.plan.pk,
            "plan": result.plan.name,
            "period": result.period.number if result.period else None,
            "plan_created": result.plan_created,
            "tasks_created": result.tasks_created,
            "reports_created": result.reports_created,
            "already_imported": result.already_imported,
            "problems": parsed.problems,
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        elif result.already_imported:
            self.stdout.write(f"Already imported: {result.plan.name}. Nothing changed.")
        else:
            self.stdout.write(
                f"Imported {result.plan.name}: {result.tasks_created} tasks created, "
                f"{result.reports_created} progress reports."
            )
            for problem in parsed.problems:
                self.stdout.write(f"  ! {problem}")

    def _print_parsed(self, data: dict[str, Any], *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{data['title']} — {data['task_count']} tasks (nothing written)")
        for section in data["sections"]:
            self.stdout.write(f"{section['name'] or '—'}")
            for task in section["tasks"]:
                self.stdout.write(
                    f"  {task['sequence']}. {task['category']} {task['content'][:40]}"
                )
        for problem in data["problems"]:
            self.stdout.write(f"  ! {problem}")

    def _subdistrict(self, code: str) -> Subdistrict:
        subdistricts = Subdistrict.objects.all()
        if code:
            subdistricts = subdistricts.filter(code=code)
        found = list(subdistricts[:2])
        if len(found) != 1:
            raise CommandError(
                "Name the subdistrict with --subdistrict CODE."
                if found
                else "No subdistrict found: set one up first (e.g. jiedao load-demo)."
            )
        return found[0]
