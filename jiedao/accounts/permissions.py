"""Who may do what on which object: the mechanism, and the registry the apps fill.

Two questions, both answered here and nowhere else:

* **May this role perform this action at all?** Each app declares its actions (action → roles)
  in its own ``policy.py``; :func:`can` and :func:`require` read them from the registry.
* **Is this object inside the user's scope?** Each app declares, for its models, which lookup
  each scope level must match; :func:`scoped` filters any registered queryset with them.
  Selectors call it; services fetch the objects they change through it too, so that an object
  outside the scope is simply not found (HTTP 404) and scope cannot be probed.

The apps register their ``policy.py`` from ``AppConfig.ready()`` with :func:`register`. This
module knows no app's actions: ``accounts`` depends on no app that depends on it. An action or a
model registered twice is refused, so that two apps cannot silently overwrite each other's
rules, and an action nobody registered is a ``KeyError`` naming it, never a silent "no".
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import Forbidden, NotFound, Unauthenticated
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

# model label → scope level → (lookup on the model, attribute of Scope it must equal). A level
# may list several rules: the object is visible when any of them matches; a level missing from
# a model's rules sees none of its objects.
ScopeRule = tuple[str, str]
ScopeRules = Mapping[Level, ScopeRule | list[ScopeRule]]


class Registry:
    """The actions and scope rules the apps declared. One instance, :data:`registry`, serves
    the installation; a test may build its own to try registrations without touching it."""

    def __init__(self) -> None:
        self._actions: dict[str, frozenset[str]] = {}
        self._scopes: dict[str, ScopeRules] = {}
        self._owners: dict[str, str] = {}  # action or model label → the app that declared it
        self.actions: Mapping[str, frozenset[str]] = MappingProxyType(self._actions)
        self.scopes: Mapping[str, ScopeRules] = MappingProxyType(self._scopes)

    def register(
        self,
        *,
        owner: str,
        actions: Mapping[str, Iterable[str]] | None = None,
        scopes: Mapping[str, ScopeRules] | None = None,
    ) -> None:
        """Add ``owner``'s actions (action → roles) and scope rules (model label → rules).

        Everything is checked before anything is added: a refused registration changes
        nothing. ``owner`` (the app's name) is what the error for a duplicate names."""
        actions = actions or {}
        scopes = scopes or {}
        for name in [*actions, *scopes]:
            if name in self._owners:
                raise ImproperlyConfigured(
                    f"{owner} registers the permission rules for “{name}”, which "
                    f"{self._owners[name]} has registered already."
                )
        for name, roles in actions.items():
            self._actions[name] = frozenset(roles)
            self._owners[name] = owner
        for label, rules in scopes.items():
            self._scopes[label] = MappingProxyType(dict(rules))
            self._owners[label] = owner

    def roles_for(self, action: str) -> frozenset[str]:
        try:
            return self._actions[action]
        except KeyError:
            raise KeyError(
                f"Unknown permission action “{action}”: no app registered it in its policy.py."
            ) from None

    def rules_for(self, label: str) -> ScopeRules:
        try:
            return self._scopes[label]
        except KeyError:
            raise KeyError(
                f"No scope rules for the model “{label}”: its app registers none in its policy.py."
            ) from None

    def owners(self) -> frozenset[str]:
        return frozenset(self._owners.values())


registry = Registry()
register = registry.register
# Read-only views of the registry, for the pages and the tests that list them.
ACTION_ROLES = registry.actions
SCOPE_LOOKUPS = registry.scopes


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
    # The one event whose follow code the actor holds (a resident without an account, see
    # jiedao.portal.actors): the code is the proof, as a signed-in reporter's account is.
    followed_event_id: int | None = None


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
        followed_event_id=getattr(user, "followed_event_id", None),
    )


ModelT = TypeVar("ModelT", bound=Model)


def can(user: Any, action: str) -> bool:
    """Whether the user's role may perform ``action`` at all (scope is checked on objects)."""
    roles = registry.roles_for(action)
    if user is SYSTEM:
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.role in roles


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
    rules = registry.rules_for(model._meta.label_lower).get(scope.level)
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
