"""The statutory clocks of a penalty case, on the product's working calendar.

Each clock runs a number of days from a step; Art. 85 of the Administrative Penalty Law makes
its "two, three, five, seven days" working days, the other periods are calendar days whose last
day moves on to the next working day when it is a holiday. The defaults, overridable per clock
through ``settings.ENFORCEMENT_CASE_CLOCKS`` (name → (days, working days?)):

* ``filing``: 立案 decided within 15 working days of the lead (《市场监督管理行政处罚程序规定》);
* ``decision``: a decision within 90 days of 立案 (Art. 60), plus the approved extensions;
* ``hearing_request``: 5 (working) days from the notice for the party to ask for a hearing;
* ``hearing_notice``: the hearing notified 7 (working) days before it is held (Art. 64);
* ``service``: the decision served within 7 (working) days (Art. 61);
* ``payment``: the fine paid within 15 days of service (Art. 67), then a surcharge of 3 % of
  the fine a day, never more than the fine (Art. 72: :func:`late_surcharge`).

The limitation (Art. 36: 2 years, 5 where life, health or finance is involved) is checked at
立案 (:func:`limitation_ends`). A clock's **yellow** warning starts once the share
``ENFORCEMENT_YELLOW_WARNING_SHARE`` (the events' 0.8 unless set) of its time has passed;
**red** means it is late — as events' deadlines.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from jiedao.core import workcalendar
from jiedao.core.localtime import local_zone

from .models_cases import Case
from .workflow_cases import CaseStatus, Outcome

DEFAULT_CLOCKS: dict[str, tuple[int, bool]] = {
    "filing": (15, True),
    "decision": (90, False),
    "hearing_request": (5, True),
    "hearing_notice": (7, True),
    "service": (7, True),
    "payment": (15, False),
}
CLOCK_LABELS = {
    "filing": pgettext_lazy("case clock", "立案 decision"),
    "decision": pgettext_lazy("case clock", "Decision"),
    "hearing_request": pgettext_lazy("case clock", "Hearing request"),
    "hearing_notice": pgettext_lazy("case clock", "Hearing notice"),
    "service": pgettext_lazy("case clock", "Service"),
    "payment": pgettext_lazy("case clock", "Payment"),
}
SURCHARGE_RATE = Decimal("0.03")
CENT = Decimal("0.01")
DECIDING = (CaseStatus.INVESTIGATING, CaseStatus.REVIEW, CaseStatus.NOTICE, CaseStatus.HEARING)


def clock_rule(name: str) -> tuple[int, bool]:
    """(days, counted in working days) of clock ``name``."""
    overrides = getattr(settings, "ENFORCEMENT_CASE_CLOCKS", {}) or {}
    days, working = overrides.get(name, DEFAULT_CLOCKS[name])
    return int(days), bool(working)


def yellow_share() -> float:
    return float(
        getattr(settings, "ENFORCEMENT_YELLOW_WARNING_SHARE", settings.EVENT_YELLOW_WARNING_SHARE)
    )


def last_day(start: date, days: int, working: bool) -> date:
    """The last day of a period of ``days`` days after ``start`` (which never counts)."""
    if working:
        day = start
        left = days
        while left > 0:
            day += timedelta(days=1)
            left -= int(workcalendar.is_workday(day))
        return day
    day = start + timedelta(days=days)
    while not workcalendar.is_workday(day):
        day += timedelta(days=1)
    return day


def due_after(start: datetime, days: int, working: bool) -> datetime:
    """The moment a period ends: 17:30 of the last working day for working days (the calendar's
    rule), the end of the last day for calendar days."""
    if working:
        return workcalendar.add_working_days(start, days)
    local = start.astimezone(local_zone()).date()
    end = last_day(local, days, working=False) + timedelta(days=1)
    return datetime.combine(end, time(0), tzinfo=local_zone())


def warn_at(start: datetime, due: datetime, working: bool) -> datetime:
    share = yellow_share()
    if working:
        total = workcalendar.working_seconds_between(start, due)
        if total <= 0:
            return due
        return min(workcalendar.add_working_hours(start, total * share / 3600), due)
    return start + (due - start) * share


@dataclass(frozen=True)
class Clock:
    name: str
    started_at: datetime
    due_at: datetime
    warn_at: datetime
    done_at: datetime | None

    @property
    def label(self) -> Any:
        return CLOCK_LABELS[self.name]

    def level(self, now: datetime) -> str:
        """none, yellow or red while running; met or late once done."""
        if self.done_at is not None:
            return "late" if self.done_at > self.due_at else "met"
        if now > self.due_at:
            return "red"
        if now >= self.warn_at:
            return "yellow"
        return "none"


def clock(name: str, start: datetime, done_at: datetime | None = None, extra: int = 0) -> Clock:
    days, working = clock_rule(name)
    due = due_after(start, days + extra, working)
    return Clock(name, start, due, warn_at(start, due, working), done_at)


def running_clock(case: Case) -> Clock | None:
    """The officers' clock that runs in the case's status, or None."""
    if case.status == CaseStatus.LEAD:
        return clock("filing", case.lead_at)
    if case.status in DECIDING and case.filed_at is not None:
        return clock("decision", case.filed_at, extra=case.extension_days)
    if case.status == CaseStatus.DECIDED and case.decided_at is not None:
        return clock("service", case.decided_at)
    if (
        case.status == CaseStatus.SERVED
        and case.outcome == Outcome.PENALTY
        and case.fine
        and case.served_at is not None
    ):
        return clock("payment", case.served_at)
    return None


def case_clocks(case: Case) -> list[Clock]:
    """Every clock the case has started, in order, with when it was met."""
    clocks = [clock("filing", case.lead_at, case.filed_at)]
    if case.filed_at is not None:
        clocks.append(clock("decision", case.filed_at, case.decided_at, case.extension_days))
    if case.notified_at is not None and case.hearing_requested_at is not None:
        clocks.append(clock("hearing_request", case.notified_at, case.hearing_requested_at))
    if case.decided_at is not None:
        clocks.append(clock("service", case.decided_at, case.served_at))
    if case.served_at is not None and case.outcome == Outcome.PENALTY and case.fine:
        paid = (
            datetime.combine(case.paid_on, time(12), tzinfo=local_zone()) if case.paid_on else None
        )
        clocks.append(clock("payment", case.served_at, paid))
    return clocks


def clock_fields(case: Case) -> dict[str, Any]:
    """The stored running clock of the case in its status (for the services to save)."""
    running = running_clock(case)
    if running is None:
        return {"clock": "", "clock_due_at": None, "clock_warn_at": None}
    return {"clock": running.name, "clock_due_at": running.due_at, "clock_warn_at": running.warn_at}


def level_q(level: str, now: datetime) -> Q:
    """Cases whose running clock is at ``level`` (yellow or red) at ``now``."""
    if level == "red":
        return Q(clock_due_at__lt=now)
    return Q(clock_warn_at__lte=now, clock_due_at__gte=now)


def case_level(case: Case, now: datetime) -> str:
    if case.clock_due_at is None or case.clock_warn_at is None:
        return "none"
    if now > case.clock_due_at:
        return "red"
    return "yellow" if now >= case.clock_warn_at else "none"


def late_surcharge(fine: Decimal, due_on: date, paid_on: date) -> Decimal:
    """Art. 72: 3 % of the fine for each day after ``due_on``, never more than the fine."""
    late_days = max((paid_on - due_on).days, 0)
    surcharge = (fine * SURCHARGE_RATE * late_days).quantize(CENT, ROUND_HALF_UP)
    return min(surcharge, fine)


def payment_due_on(case: Case) -> date | None:
    if case.served_at is None:
        return None
    days, working = clock_rule("payment")
    return last_day(case.served_at.astimezone(local_zone()).date(), days, working)


def limitation_ends(occurred_on: date, grave: bool) -> date:
    """The last day a violation of ``occurred_on`` may still be punished (Art. 36)."""
    years = 5 if grave else 2
    try:
        return occurred_on.replace(year=occurred_on.year + years)
    except ValueError:  # 29 February: the period ends on 28 February
        return occurred_on.replace(year=occurred_on.year + years, day=28)


def hearing_qualifies(case: Case, fine: Decimal | None) -> bool:
    """Whether the proposed fine is large enough for the party's right to a hearing (Art. 63)."""
    if fine is None:
        return False
    limits = getattr(settings, "ENFORCEMENT_HEARING_FINE", {"person": 10000, "business": 100000})
    return fine >= Decimal(limits[case.target.kind])
