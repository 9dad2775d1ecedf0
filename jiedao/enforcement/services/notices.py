"""Telling officers about their cases: the clock warnings (the periodic job's work) and marking
notifications read.

A case's running clock (``clock``, ``clock_due_at``, ``clock_warn_at``, kept by the case's
steps) turns yellow once ``clock_warn_at`` passes and red once ``clock_due_at`` passes. Each
level of each clock is sent once per case (``alerted_clock`` and ``alerted_level`` record the
last one sent): yellow to the enforcement officers of the case's department, red to them and
to the subdistrict's supervisors. A clock found already late is sent as red alone. The
notifications are written in the same transaction as the case's record of them, in one
INSERT … SELECT, so that both commit or neither does.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from jiedao.accounts.models import Role, User
from jiedao.accounts.permissions import SYSTEM, require, scoped
from jiedao.audit.services import audit_record
from jiedao.core.updates import model_update

from .. import clocks
from ..models import Case, CaseNotification
from ..notices import clock_kind, clock_params

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
    _notifications_insert(
        User.objects.filter(recipients, is_active=True),
        case=case,
        kind=clock_kind(level),
        params=clock_params(case.clock, case.clock_due_at),
    )
    return level


def _notifications_insert(
    recipients: QuerySet[User], *, case: Case, kind: str, params: dict[str, Any]
) -> None:
    """One notification per recipient in one INSERT … SELECT, as the events' notifications."""
    select, params_sql = recipients.values("pk").query.sql_with_params()
    table = CaseNotification._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    stored = CaseNotification._meta.get_field("params").get_db_prep_save(params, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} "  # noqa: S608
            "(user_id, case_id, kind, params, created_at, read_at) "
            f"SELECT recipient.pk, %s, %s, %s, %s, NULL FROM ({select}) recipient "
            "ORDER BY recipient.pk",
            [case.pk, kind, stored, now, *params_sql],
        )


@transaction.atomic
def case_notification_mark_read(
    *, actor: Any, notification_ids: Sequence[int] | None = None
) -> int:
    """Mark the actor's case notifications read (all of them, or those listed); how many."""
    require(actor, "enforcement.view")
    unread = scoped(actor, CaseNotification.objects.filter(read_at__isnull=True))
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    ids = list(unread.values_list("pk", flat=True))
    if not ids:
        return 0
    count = CaseNotification.objects.filter(pk__in=ids).update(read_at=timezone.now())
    audit_record(
        actor=actor,
        action="enforcement.case_notification_read",
        target_type="enforcement.casenotification",
        target_id=",".join(str(pk) for pk in ids[:20]),
        target_repr=f"{count} notifications",
        after={"count": count},
    )
    return count
