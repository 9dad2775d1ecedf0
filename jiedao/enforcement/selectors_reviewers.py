"""Reads of the legal reviewers (法制审核人员), narrowed to the user's scope: the designations
(active first) and the staff who may be designated."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.models import User
from jiedao.accounts.permissions import require, scoped
from jiedao.core.errors import InvalidInput

from . import policy
from .models import LegalReviewer


def reviewer_list(*, user: Any) -> QuerySet[LegalReviewer]:
    """Every designation in the user's scope, the active ones first (one statement)."""
    require(user, "enforcement.reviewer_manage")
    return scoped(
        user,
        LegalReviewer.objects.select_related("user__department", "designated_by", "withdrawn_by"),
    ).order_by("withdrawn_at", "-designated_at", "pk")


def reviewer_candidates(*, user: Any) -> QuerySet[User]:
    """The staff in the user's scope who may be designated and are not now (one statement)."""
    require(user, "enforcement.reviewer_manage")
    active = LegalReviewer.objects.filter(withdrawn_at__isnull=True).values("user_id")
    return (
        scoped(user, User.objects.select_related("department"))
        .filter(role__in=policy.ACTIONS["enforcement.case_review"], is_active=True)
        .exclude(pk__in=active)
        .order_by("role", "username")
    )


def staff_by_username(*, user: Any, username: str) -> User:
    """The member of staff in the user's scope with this user name (for the command)."""
    require(user, "enforcement.reviewer_manage")
    found = scoped(user, User.objects.filter(username=username.strip())).first()
    if found is None:
        raise InvalidInput(
            _("%(field)s: no user “%(username)s” in your scope.")
            % {"field": _("Legal reviewer"), "username": username},
            code="unknown",
            field="user",
        )
    return found
