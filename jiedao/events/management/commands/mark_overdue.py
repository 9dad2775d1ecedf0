from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import TaskResultStatus

from jiedao.core.periodic import warning_jobs
from jiedao.events.tasks import mark_overdue


class Command(BaseCommand):
    help = (
        "Enqueue the deadline-warning job (yellow before the limit, red after), and the warning "
        "jobs other apps registered (jiedao.core.periodic). Run it every few minutes from cron "
        "or a systemd timer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="Pretend it is this aware ISO 8601 time (catch-up).")

    def handle(self, *args: Any, **options: Any) -> None:
        self._run(mark_overdue, "Deadline warnings", options["now"])
        for job in warning_jobs():
            self._run(job.task, str(job.label), options["now"])

    def _run(self, job: Any, label: str, now: str | None) -> None:
        result = job.enqueue(now=now)
        if result.status == TaskResultStatus.FAILED:
            details = "\n".join(error.traceback for error in result.errors)
            raise CommandError(f"The job {label} failed:\n{details}")
        if result.status == TaskResultStatus.SUCCESSFUL:
            counts = result.return_value
            if isinstance(counts, int):
                self.stdout.write(f"{label} announced: {counts}.")
                return
            counts = counts or {}
            self.stdout.write(
                f"{label} announced: {counts.get('yellow', 0)} yellow, {counts.get('red', 0)} red."
            )
        else:
            self.stdout.write(f"Enqueued the job {label} {result.id}.")
