"""Who may do what on which object: the one place that decides.

Two questions, both answered here and nowhere else:

* **May this role perform this action at all?** ``ACTION_ROLES`` is the table.
* **Is this object inside the user's scope?** ``scoped()`` filters any registered queryset to
  what the user's scope covers, using ``SCOPE_LOOKUPS``. Selectors call it; services fetch the
  objects they change through it too, so that an object outside the scope is simply not found
  (HTTP 404) and scope cannot be probed.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import Forbidden, NotFound, Unauthenticated
from jiedao.events.workflow import EVENT_ACTION_ROLES
from jiedao.geo.lookup import grid_index

from .models import Role, User


class Level(StrEnum):
    NONE = "none"
    GRID = "grid"
    COMMUNITY = "community"
    DEPARTMENT = "department"
    SUBDISTRICT = "subdistrict"


ROLE_LEVEL: dict[str, Level] = {
    Role.RESIDENT: Level.NONE,
    Role.GRID_WORKER: Level.GRID,
    Role.GRID_LEAD: Level.COMMUNITY,
    Role.DEPARTMENT_HANDLER: Level.DEPARTMENT,
    Role.ENFORCEMENT_OFFICER: Level.DEPARTMENT,
    Role.SOCIAL_ORGANISATION: Level.COMMUNITY,
    Role.DISPATCHER: Level.SUBDISTRICT,
    Role.SUPERVISOR: Level.SUBDISTRICT,
    Role.ADMINISTRATOR: Level.SUBDISTRICT,
}

STAFF_ROLES = frozenset(set(Role) - {Role.RESIDENT})
ALL_ROLES = frozenset(Role)

# (action) → roles allowed. Scope is checked separately, on the object.
ACTION_ROLES: dict[str, frozenset[str]] = {
    "geo.view": STAFF_ROLES,
    "geo.manage": frozenset({Role.ADMINISTRATOR}),
    "audit.view": frozenset({Role.ADMINISTRATOR}),
    "accounts.manage": frozenset({Role.ADMINISTRATOR}),
    "accounts.view_self": ALL_ROLES,
    # Key-task supervision: supervisors run it, lead units report, dispatchers and leads read.
    "supervision.view": frozenset(
        {
            Role.SUPERVISOR,
            Role.ADMINISTRATOR,
            Role.DISPATCHER,
            Role.GRID_LEAD,
            Role.DEPARTMENT_HANDLER,
            Role.ENFORCEMENT_OFFICER,
        }
    ),
    "supervision.manage": frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR}),
    "supervision.comment": frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR}),
    "supervision.export": frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR}),
    "supervision.report": frozenset({Role.DEPARTMENT_HANDLER, Role.ENFORCEMENT_OFFICER}),
    **EVENT_ACTION_ROLES,
    # Event figures and the dashboard: staff with a scope of work (the figures follow it).
    "events.figures": STAFF_ROLES - {Role.SOCIAL_ORGANISATION},
    "calendar.view": STAFF_ROLES,
    "calendar.manage": frozenset({Role.ADMINISTRATOR}),
    # Residents' portal: dispatchers and administrators hide reports from public outputs.
    "portal.moderate": frozenset({Role.DISPATCHER, Role.ADMINISTRATOR}),
    # Open311: administrators issue and revoke API keys.
    "open311.manage_keys": frozenset({Role.ADMINISTRATOR}),
}


class SystemActor:
    """The installation itself, acting through commands and background tasks (loading the demo,
    importing files, marking deadlines). Interfaces never pass it: they pass the signed-in user.
    """

    is_authenticated = True
    is_active = True
    is_staff = False
    role = "system"
    pk = None

    def get_username(self) -> str:
        return "system"

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()
# Who acts in a service: a signed-in user, or the installation itself.
Actor = User | SystemActor


@dataclass(frozen=True)
class Scope:
    level: Level
    subdistrict_id: int | None = None
    community_id: int | None = None
    grid_id: int | None = None
    department_id: int | None = None
    user_id: int | None = None


def scope_of(user: Any) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope(Level.NONE)
    level = ROLE_LEVEL[user.role]
    if level is Level.COMMUNITY and user.community_id is None:
        # A social organisation serving the whole subdistrict has no community of its own.
        level = Level.SUBDISTRICT
    community_id = user.community_id
    if level is Level.GRID and user.grid_id is not None:
        # The grid index knows every grid's community: no query on every request.
        community_id = grid_index().community_ids.get(user.grid_id) or user.grid.community_id
    return Scope(
        level=level,
        subdistrict_id=user.subdistrict_id,
        community_id=community_id,
        grid_id=user.grid_id,
        department_id=user.department_id,
        user_id=user.pk,
    )


# model label → scope level → (lookup on the model, attribute of Scope it must equal).
# Department staff see the geography of their whole subdistrict: they act anywhere in it.
# A level may list several rules: the object is visible when any of them matches.
ScopeRule = tuple[str, str]
SCOPE_LOOKUPS: dict[str, dict[Level, ScopeRule | list[ScopeRule]]] = {
    "geo.subdistrict": {
        Level.SUBDISTRICT: ("pk", "subdistrict_id"),
        Level.DEPARTMENT: ("pk", "subdistrict_id"),
        Level.COMMUNITY: ("pk", "subdistrict_id"),
        Level.GRID: ("pk", "subdistrict_id"),
    },
    "geo.community": {
        Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("subdistrict", "subdistrict_id"),
        Level.COMMUNITY: ("pk", "community_id"),
        Level.GRID: ("pk", "community_id"),
    },
    "geo.grid": {
        Level.SUBDISTRICT: ("community__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("community__subdistrict", "subdistrict_id"),
        Level.COMMUNITY: ("community", "community_id"),
        Level.GRID: ("pk", "grid_id"),
    },
    "geo.department": {
        Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("subdistrict", "subdistrict_id"),
        Level.COMMUNITY: ("subdistrict", "subdistrict_id"),
        Level.GRID: ("subdistrict", "subdistrict_id"),
    },
    # Key-task supervision: department staff see only the tasks their department leads.
    "supervision.plan": {
        Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("subdistrict", "subdistrict_id"),
        Level.COMMUNITY: ("subdistrict", "subdistrict_id"),
    },
    "supervision.task": {
        Level.SUBDISTRICT: ("plan__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("lead_unit", "department_id"),
        Level.COMMUNITY: ("plan__subdistrict", "subdistrict_id"),
    },
    "supervision.progressreport": {
        Level.SUBDISTRICT: ("task__plan__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("task__lead_unit", "department_id"),
        Level.COMMUNITY: ("task__plan__subdistrict", "subdistrict_id"),
    },
    "supervision.attachment": {
        Level.SUBDISTRICT: ("report__task__plan__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("report__task__lead_unit", "department_id"),
        Level.COMMUNITY: ("report__task__plan__subdistrict", "subdistrict_id"),
    },
    "supervision.reminder": {
        Level.SUBDISTRICT: ("task__plan__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("department", "department_id"),
        Level.COMMUNITY: ("task__plan__subdistrict", "subdistrict_id"),
    },
    "accounts.user": {
        Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("department", "department_id"),
        Level.COMMUNITY: ("community", "community_id"),
        Level.GRID: ("grid", "grid_id"),
    },
    # Events: a grid worker sees their grid, a lead their community, department staff what their
    # department is responsible for or was called to, everyone what they reported themselves.
    "events.event": {
        Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: [
            ("responsible_department", "department_id"),
            ("assignments__department", "department_id"),
            ("reported_by", "user_id"),
        ],
        Level.COMMUNITY: [("community", "community_id"), ("reported_by", "user_id")],
        Level.GRID: [("grid", "grid_id"), ("reported_by", "user_id")],
        Level.NONE: ("reported_by", "user_id"),
    },
    "events.eventphoto": {
        Level.SUBDISTRICT: ("event__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: [
            ("event__responsible_department", "department_id"),
            ("event__assignments__department", "department_id"),
            ("event__reported_by", "user_id"),
        ],
        Level.COMMUNITY: [("event__community", "community_id"), ("event__reported_by", "user_id")],
        Level.GRID: [("event__grid", "grid_id"), ("event__reported_by", "user_id")],
        Level.NONE: ("event__reported_by", "user_id"),
    },
    "events.notification": {level: ("user", "user_id") for level in Level},
    "portal.publicvisibility": {Level.SUBDISTRICT: ("event__subdistrict", "subdistrict_id")},
    "open311.open311apikey": {Level.SUBDISTRICT: ("subdistrict", "subdistrict_id")},
}

ModelT = TypeVar("ModelT", bound=Model)


def can(user: Any, action: str) -> bool:
    """Whether the user's role may perform ``action`` at all (scope is checked on objects)."""
    if user is SYSTEM:
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.role in ACTION_ROLES[action]


