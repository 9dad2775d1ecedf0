"""Telling officers about their cases: the clock warnings (the periodic job's work), and the
legal reviewers that a case waits for them.

A case's running clock (``clock``, ``clock_due_at``, ``clock_warn_at``, kept by the case's
steps) turns yellow once ``clock_warn_at`` passes and red once ``clock_due_at`` passes. Each
level of each clock is sent once per case (``alerted_clock`` and ``alerted_level`` record the
last one sent): yellow to the enforcement officers of the case's department, red to them and
to the subdistrict's supervisors. A clock found already late is sent as red alone. The
notifications are the events app's (:func:`jiedao.events.services.notify_users`), written in
the same transaction as the case's record of them, in one INSERT … SELECT, so that both commit or
neither does.

When a case enters 法制审核, each active legal reviewer who sees it (leaders the subdistrict,
officers their department) and did not handle it is told, in the submission's transaction; the
review step that deals with it marks those notifications read, whoever did it.
"""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from jiedao.accounts.models import Role, User
from jiedao.accounts.permissions import SYSTEM, require
from jiedao.core.updates import model_update
from jiedao.events.models import Notification
from jiedao.events.services.notifications import notify_users

from .. import clocks, policy
from ..models import Case, CaseStep, LegalReviewer
from ..notices import REVIEW_WAITING, clock_kind, clock_params

RANK = {"": 0, "yellow": 1, "red": 2}


def case_clock_warnings_send(*, actor: Any = SYSTEM, now: datetime | None = None) -> dict[str, int]:
    """Send every clock warning that is due and not sent yet. Each case is its own
    transaction, so one failure does not hold back the rest. Returns how many of each level
    were sent."""
    if actor is not SYSTEM:
        require(actor, "enforcement.case_manage")
    now = now or timezone.now()
    another_clock = ~Q(alerted_clock=F("clock"))
    due = (
        Case.objects.exclude(clock="")
        .filter(
            (Q(clock_warn_at__lte=now) & (another_clock | Q(alerted_level="")))
            | (Q(clock_due_at__lt=now) & (another_clock | ~Q(alerted_level="red")))
        )
        .order_by("pk")
    )
    counts = {"yellow": 0, "red": 0}
    for case_id in due.values_list("pk", flat=True).iterator(chunk_size=500):
        level = _clock_warning_send(case_id=case_id, actor=actor, now=now)
        if level is not None:
            counts[level] += 1
    return counts


@transaction.atomic
def _clock_warning_send(*, case_id: int, actor: Any, now: datetime) -> str | None:
    case = Case.objects.select_for_update().get(pk=case_id)
    level = clocks.case_level(case, now)
    sent = case.alerted_level if case.alerted_clock == case.clock else ""
    if not case.clock or RANK.get(level, 0) <= RANK[sent]:
        return None  # a step moved the case on meanwhile, or another run sent it
    model_update(
        instance=case,
        data={"alerted_clock": case.clock, "alerted_level": level},
        actor=actor,
        action="enforcement.case_clock_warning",
    )
    recipients = Q(role=Role.ENFORCEMENT_OFFICER, department_id=case.department_id)
    if level == "red":
        recipients |= Q(role=Role.SUPERVISOR, subdistrict_id=case.subdistrict_id)
    notify_users(
        recipients=User.objects.filter(recipients),
        kind=clock_kind(level),
        params=clock_params(title=case.title, clock=case.clock, due_at=case.clock_due_at),
        link=_case_link(case),
    )
    return level


def _case_link(case: Case) -> str:
    return reverse("enforcement:case", args=[case.pk])


def _reviewers_of(case: Case, actor: Any) -> Any:
    """The active legal reviewers who see ``case`` (the case's scope rules from the users'
    side: leaders the subdistrict, officers their department) and did not handle it."""
    handlers = CaseStep.objects.filter(
        case=case, action__in=policy.HANDLER_STEPS, actor__isnull=False
    ).values("actor_id")
    reviewers = User.objects.filter(
        Q(role=Role.SUPERVISOR, subdistrict_id=case.subdistrict_id)
        | Q(role=Role.ENFORCEMENT_OFFICER, department_id=case.department_id),
        pk__in=LegalReviewer.objects.filter(withdrawn_at__isnull=True).values("user_id"),
    ).exclude(pk__in=handlers)
    for user_id in (case.created_by_id, getattr(actor, "pk", None)):
        if user_id is not None:
            reviewers = reviewers.exclude(pk=user_id)
    return reviewers


def review_notices_send(*, case: Case, actor: Any) -> None:
    """Tell the case's legal reviewers that it waits for their review: one statement."""
    notify_users(
        recipients=_reviewers_of(case, actor),
        kind=REVIEW_WAITING,
        params={"subject": case.title},
        link=_case_link(case),
    )


def review_notices_close(*, case: Case) -> None:
    """The review is done: the notifications about it are read, whoever did it."""
    Notification.objects.filter(
        kind=REVIEW_WAITING, link=_case_link(case), read_at__isnull=True
    ).update(read_at=timezone.now())
