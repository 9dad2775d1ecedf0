"""Background tasks of enforcement (Django's tasks API, as the events app's).

``warn_case_clocks`` sends the warnings of the cases' running time limits: yellow once the
share ``ENFORCEMENT_YELLOW_WARNING_SHARE`` of a clock's time has passed, red once it is late,
each once per case and clock (see :mod:`jiedao.enforcement.services.notices`).
``announce_late_disclosures`` tells the department's officers and the office's supervisors,
once per case, that a penalty decision has not been published (双公示) by its last day. Both
are registered with :mod:`jiedao.core.periodic`, so ``jiedao mark-overdue`` — run every few
minutes from cron for the events' deadline warnings — enqueues them too.
"""

from datetime import datetime
from typing import Any

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


from .services.notices import case_clock_warnings_send


@task()
def warn_case_clocks(now: str | None = None) -> dict[str, Any]:
    """Send the case clock warnings that are due. ``now`` (ISO 8601) replaces the current time
    in tests and catch-up runs. Returns the number of yellow and red warnings sent."""
    moment: datetime | None = parse_datetime(now) if now else None
    if now and (moment is None or moment.utcoffset() is None):
        raise ValueError(f"now must be an aware ISO 8601 datetime, got {now!r}")
    return case_clock_warnings_send(actor=SYSTEM, now=moment)
