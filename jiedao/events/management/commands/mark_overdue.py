from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import TaskResultStatus

from jiedao.events.tasks import mark_overdue


class Command(BaseCommand):
    help = (
        "Enqueue the deadline-warning job (yellow before the limit, red after). Run it every "
        "few minutes from cron or a systemd timer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="Pretend it is this aware ISO 8601 time (catch-up).")

    def handle(self, *args: Any, **options: Any) -> None:
        result = mark_overdue.enqueue(now=options["now"])
        if result.status == TaskResultStatus.FAILED:
            details = "\n".join(error.traceback for error in result.errors)
            raise CommandError(f"The deadline-warning job failed:\n{details}")
        if result.status == TaskResultStatus.SUCCESSFUL:
            counts = result.return_value or {}
            self.stdout.write(
                f"Deadline warnings announced: {counts.get('yellow', 0)} yellow, "
                f"{counts.get('red', 0)} red."
            )
        else:
            self.stdout.write(f"Enqueued the deadline-warning job {result.id}.")