def require(user: Any, action: str) -> None:
    if user is None or not user.is_authenticated:
        raise Unauthenticated(_("Please sign in first."))
    if not can(user, action):
        raise Forbidden(
            _("Your role (%(role)s) may not do this.") % {"role": Role(user.role).label},
            code="forbidden",
        )


def scope_q(user: Any, model: type[Model]) -> Q | None:
    """The filter for ``model`` that the user's scope allows; None means nothing is visible."""
    scope = scope_of(user)
    rules = SCOPE_LOOKUPS[model._meta.label_lower].get(scope.level)
    if rules is None:
        return None
    condition: Q | None = None
    for lookup, attribute in rules if isinstance(rules, list) else [rules]:
        value = getattr(scope, attribute)
        if value is None:
            continue
        part = _lookup_q(model, lookup, value)
        condition = part if condition is None else condition | part
    return condition


def _lookup_q(model: type[Model], lookup: str, value: Any) -> Q:
    # A rule across a to-many relation becomes a subquery, so that neither a join nor an OR of
    # several rules can return an object twice.
    current: Any = model
    for name in lookup.split("__"):
        if name == "pk":
            break
        field = current._meta.get_field(name)
        if field.one_to_many or field.many_to_many:
            return Q(pk__in=model._default_manager.filter(**{lookup: value}).values("pk"))
        if not field.is_relation:
            break
        current = field.related_model
    return Q(**{lookup: value})


def scoped(user: Any, queryset: QuerySet[ModelT]) -> QuerySet[ModelT]:
    """``queryset`` narrowed to the objects inside the user's scope."""
    if user is SYSTEM:
        return queryset
    condition = scope_q(user, queryset.model)
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def get_in_scope(user: Any, queryset: QuerySet[ModelT], **lookup: Any) -> ModelT:
    """One object inside the user's scope, or NotFound — the same answer whether it is missing
    or hidden."""
    try:
        return scoped(user, queryset).get(**lookup)
    except queryset.model.DoesNotExist:  # type: ignore[attr-defined]
        raise NotFound() from None


def in_scope(user: Any, obj: Model) -> bool:
    return scoped(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
