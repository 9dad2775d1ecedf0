from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus

from jiedao.events.tasks import refresh_figures


class Command(BaseCommand):
    help = (
        "Enqueue the refresh of the figures' rollup (the days whose events changed since the "
        "last one). Figures are exact without it, only slower: run it every minute from cron "
        "or a systemd timer as a safety net for reads that ask for it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = refresh_figures.enqueue()
        if result.status == TaskResultStatus.FAILED:
            details = "\n".join(error.traceback for error in result.errors)
            raise CommandError(f"Refreshing the figures failed:\n{details}")
        if result.status == TaskResultStatus.SUCCESSFUL:
            report = result.return_value or {}
            self.stdout.write(
                f"Figures refreshed: {report.get('days', 0)} days from "
                f"{report.get('hours', 0)} changed hours in {report.get('seconds', 0)} s."
            )
        else:
            self.stdout.write(f"Enqueued the refresh of the figures {result.id}.")
