"""Local time, defined once: the installation's ``TIME_ZONE`` (Asia/Shanghai).

Days — "today", a report's date, the days a period of figures covers — are local days. The
working-time calendar keeps its own ``WORKING_TIME_ZONE`` (the office's hours), which is this
zone unless an installation sets it apart.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_time(moment: datetime) -> datetime:
    """An aware ``moment`` as the local clock shows it."""
    return moment.astimezone(local_zone())


def local_today() -> date:
    return local_time(timezone.now()).date()


def local_start(day: date) -> datetime:
    """The first instant of the local ``day``."""
    return datetime.combine(day, time.min, tzinfo=local_zone())


def local_end(day: date) -> datetime:
    """The last instant of the local ``day`` (for a ``<=`` bound)."""
    return datetime.combine(day, time.max, tzinfo=local_zone())


def local_days(since: date, until: date) -> tuple[datetime, datetime]:
    """[start, end) of the local days ``since``..``until``, both included."""
    return local_start(since), local_start(until + timedelta(days=1))
