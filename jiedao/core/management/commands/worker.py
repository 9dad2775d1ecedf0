from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Run the background tasks queued in Redis (TASKS_BACKEND=redis): deadline warnings, "
        "notifications, audit sealing, exports and imports. Start one or more beside the web "
        "workers; with the default TASKS_BACKEND=immediate, tasks run where they are enqueued "
        "and no worker is needed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--burst", action="store_true", help="Run what is queued, then exit (tests, cron)."
        )
        parser.add_argument("--max-jobs", type=int, default=None, help="Exit after this many.")
        parser.add_argument("--name", default=None, help="The worker's name in Redis.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.TASKS_BACKEND != "redis":
            raise CommandError(
                f"TASKS_BACKEND is {settings.TASKS_BACKEND!r}: tasks run in the process that "
                "enqueues them, there is nothing for a worker to do. Set TASKS_BACKEND=redis "
                "and REDIS_URL to queue them."
            )
        # django-tasks-rq's job class runs the Django task a job names (and only a task).
        # The scheduler moves tasks enqueued with run_after to the queue when they are due.
        call_command(
            "rqworker",
            *settings.TASKS_QUEUES,
            job_class="django_tasks_rq.Job",
            with_scheduler=True,
            burst=options["burst"],
            max_jobs=options["max_jobs"],
            name=options["name"],
            verbosity=options["verbosity"],
        )
