"""Telling the legal reviewers that a case waits for them: one notice per reviewer, written
with the submission in one INSERT … SELECT (it commits or rolls back with the step), and marked
read by the review step that deals with it."""

from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from jiedao.accounts.models import Role, User

from .. import policy
from ..models import Case, CaseNotice, CaseStep, LegalReviewer

REVIEW_WAITING = "review_waiting"


def _reviewers_of(case: Case, actor: Any) -> Any:
    """The active legal reviewers who see ``case`` (the case's scope rules from the users'
    side: leaders the subdistrict, officers their department) and did not handle it."""
    handlers = CaseStep.objects.filter(
        case=case, action__in=policy.HANDLER_STEPS, actor__isnull=False
    ).values("actor_id")
    reviewers = User.objects.filter(
        Q(role=Role.SUPERVISOR, subdistrict_id=case.subdistrict_id)
        | Q(role=Role.ENFORCEMENT_OFFICER, department_id=case.department_id),
        is_active=True,
        pk__in=LegalReviewer.objects.filter(withdrawn_at__isnull=True).values("user_id"),
    ).exclude(pk__in=handlers)
    for user_id in (case.created_by_id, getattr(actor, "pk", None)):
        if user_id is not None:
            reviewers = reviewers.exclude(pk=user_id)
    return reviewers


def review_notices_send(*, case: Case, actor: Any) -> None:
    """Tell the case's legal reviewers that it waits for their review: one statement."""
    select, params = _reviewers_of(case, actor).values("pk").query.sql_with_params()
    table = CaseNotice._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, case_id, kind, created_at, read_at) "  # noqa: S608
            f"SELECT reviewer.pk, %s, %s, %s, NULL FROM ({select}) reviewer "
            "ORDER BY reviewer.pk",
            [case.pk, REVIEW_WAITING, now, *params],
        )


def review_notices_close(*, case: Case) -> None:
    """The review is done: the notices about it are read, whoever did it."""
    CaseNotice.objects.filter(case=case, kind=REVIEW_WAITING, read_at__isnull=True).update(
        read_at=timezone.now()
    )
