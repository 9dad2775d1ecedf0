"""Designating the legal reviewers (法制审核人员) and withdrawing them: the administrator's or a
leader's act, audited. Only an enforcement officer or a leader may be designated: they are the
roles that may take the review steps of the case table."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.models import User
from jiedao.accounts.permissions import get_in_scope, require
from jiedao.core.errors import Conflict, ErrorList, InvalidInput, NotFound
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update

from .. import policy
from ..models import LegalReviewer
from .common import actor_user

AUDIT_ACTION_LABELS = {
    "enforcement.reviewer_designate": _("Legal reviewer designated"),
    "enforcement.reviewer_withdraw": _("Legal reviewer withdrawn"),
}


def _candidate(actor: Any, user_id: int | None) -> User:
    try:
        user = get_in_scope(actor, User.objects.all(), pk=user_id or 0)
    except NotFound:
        raise InvalidInput(
            _("%(field)s: choose a member of staff.") % {"field": _("Legal reviewer")},
            code="unknown",
            field="user",
        ) from None
    if user.role not in policy.ACTIONS["enforcement.case_review"] or not user.is_active:
        raise InvalidInput(
            _(
                "%(field)s: only an enforcement officer or a leader can be designated legal "
                "reviewer, and %(name)s is “%(role)s”."
            )
            % {
                "field": _("Legal reviewer"),
                "name": user.display_name,
                "role": user.get_role_display(),
            },
            code="role",
            field="user",
        )
    return user


@transaction.atomic
def legal_reviewer_designate(*, actor: Any, user_id: int | None, certificate: str) -> LegalReviewer:
    """Designate ``user_id`` as legal reviewer with the number of their legal qualification or
    enforcement certificate; a withdrawn designation is renewed."""
    require(actor, "enforcement.reviewer_manage")
    errors = ErrorList()
    user = errors.check(lambda: _candidate(actor, user_id), default=None)
    number = errors.check(
        lambda: clean_text(
            certificate,
            field="certificate",
            label=_("Certificate number"),
            max_length=50,
            required=True,
        ),
        default="",
    )
    errors.raise_any()
    assert user is not None  # noqa: S101 - raise_any raised otherwise
    existing = LegalReviewer.objects.select_for_update().filter(user=user).first()
    if existing is not None and existing.is_active:
        raise Conflict(
            _("%(name)s is a legal reviewer already.") % {"name": user.display_name},
            code="designated",
        )
    data = {
        "user": user,
        "certificate": number,
        "designated_by": actor_user(actor),
        "designated_at": timezone.now(),
        "withdrawn_at": None,
        "withdrawn_by": None,
    }
    if existing is None:
        return model_create(
            model=LegalReviewer, data=data, actor=actor, action="enforcement.reviewer_designate"
        )
    model_update(instance=existing, data=data, actor=actor, action="enforcement.reviewer_designate")
    return existing


@transaction.atomic
def legal_reviewer_withdraw(*, actor: Any, user_id: int) -> LegalReviewer:
    """Withdraw ``user_id``'s designation: from now on they review no case. The reviews they
    did keep them as their reviewer."""
    require(actor, "enforcement.reviewer_manage")
    reviewer = get_in_scope(
        actor,
        LegalReviewer.objects.select_for_update(of=("self",)).select_related("user"),
        user_id=user_id,
        withdrawn_at__isnull=True,
    )
    model_update(
        instance=reviewer,
        data={"withdrawn_at": timezone.now(), "withdrawn_by": actor_user(actor)},
        actor=actor,
        action="enforcement.reviewer_withdraw",
    )
    return reviewer
