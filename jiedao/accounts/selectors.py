"""Reads of accounts, already narrowed to the reader's scope."""

from typing import Any

from axes.models import AccessAttempt
from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from jiedao.core.errors import NotFound

from .models import Role, User
from .permissions import get_in_scope, require, scoped

PLACE_FIELDS = ("subdistrict", "community", "grid", "department")


def _with_failures(users: QuerySet[User]) -> QuerySet[User]:
    # The failed sign-ins counted towards a lockout, from every address (one subquery).
    failures = (
        AccessAttempt.objects.filter(username=OuterRef("username"))
        .values("username")
        .annotate(total=Sum("failures_since_start"))
        .values("total")
    )
    return users.annotate(
        failed_sign_ins=Coalesce(Subquery(failures, output_field=IntegerField()), 0)
    )


def user_list(
    *, user: Any, role: str = "", place: Any = None, active: bool | None = None
) -> QuerySet[User]:
    """The accounts an administrator manages, filtered by role, by place (the users whose scope
    is that subdistrict, community, grid or department) and by whether they are active."""
    require(user, "accounts.manage")
    users = scoped(user, User.objects.select_related(*PLACE_FIELDS))
    if role:
        users = users.filter(role=role) if role in Role.values else users.none()
    if place is not None:
        users = users.filter(**{str(place._meta.model_name): place})
    if active is not None:
        users = users.filter(is_active=active)
    return _with_failures(users).order_by("role", "username")


def user_get(*, user: Any, pk: int) -> User:
    require(user, "accounts.manage")
    if not isinstance(pk, int):
        raise NotFound()
    return get_in_scope(user, _with_failures(User.objects.select_related(*PLACE_FIELDS)), pk=pk)
