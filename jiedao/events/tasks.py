"""Background tasks of the events app (Django's tasks API, the django-tasks backport).

With the default ``TASKS_BACKEND=immediate`` each runs at once in the process that enqueues it;
with ``TASKS_BACKEND=redis`` it waits in Redis for ``jiedao worker`` (see the README).

``mark_overdue`` announces deadline warnings: yellow in the last 20 % of the allowed working time,
red once overdue — once per event and level — with a timeline step, an audit entry and
notifications to the responsible people (and, when red, the dispatchers).

Run it periodically with ``jiedao mark-overdue``, which enqueues it, e.g. every five minutes
from cron::

    */5 * * * *  cd /srv/jiedao && .venv/bin/jiedao mark-overdue

or a systemd timer (``OnCalendar=*:0/5`` on a ``jiedao-mark-overdue.service`` whose
``ExecStart`` is the same command).

Notifications are not a task: they are written in the step's own transaction (one INSERT …
SELECT, see :mod:`jiedao.events.services.notifications`), so a step and its notices commit or
roll back together. ``export_event_list`` writes a ledger export the list page asked for; ``import_work_orders`` imports a 12345 file
uploaded on the import page. The last two report their progress to the page through
:mod:`jiedao.core.jobs`. ``refresh_figures`` rebuilds the days of the figures' rollup whose events
changed (:mod:`jiedao.events.rollups`).
"""

from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django_tasks import task

from jiedao.accounts.permissions import SYSTEM

from .services import event_warnings_announce


@task()
def mark_overdue(now: str | None = None) -> dict[str, Any]:
    """Announce due deadline warnings. ``now`` (ISO 8601) replaces the current time in tests
    and catch-up runs. Returns the number of yellow and red warnings announced."""
    moment: datetime | None = parse_datetime(now) if now else None
    if now and (moment is None or moment.utcoffset() is None):
        raise ValueError(f"now must be an aware ISO 8601 datetime, got {now!r}")
    return event_warnings_announce(actor=SYSTEM, now=moment)


@task()
def export_event_list(
    *, job_id: str, user_id: int, query: str, file_format: str, language: str = ""
) -> int:
    """Write the ledger export a user asked for on the list page (its query string) to the
    job's file; returns its size in bytes."""
    from .exports_queued import export_job_run

    return export_job_run(
        job_id=job_id, user_id=user_id, query=query, file_format=file_format, language=language
    )


@task()
def import_work_orders(
    *,
    job_id: str,
    user_id: int,
    file_name: str,
    name: str,
    mapping: dict[str, Any] | None = None,
    language: str = "",
) -> dict[str, Any]:
    """Import the 12345 work orders of an uploaded file (see :mod:`jiedao.events.importing`);
    returns the import's summary."""
    from .importing.jobs import import_job_run

    return import_job_run(
        job_id=job_id,
        user_id=user_id,
        file_name=file_name,
        name=name,
        mapping=mapping,
        language=language,
    )


@task()
def refresh_figures() -> dict[str, Any]:
    """Rebuild the figures' rollup for the days whose events changed since the last refresh;
    returns how many logged hours and days it handled."""
    from .rollups import rollup_refresh

    report = rollup_refresh()
    return {"hours": report.hours, "days": report.days, "seconds": round(report.seconds, 3)}
