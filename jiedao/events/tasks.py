"""Background tasks of the events app (Django's tasks API, the django-tasks backport).

``mark_overdue`` announces deadline warnings: yellow in the last 20 % of the allowed working time,
red once overdue — once per event and level — with a timeline step, an audit entry and
notifications to the responsible people (and, when red, the dispatchers).

Run it periodically with ``jiedao mark-overdue``, which enqueues it, e.g. every five minutes
from cron::

    */5 * * * *  cd /srv/jiedao && .venv/bin/jiedao mark-overdue

or a systemd timer (``OnCalendar=*:0/5`` on a ``jiedao-mark-overdue.service`` whose
``ExecStart`` is the same command). With the default immediate backend the command does the
work itself; with a queue backend (see ``TASKS`` in the settings) a worker does.
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
