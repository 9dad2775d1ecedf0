from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jiedao.accounts.permissions import SYSTEM
from jiedao.supervision.services import reminders_send


class Command(BaseCommand):
    help = (
        "Remind lead units whose progress report for the current period is missing, a few days "
        "before the period closes (SUPERVISION_REMINDER_DAYS, 7 unless set). Run it daily, "
        "e.g. from cron: `jiedao remind-progress`. Each task is reminded once per period."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="Days before the period ends.")

    def handle(self, *args: Any, **options: Any) -> None:
        reminders = reminders_send(actor=SYSTEM, days_before=options["days"])
        for reminder in reminders:
            self.stdout.write(
                f"{reminder.department.name}: {reminder.task} — due {reminder.due_on.isoformat()}"
            )
        self.stdout.write(f"{len(reminders)} reminders recorded.")
