"""Background tasks of enforcement (Django's tasks API, as the events app's).

``announce_late_disclosures`` tells the department's officers and the office's supervisors,
once per case, that a penalty decision has not been published (双公示) by its last day. Run it
daily, e.g. from cron after midnight::

    5 0 * * *  cd /srv/jiedao && .venv/bin/jiedao enforcement disclosure-late
"""

from datetime import datetime

from django.utils.dateparse import parse_datetime
from django_tasks import task

from jiedao.accounts.permissions import SYSTEM

from .services import disclosures_announce_late


@task()
def announce_late_disclosures(now: str | None = None) -> int:
    """Announce the decisions whose publication became late; ``now`` (ISO 8601) replaces the
    current time in tests and catch-up runs. Returns how many were announced."""
    moment: datetime | None = parse_datetime(now) if now else None
    if now and (moment is None or moment.utcoffset() is None):
        raise ValueError(f"now must be an aware ISO 8601 datetime, got {now!r}")
    return disclosures_announce_late(actor=SYSTEM, now=moment)
