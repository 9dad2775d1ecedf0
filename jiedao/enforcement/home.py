"""The enforcement cards on the role homes (registered by ``EnforcementConfig``)."""

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import can, scoped
from jiedao.core.localtime import local_today
from jiedao.web.cards import Card

from .models import Inspection, Rectification
from .selectors_cases import case_counts, case_review_waiting
from .workflow import InspectionStatus, RectificationStatus


def home_cards(user: Any) -> list[Card]:
    """The officer's inspections of today and rectifications due; for readers, the open and
    overdue rectification items; for case readers, the cases with a clock due or late, and for
    those who publish decisions, the decisions awaiting disclosure and late for it; for a
    designated legal reviewer, the cases waiting for their review; for those who designate
    reviewers, the way to them. At most five statements whatever the data."""
    if not can(user, "enforcement.view"):
        return []
    today = local_today()
    inspections = scoped(user, Inspection.objects.all()).aggregate(
        today=Count(
            "pk",
            filter=Q(
                planned_on=today,
                status__in=[InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS],
            ),
        ),
        late=Count("pk", filter=Q(planned_on__lt=today, status=InspectionStatus.PLANNED)),
    )
    rectifications = scoped(
        user, Rectification.objects.filter(status=RectificationStatus.OPEN)
    ).aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(deadline__lt=timezone.now())),
    )
    cards = [
        Card(
            title=_("Joint inspections"),
            url=reverse("enforcement:inspections"),
            description=_("One visit, several departments, one list of findings."),
            count=inspections["today"],
            count_label=_("planned today"),
            urgent=inspections["late"],
            urgent_label=_("planned earlier, not started"),
            order=20,
        ),
        Card(
            title=_("Rectification items"),
            url=reverse("enforcement:rectifications"),
            description=_("Problems found, their deadlines and re-checks."),
            count=rectifications["open"],
            count_label=_("being rectified"),
            urgent=rectifications["overdue"],
            urgent_label=_("past the deadline"),
            order=21,
        ),
    ]
    if can(user, "enforcement.case_view"):
        cases = case_counts(user=user)
        cards.append(
            Card(
                title=_("Penalty cases"),
                url=reverse("enforcement:cases"),
                description=_("Open cases and their statutory time limits."),
                count=cases["due"],
                count_label=_("with a time limit due soon"),
                urgent=cases["late"],
                urgent_label=_("past a time limit"),
                order=22,
            )
        )
    if can(user, "enforcement.case_view") and can(user, "enforcement.disclosure_publish"):
        cards.append(
            Card(
                title=_("Public disclosure (双公示)"),
                url=reverse("enforcement:cases") + "?disclosure=pending",
                description=_("Penalty decisions to publish within seven working days."),
                count=cases["disclosure_pending"],
                count_label=_("awaiting disclosure"),
                urgent=cases["disclosure_late"],
                urgent_label=_("disclosure late"),
                order=23,
            )
        )
    if can(user, "enforcement.case_view"):
        waiting = case_review_waiting(user=user)
        if waiting is not None:
            cards.append(
                Card(
                    title=_("Waiting for legal review"),
                    url=reverse("enforcement:cases") + "?to_review=1",
                    description=_("Cases sent to you for the legal review (法制审核)."),
                    count=waiting,
                    count_label=_("cases to review"),
                    order=24,
                )
            )
    if can(user, "enforcement.reviewer_manage"):
        cards.append(
            Card(
                title=_("Legal reviewers"),
                url=reverse("enforcement:reviewers"),
                description=_("Who is designated for the legal review (法制审核) of cases."),
                order=25,
            )
        )
    return cards
