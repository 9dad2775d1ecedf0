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
from jiedao.core.fielderrors import FieldErrors
from jiedao.core.text import clean_text
from jiedao.core.updates import model_update

from .models import ApiToken, Role, User
from .permissions import SYSTEM, get_in_scope, in_scope, require

LOCKED_OUT_MESSAGE = _(
    "Too many failed sign-ins: this account is locked for a while. Try again later."
)

# What an audit entry of a user never shows.
USER_SNAPSHOT_EXCLUDE = ("last_login", "groups", "user_permissions")

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


# The kind of place each role's scope is (PRODUCT.md): the administration pages offer one place,
# and its kind must be the role's. A social organisation may serve one community or the whole
# subdistrict; a resident has no scope.
ROLE_SCOPE_KINDS: dict[str, tuple[str, ...]] = {
    Role.RESIDENT: (),
    Role.GRID_WORKER: ("grid",),
    Role.GRID_LEAD: ("community",),
    Role.SOCIAL_ORGANISATION: ("community", "subdistrict"),
    Role.DEPARTMENT_HANDLER: ("department",),
    Role.ENFORCEMENT_OFFICER: ("department",),
    Role.DISPATCHER: ("subdistrict",),
    Role.SUPERVISOR: ("subdistrict",),
    Role.ADMINISTRATOR: ("subdistrict",),
}
SCOPE_KIND_LABELS = {
    "grid": _("a grid"),
    "community": _("a community or village"),
    "department": _("a department"),
    "subdistrict": _("the subdistrict"),
}
# Long enough for Django's validators, without characters people confuse when reading it out.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105
PASSWORD_LENGTH = 12


