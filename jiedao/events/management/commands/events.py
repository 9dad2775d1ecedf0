import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from jiedao.accounts.models import User
from jiedao.accounts.permissions import SYSTEM
from jiedao.core.errors import ApplicationError
from jiedao.events.importing import (
    DEFAULT_BATCH_SIZE,
    ImportReport,
    mapping_load,
    work_orders_import,
)


class Command(BaseCommand):
    help = (
        "Events. `events import FILE [--mapping MAPPING.json] [--batch-size N] [--user NAME] "
        "[--json]` imports 12345 work orders from CSV or .xlsx: idempotent by work-order "
        "number, all or nothing per batch, every rejected row listed with its reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["import"])
        parser.add_argument("file", help="the CSV or .xlsx file of work orders")
        parser.add_argument("--mapping", default="", help="a JSON column mapping file")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        parser.add_argument(
            "--user", default="", help="record the import as this user (default: the system)"
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        # The report's reasons are in Chinese, as the work orders are.
        with translation.override("zh-hans"):
            self.import_file(options)

    def import_file(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        actor: Any = SYSTEM
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {options['user']!r}.")
        show_progress = not options["no_progress"] and not options["json"]
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if not show_progress or not total:
                return
            width = 30
            filled = width * done // total
            elapsed = time.monotonic() - started
            sys.stderr.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} "
                f"{done * 100 // total}% {elapsed:.0f}s"
            )
            sys.stderr.flush()

        try:
            with path.open("rb") as stream:
                report = work_orders_import(
                    actor=actor,
                    stream=stream,
                    name=path.name,
                    mapping=mapping_load(options["mapping"] or None),
                    batch_size=options["batch_size"],
                    progress=progress,
                )
        except ApplicationError as error:
            raise CommandError(str(error.message)) from error
        finally:
            if show_progress:
                sys.stderr.write("\n")
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.print_report(report)
        if report.rejected:
            raise CommandError(f"{len({item.row for item in report.rejected})} rows rejected.")

    def print_report(self, report: ImportReport) -> None:
        self.stdout.write(
            f"{report.file}: {report.rows} rows, {report.created} imported, "
            f"{report.already} already imported, {len({r.row for r in report.rejected})} "
            f"rejected, {report.held_back} held back with them "
            f"({report.batches_written} of {report.batches} batches of {report.batch_size} "
            "written)."
        )
        for item in report.rejected:
            self.stdout.write(f"  第 {item.row} 行 {item.column}：{item.message}")
