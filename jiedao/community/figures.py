"""The modern community's figures for a period: needs by status and group, organisations that
reported in, calls, projects funded out of the fund, activities and trainings held with their
person-times, and the fund's totals. One selector for the command, the API and the page; a
constant number of statements."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import can, require, scoped
from jiedao.core.errors import InvalidInput
from jiedao.core.localtime import local_days

from .activities import held_in
from .models import Activity, Call, CallResponse, Fund, FundEntry, GrantApplication, Need


@dataclass(frozen=True)
class Figures:
    since: date
    until: date
    needs: int
    needs_by_status: dict[str, int]
    needs_by_group: dict[str, int]
    organisations_reported_in: int
    calls: int
    projects_funded: int
    projects_completed: int
    activities: int
    trainings: int
    # The trainings' participants in person-times (the seeds count "social workers trained");
    # the activities' participants are counted apart.
    person_times: int
    activity_person_times: int
    # Empty for a role that does not read the fund.
    fund: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "needs": self.needs,
            "needs_by_status": self.needs_by_status,
            "needs_by_group": self.needs_by_group,
            "organisations_reported_in": self.organisations_reported_in,
            "calls": self.calls,
            "projects_funded": self.projects_funded,
            "projects_completed": self.projects_completed,
            "activities": self.activities,
            "trainings": self.trainings,
            "person_times": self.person_times,
            "activity_person_times": self.activity_person_times,
            "fund": self.fund,
        }


def community_figures(*, user: Any, since: date, until: date) -> Figures:
    """Needs raised, calls blown and organisations reporting in between the two local dates
    (both included); commitments booked in the period count as projects funded; the fund's
    totals are as at ``until`` (all funds of the scope added up)."""
    require(user, "community.view")
    if until < since:
        raise InvalidInput(_("To must not be before From."), field="until")
    start, end = local_days(since, until)
    needs = scoped(user, Need.objects.filter(raised_at__gte=start, raised_at__lt=end))
    by_status = {row["status"]: row["n"] for row in needs.values("status").annotate(n=Count("id"))}
    by_group = {
        row["group__code"]: row["n"] for row in needs.values("group__code").annotate(n=Count("id"))
    }
    reported_in = (
        scoped(
            user,
            CallResponse.objects.filter(
                reported_at__gte=start, reported_at__lt=end, organisation__isnull=False
            ),
        )
        .values("organisation")
        .distinct()
        .count()
    )
    calls = scoped(user, Call.objects.filter(called_at__gte=start, called_at__lt=end)).count()
    projects = scoped(
        user,
        FundEntry.objects.filter(
            kind=FundEntry.Kind.COMMITMENT, booked_on__gte=since, booked_on__lte=until
        ),
    ).count()
    completed = scoped(
        user,
        GrantApplication.objects.filter(completed_on__gte=since, completed_on__lte=until),
    ).count()
    held = scoped(user, Activity.objects.filter(**held_in(since, until))).aggregate(
        activities=Count("id", filter=Q(kind=Activity.Kind.ACTIVITY)),
        trainings=Count("id", filter=Q(kind=Activity.Kind.TRAINING)),
        training_people=Sum("person_times", filter=Q(kind=Activity.Kind.TRAINING)),
        activity_people=Sum("person_times", filter=Q(kind=Activity.Kind.ACTIVITY)),
    )
    fund = fund_totals(user, until)
    return Figures(
        since=since,
        until=until,
        needs=sum(by_status.values()),
        needs_by_status=by_status,
        needs_by_group=by_group,
        organisations_reported_in=reported_in,
        calls=calls,
        projects_funded=projects,
        projects_completed=completed,
        activities=held["activities"],
        trainings=held["trainings"],
        person_times=held["training_people"] or 0,
        activity_person_times=held["activity_people"] or 0,
        fund=fund,
    )


def fund_totals(user: Any, until: date) -> dict[str, str]:
    """The totals of every fund in the scope as at ``until``, in yuan (two statements)."""
    zero = Decimal("0.00")
    if not can(user, "community.fund_view"):
        return {}
    size = scoped(user, Fund.objects.all()).aggregate(total=Sum("size"))["total"] or zero
    sums = scoped(user, FundEntry.objects.filter(booked_on__lte=until)).aggregate(
        injected=Sum("amount", filter=Q(kind=FundEntry.Kind.INJECTION)),
        committed=Sum("amount", filter=Q(kind=FundEntry.Kind.COMMITMENT)),
        released=Sum("amount", filter=Q(kind=FundEntry.Kind.RELEASE)),
        paid=Sum("amount", filter=Q(kind=FundEntry.Kind.PAYMENT)),
    )
    injected = sums["injected"] or zero
    committed = (sums["committed"] or zero) - (sums["released"] or zero)
    return {
        "size": f"{size:.2f}",
        "injected": f"{injected:.2f}",
        "committed": f"{committed:.2f}",
        "paid": f"{sums['paid'] or zero:.2f}",
        "available": f"{injected - committed:.2f}",
    }
