"""Writes to accounts: users and API tokens."""

import secrets
from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.audit.services import audit_record, snapshot
from jiedao.core.errors import InvalidInput, NotFound, RateLimited, Unauthenticated

from .models import ApiToken, Role, User
from .permissions import in_scope, require

LOCKED_OUT_MESSAGE = _(
    "Too many failed sign-ins: this account is locked for a while. Try again later."
)

# Which scope field each role needs (see the constraints on User).
ROLE_SCOPE_FIELD: dict[str, str | None] = {
    Role.RESIDENT: None,
    Role.GRID_WORKER: "grid",
    Role.GRID_LEAD: "community",
    Role.DEPARTMENT_HANDLER: "department",
    Role.ENFORCEMENT_OFFICER: "department",
    Role.SOCIAL_ORGANISATION: None,
    Role.DISPATCHER: None,
    Role.SUPERVISOR: None,
    Role.ADMINISTRATOR: None,
}


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    phone: str = "",
    subdistrict: Any = None,
    community: Any = None,
    grid: Any = None,
    department: Any = None,
) -> User:
    """Create a user with a role and the scope that role needs (administrators, or SYSTEM when
    installing)."""
    require(actor, "accounts.manage")
    if role not in Role.values:
        raise InvalidInput(_("Unknown role “%(role)s”.") % {"role": role}, field="role")
    if not username:
        raise InvalidInput(_("A username is required."), code="required", field="username")
    if User.objects.filter(username=username).exists():
        raise InvalidInput(
            _("The username %(username)s is taken.") % {"username": username},
            code="duplicate",
            field="username",
        )
    needed = ROLE_SCOPE_FIELD[role]
    scope = {"community": community, "grid": grid, "department": department}
    if needed and scope[needed] is None:
        raise InvalidInput(
            _("A %(role)s needs a %(field)s.") % {"role": Role(role).label, "field": _(needed)},
            code="required",
            field=needed,
        )
    if grid is not None:
        community = grid.community
        subdistrict = community.subdistrict
    elif community is not None:
        subdistrict = community.subdistrict
    elif department is not None:
        subdistrict = department.subdistrict
    if role != Role.RESIDENT and subdistrict is None:
        raise InvalidInput(_("Staff need a subdistrict."), code="required", field="subdistrict")
    # An administrator places users only inside their own scope.
    for place in (subdistrict, community, grid, department):
        if place is not None and not in_scope(actor, place):
            raise NotFound()
    user = User(
        username=username,
        full_name=full_name,
        phone=phone,
        role=role,
        subdistrict=subdistrict,
        community=community,
        grid=grid,
        department=department,
        is_staff=role == Role.ADMINISTRATOR,
        is_superuser=role == Role.ADMINISTRATOR,
    )
    try:
        # Lengths and the username's characters; the rules above already covered the rest.
        user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise InvalidInput(" ".join(messages), field=field) from None
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        action="accounts.user.create",
        target=user,
        after=snapshot(user, exclude=("last_login", "groups", "user_permissions")),
    )
    return user


def api_token_create(
    *, request: HttpRequest, username: str, password: str, name: str
) -> tuple[ApiToken, str]:
    """Exchange a username and password for a bearer token, shown once. Failed attempts count
    towards the same lockout as the login page.

    Not atomic as a whole: django-axes records a failed attempt inside ``authenticate()``, and
    that record must survive the error we raise for it.
    """
    user = authenticate(request, username=username, password=password)
    # Set by django-axes when this attempt reached the limit or the pair is already locked out.
    if getattr(request, "axes_locked_out", False):
        raise RateLimited(LOCKED_OUT_MESSAGE, code="locked_out")
    if user is None:
        raise Unauthenticated(_("Wrong username or password."), code="bad_credentials")
    # A sign-in like the login page's: updates last_login, and django-axes resets the failures.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        api_token = ApiToken.objects.create(
            user=user,
            name=name,
            token_hash=ApiToken.hash(token),
            prefix=token[:8],
            expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
        )
        audit_record(
            actor=user,
            action="accounts.token.create",
            target=api_token,
            after={"name": name, "prefix": api_token.prefix, "expires_at": api_token.expires_at},
        )
    return api_token, token


@transaction.atomic
def user_unlock(*, actor: Any, user: User) -> int:
    """End a sign-in lockout of ``user`` before its cool-off: forget the account's failed
    attempts from every address (administrators, or SYSTEM from the console). Returns how many
    failures were forgotten; the audit entry records them even when there were none."""
    require(actor, "accounts.manage")
    if not in_scope(actor, user):
        raise NotFound()
    attempts = AccessAttempt.objects.filter(username=user.get_username())
    failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
    attempts.delete()
    audit_record(
        actor=actor,
        action="accounts.user.unlock",
        target=user,
        before={"failed_sign_ins": failures},
        after={"failed_sign_ins": 0},
    )
    return failures
