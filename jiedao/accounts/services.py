"""Writes to accounts: users and API tokens."""

import secrets
from datetime import timedelta
from typing import Any

from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.audit.services import audit_record, snapshot
from jiedao.core.errors import InvalidInput, RateLimited, Unauthenticated

from .models import ApiToken, Role, User
from .permissions import require

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
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        action="accounts.user.create",
        target=user,
        after=snapshot(user, exclude=("last_login", "groups", "user_permissions")),
    )
    return user


@transaction.atomic
def api_token_create(
    *, request: HttpRequest, username: str, password: str, name: str
) -> tuple[ApiToken, str]:
    """Exchange a username and password for a bearer token, shown once. Failed attempts count
    towards the same lockout as the login page."""
    try:
        user = authenticate(request, username=username, password=password)
    except AxesBackendPermissionDenied:
        raise RateLimited(
            _("Too many failed sign-ins: this account is locked for a while. Try again later."),
            code="locked_out",
        ) from None
    if user is None:
        raise Unauthenticated(_("Wrong username or password."), code="bad_credentials")
    token = secrets.token_urlsafe(32)
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