def one_time_password() -> str:
    """A random password an administrator hands over once; it is never stored in clear."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(PASSWORD_LENGTH))


def scope_kind(place: Any) -> str | None:
    return None if place is None else str(place._meta.model_name)


def _scope_fields(
    *, actor: Any, role: str, scope: Any, errors: FieldErrors
) -> dict[str, Any] | None:
    """The user's four scope fields for ``role`` placed at ``scope`` (a subdistrict, community,
    grid or department), or None with the error recorded on ``role`` or ``scope``."""
    if role not in Role.values:
        errors.add("role", _("Choose a role from the list."))
        return None
    kinds = ROLE_SCOPE_KINDS[role]
    kind = scope_kind(scope)
    if not kinds:
        if scope is not None:
            errors.add("scope", _("A resident has no scope: leave the scope empty."))
            return None
        # A resident's subdistrict grants nothing (their scope is their own reports); it keeps
        # the account among those its administrator manages.
        subdistrict = getattr(actor, "subdistrict", None)
        return {"subdistrict": subdistrict, "community": None, "grid": None, "department": None}
    if kind not in kinds:
        errors.add(
            "scope",
            _("A %(role)s works in %(kinds)s: choose one as the scope.")
            % {
                "role": Role(role).label,
                "kinds": _(" or ").join(str(SCOPE_KIND_LABELS[k]) for k in kinds),
            },
            code="required" if scope is None else "invalid",
        )
        return None
    if actor is not SYSTEM and not in_scope(actor, scope):
        raise NotFound()
    grid = scope if kind == "grid" else None
    community = grid.community if grid is not None else (scope if kind == "community" else None)
    department = scope if kind == "department" else None
    parent = community if community is not None else department
    subdistrict = scope if parent is None else parent.subdistrict
    return {
        "subdistrict": subdistrict,
        "community": community,
        "grid": grid,
        "department": department,
    }


def _text_field(
    errors: FieldErrors, field: str, label: Any, value: str, max_length: int, required: bool
) -> str:
    cleaned = errors.check(
        clean_text, value, field=field, label=label, max_length=max_length, required=required
    )
    return cleaned or ""


@transaction.atomic
def user_register(
    *,
    actor: Any,
    username: str,
    full_name: str,
    phone: str = "",
    role: str,
    scope: Any,
) -> tuple[User, str]:
    """Create a staff member's or resident's account with a one-time password (answered, shown
    once, never stored in clear). Every wrong field is reported at once."""
    require(actor, "accounts.manage")
    errors = FieldErrors()
    username = (username or "").strip()
    if not username:
        errors.add("username", _("A username is required."), "required")
    elif User.objects.filter(username=username).exists():
        errors.add(
            "username",
            _("The username %(username)s is taken.") % {"username": username},
            "duplicate",
        )
    else:
        errors.check(_check_username, username)
    full_name = _text_field(errors, "full_name", _("Display name"), full_name, 100, True)
    phone = _text_field(errors, "phone", _("Phone"), phone, 30, False)
    fields = _scope_fields(actor=actor, role=role, scope=scope, errors=errors)
    errors.raise_if_any()
    assert fields is not None  # noqa: S101 - no error recorded means the scope was read
    password = one_time_password()
    user = user_create(
        actor=actor,
        username=username,
        password=password,
        role=role,
        full_name=full_name,
        phone=phone,
        **fields,
    )
    return user, password


def _check_username(username: str) -> None:
    field = User._meta.get_field("username")
    try:
        field.clean(username, None)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), field="username") from None


def _user_for_change(actor: Any, user: User) -> User:
    require(actor, "accounts.manage")
    return get_in_scope(actor, User.objects.select_for_update(), pk=user.pk)


def _not_oneself(actor: Any, user: User, field: str) -> None:
    if getattr(actor, "pk", None) == user.pk:
        raise InvalidInput(
            _("You cannot do this to your own account; ask another administrator."),
            code="own_account",
            field=field,
        )


@transaction.atomic
def user_update(
    *,
    actor: Any,
    user: User,
    full_name: str,
    phone: str,
    role: str,
    scope: Any,
) -> User:
    """Change a user's name, phone, role and scope (the scope's kind must fit the role). An
    administrator keeps their own role: another administrator changes it."""
    user = _user_for_change(actor, user)
    errors = FieldErrors()
    full_name = _text_field(errors, "full_name", _("Display name"), full_name, 100, True)
    phone = _text_field(errors, "phone", _("Phone"), phone, 30, False)
    if role != user.role:
        errors.check(_not_oneself, actor, user, "role")
    fields = _scope_fields(actor=actor, role=role, scope=scope, errors=errors)
    errors.raise_if_any()
    assert fields is not None  # noqa: S101 - no error recorded means the scope was read
    model_update(
        instance=user,
        data={
            "full_name": full_name,
            "phone": phone,
            "role": role,
            **fields,
            "is_staff": role == Role.ADMINISTRATOR,
            "is_superuser": role == Role.ADMINISTRATOR,
        },
        actor=actor,
        action="accounts.user.update",
        exclude=USER_SNAPSHOT_EXCLUDE,
    )
    return user


@transaction.atomic
def user_set_active(*, actor: Any, user: User, active: bool) -> User:
    """Deactivate an account (it can no longer sign in, its API tokens stop working, its
    history stays) or reactivate it."""
    user = _user_for_change(actor, user)
    if not active:
        _not_oneself(actor, user, "is_active")
    model_update(
        instance=user,
        data={"is_active": active},
        actor=actor,
        action="accounts.user.activate" if active else "accounts.user.deactivate",
        exclude=USER_SNAPSHOT_EXCLUDE,
    )
    return user


@transaction.atomic
def user_password_reset(*, actor: Any, user: User) -> str:
    """Give ``user`` a new one-time password, answered to be shown once (the audit entry says a
    reset happened, never the password). The lockout of the account ends with it."""
    user = _user_for_change(actor, user)
    _not_oneself(actor, user, "password")
    password = one_time_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    AccessAttempt.objects.filter(username=user.get_username()).delete()
    audit_record(
        actor=actor,
        action="accounts.user.reset_password",
        target=user,
        after={"password": "reset"},
    )
    return password
