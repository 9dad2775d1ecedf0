"""Reads of the funded projects (公益创投 applications once signed): first tranches late or due
soon, milestones and progress reports — in the user's scope, in a constant number of statements."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q

from jiedao.accounts.permissions import can, get_in_scope, require, scoped

from . import grants
from .models import FundEntry, GrantApplication, Milestone


@dataclass(frozen=True)
class FirstTranche:
    application: GrantApplication
    due: date
    flag: str


def first_tranches_flagged(*, user: Any, today: date) -> list[FirstTranche]:
    """Signed projects whose first tranche is unpaid and late or due within three working days
    (one statement, whatever the number of projects)."""
    if not can(user, "community.fund_view"):
        return []
    applications = (
        scoped(user, GrantApplication.objects.filter(status=GrantApplication.Status.SIGNED))
        .annotate(
            tranches_paid=Count(
                "commitment__drawings", filter=Q(commitment__drawings__kind=FundEntry.Kind.PAYMENT)
            )
        )
        .filter(tranches_paid=0)
        .select_related("organisation")
        .order_by("signed_on", "pk")
    )
    flagged = []
    for application in applications.filter(signed_on__isnull=False):
        signed_on: date = application.signed_on  # type: ignore[assignment]
        flag = grants.first_tranche_flag(signed_on=signed_on, tranches_paid=0, today=today)
        if flag:
            flagged.append(FirstTranche(application, grants.first_tranche_due(signed_on), flag))
    return flagged


def project_get(*, user: Any, application_id: int) -> GrantApplication:
    """A project with its milestones and progress reports (three statements)."""
    require(user, "community.view")
    return get_in_scope(
        user,
        GrantApplication.objects.select_related("round", "organisation")
        .annotate(
            tranches_paid=Count(
                "commitment__drawings", filter=Q(commitment__drawings__kind=FundEntry.Kind.PAYMENT)
            )
        )
        .prefetch_related("milestones", "progress_reports"),
        pk=application_id,
    )


def milestone_get(*, user: Any, milestone_id: int) -> Milestone:
    require(user, "community.view")
    return get_in_scope(user, Milestone.objects.select_related("application"), pk=milestone_id)


def may_report(user: Any, application: GrantApplication) -> bool:
    """Whether the page offers the milestone and progress forms (the service decides anyway)."""
    return (
        can(user, "community.project_report")
        and application.status == GrantApplication.Status.SIGNED
        and application.organisation.members.filter(pk=user.pk).exists()
    )
