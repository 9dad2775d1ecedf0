"""Boundaries from a GeoJSON FeatureCollection: the grids of a subdistrict, or its communities
and villages.

Both are the same two steps over the same reader of features: a plan that checks the whole
file and writes nothing (the page's preview), and the import, which plans again and saves all
or nothing. A feature whose code exists redraws and renames that place; a new code creates one.
What differs between the two levels is the code's length, the parent a new place belongs to,
the properties of its own (a community's kind) and where its boundary may lie."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from shapely.geometry.base import BaseGeometry

from jiedao.accounts.permissions import get_in_scope, require
from jiedao.core.errors import InvalidInput
from jiedao.core.fielderrors import FieldErrors
from jiedao.core.updates import model_create, model_update

from ..boundaries import (
    COMMUNITY_OVERLAP,
    Placed,
    area_m2,
    grids_outside,
    outside_community,
    overlaps,
    placed,
)
from ..codes import validate_code
from ..geometry import parse_boundary
from ..lookup import grids_changed
from ..models import Community, Grid, Subdistrict
from .places import place_name


@dataclass(frozen=True)
class PlannedPlace:
    """One feature of an uploaded file, checked: what confirming the import will do with it."""

    # Where a new place goes: a grid's community, a community's subdistrict.
    parent: Community | Subdistrict
    fields: dict[str, Any]  # name, code, boundary, is_synthetic (and a community's kind)
    existing: Grid | Community | None  # the place it redraws, or None for a new one
    area_m2: float

    @property
    def change(self) -> str:
        """new, changed or unchanged."""
        if self.existing is None:
            return "new"
        same = all(getattr(self.existing, name) == value for name, value in self.fields.items())
        return "unchanged" if same else "changed"


@dataclass(frozen=True)
class _Feature:
    """A feature whose code, name and polygon passed their own checks."""

    number: int
    parent: Any
    properties: dict[str, Any]
    code: str
    name: str
    geometry: Any
    polygon: BaseGeometry

    @property
    def where(self) -> str:
        return f"features[{self.number}]"


# (code, "features[n]", the code's field, the errors) → the parent of the place, or None with
# its error recorded.
ParentOf = Callable[[str, str, str, FieldErrors], Any]


def _collection(
    *, actor: Any, subdistrict: Subdistrict | None, data: Any
) -> tuple[Subdistrict, list[Any]]:
    """The administrator's subdistrict and the file's features, or the reason the file as a
    whole is refused."""
    require(actor, "geo.manage")
    if subdistrict is None:
        raise InvalidInput(_("Your account belongs to no subdistrict."), field="subdistrict")
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InvalidInput(
            _("Expected a GeoJSON FeatureCollection."), code="bad_geojson", field="type"
        )
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise InvalidInput(
            _("The FeatureCollection has no features."), code="bad_geojson", field="features"
        )
    return get_in_scope(actor, Subdistrict.objects.all(), pk=subdistrict.pk), features


def _read_features(
    features: list[Any], *, level: str, parent_of: ParentOf, duplicate: Any, errors: FieldErrors
) -> list[_Feature]:
    """The features that passed their own checks; each other one's problems are recorded, all
    of them at once, on the member of the feature they are about."""
    found: list[_Feature] = []
    seen: set[str] = set()
    for number, feature in enumerate(features):
        where = f"features[{number}]"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.add(
                where, _("%(where)s is not a GeoJSON Feature.") % {"where": where}, "bad_geojson"
            )
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            errors.add(
                f"{where}.properties",
                _("%(where)s: properties must be an object with code and name.") % {"where": where},
                "bad_geojson",
            )
            continue
        code = str(properties.get("code") or "")
        code_field = f"{where}.properties.code"
        parent = None
        if errors.check(validate_code, code, level, field=code_field) is not None:
            parent = parent_of(code, where, code_field, errors)
            if parent is not None and code in seen:
                errors.add(code_field, duplicate % {"code": code}, "duplicate")
                parent = None
            seen.add(code)
        name = errors.check(place_name, properties.get("name"), f"{where}.properties.name")
        polygon = errors.check(parse_boundary, feature.get("geometry"), field=f"{where}.geometry")
        if parent is not None and name is not None and polygon is not None:
            found.append(
                _Feature(number, parent, properties, code, name, feature.get("geometry"), polygon)
            )
    return found


def _planned(
    read: list[_Feature],
    *,
    existing: dict[str, Any],
    errors: FieldErrors,
    problems: Callable[[_Feature, list[Placed]], list[Any]],
    fields: Callable[[_Feature, Any], dict[str, Any]],
) -> list[PlannedPlace]:
    """Each feature's placement checked against ``problems`` (given the file's later features,
    so that two features overlapping each other are named once), then every problem raised
    together, or the plan."""
    shapes = [Placed(code=item.code, name=item.name, polygon=item.polygon) for item in read]
    planned: list[PlannedPlace] = []
    for index, item in enumerate(read):
        found = problems(item, shapes[index + 1 :])
        if found:
            errors.add(
                f"{item.where}.geometry", " ".join(str(text) for text in found), "bad_placement"
            )
        old = existing.get(item.code)
        planned.append(
            PlannedPlace(
                parent=item.parent,
                fields=fields(item, old),
                existing=old,
                area_m2=area_m2(item.polygon),
            )
        )
    errors.raise_if_any()
    return planned


def _save(
    planned: list[PlannedPlace], *, model: type[Model], parent_field: str, actor: Any
) -> dict[str, int]:
    """Create the new places and save the changed ones, each audited; the unchanged are left
    alone (not saved, not audited)."""
    name = model._meta.model_name  # grid or community: the actions geo.grid.create, …
    created = updated = 0
    for plan in planned:
        if plan.existing is None:
            model_create(
                model=model,
                data={parent_field: plan.parent, **plan.fields},
                actor=actor,
                action=f"geo.{name}.create",
            )
            created += 1
        elif model_update(
            instance=model._default_manager.select_for_update().get(pk=plan.existing.pk),
            data=plan.fields,
            actor=actor,
            action=f"geo.{name}.update",
        ):
            updated += 1
    # The point-in-grid index holds the grids with their community.
    transaction.on_commit(grids_changed)
    return {"created": created, "updated": updated}


# --- Grids ---------------------------------------------------------------------------------


def grids_import_plan(
    *, actor: Any, subdistrict: Subdistrict | None, data: Any
) -> list[PlannedPlace]:
    """Check an uploaded GeoJSON FeatureCollection of grids and say what importing it would do,
    writing nothing (the preview). Every wrong feature is reported at once: a code that fits no
    community of the subdistrict, a bad name or polygon, a boundary reaching outside its
    community, or one overlapping another active grid (named) or another feature of the file.
    A feature whose code exists redraws and renames that grid; a new code creates a grid."""
    subdistrict, features = _collection(actor=actor, subdistrict=subdistrict, data=data)
    communities = {c.code: c for c in subdistrict.communities.all()}

    def community_of(code: str, where: str, code_field: str, errors: FieldErrors) -> Any:
        community = communities.get(code[:12])
        if community is None:
            errors.add(
                code_field,
                _("%(where)s: no community of %(subdistrict)s has code %(code)s.")
                % {"where": where, "subdistrict": subdistrict.name, "code": code[:12]},
                "unknown_community",
            )
        return community

    errors = FieldErrors()
    read = _read_features(
        features,
        level="grid",
        parent_of=community_of,
        duplicate=_("Grid code %(code)s appears twice."),
        errors=errors,
    )
    existing = {
        g.code: g for g in Grid.objects.filter(community__subdistrict=subdistrict).order_by("code")
    }
    # Placement: against the active grids the file leaves as they are, and the file's others.
    community_shapes = {item.parent.pk: parse_boundary(item.parent.boundary) for item in read}
    redrawn = {item.code for item in read}
    kept = [
        placed(grid, parse_boundary(grid.boundary))
        for grid in existing.values()
        if grid.is_active and grid.code not in redrawn
    ]

    def problems(item: _Feature, later: list[Placed]) -> list[Any]:
        message = outside_community(item.polygon, item.parent, community_shapes[item.parent.pk])
        return ([message] if message is not None else []) + overlaps(item.polygon, kept + later)

    def fields(item: _Feature, old: Any) -> dict[str, Any]:
        return {
            "name": item.name,
            "code": item.code,
            "boundary": item.geometry,
            "is_synthetic": bool(item.properties.get("synthetic", False)),
        }

    return _planned(read, existing=existing, errors=errors, problems=problems, fields=fields)


@transaction.atomic
def grids_import_geojson(
    *, actor: Any, subdistrict: Subdistrict | None, data: Any
) -> dict[str, int]:
    """Create or update grids from a GeoJSON FeatureCollection, all or nothing, after the checks
    of :func:`grids_import_plan`. A grid whose code exists is redrawn and renamed (counted and
    audited only when something differs); a new code creates a grid. The point-in-grid index
    learns of the change after commit."""
    planned = grids_import_plan(actor=actor, subdistrict=subdistrict, data=data)
    return _save(planned, model=Grid, parent_field="community", actor=actor)


# --- Communities and villages --------------------------------------------------------------


def communities_import_plan(
    *, actor: Any, subdistrict: Subdistrict | None, data: Any
) -> list[PlannedPlace]:
    """Check an uploaded GeoJSON FeatureCollection of communities and villages and say what
    importing it would do, writing nothing (the preview). Every wrong feature is reported at
    once: a code that is not one of the subdistrict's, a bad name or polygon, a name another
    community or village already has, a missing or unknown kind for a new one, a boundary that
    overlaps another active community or village (named) or another feature of the file, or
    one that would leave one of its active grids partly outside. A feature whose code exists
    redraws and renames that community or village (and changes its kind when the feature gives
    one); a new code creates one, of the kind the feature gives."""
    subdistrict, features = _collection(actor=actor, subdistrict=subdistrict, data=data)

    def in_subdistrict(code: str, where: str, code_field: str, errors: FieldErrors) -> Any:
        if code.startswith(subdistrict.code):
            return subdistrict
        errors.add(
            code_field,
            _(
                "%(where)s: code %(code)s is not one of %(subdistrict)s, whose codes begin "
                "with %(prefix)s."
            )
            % {
                "where": where,
                "code": code,
                "subdistrict": subdistrict.name,
                "prefix": subdistrict.code,
            },
            "unknown_subdistrict",
        )
        return None

    errors = FieldErrors()
    read = _read_features(
        features,
        level="community",
        parent_of=in_subdistrict,
        duplicate=_("Community code %(code)s appears twice."),
        errors=errors,
    )
    existing = {c.code: c for c in subdistrict.communities.order_by("code")}
    redrawn = {item.code for item in read}
    # A name may be taken over from a community the file renames, never shared with one it
    # leaves as it is, nor with another feature.
    names = {c.name for c in existing.values() if c.code not in redrawn}
    for item in read:
        if item.name in names:
            errors.add(
                f"{item.where}.properties.name",
                _(
                    "The name “%(name)s” is already used by another community or village of "
                    "%(subdistrict)s."
                )
                % {"name": item.name, "subdistrict": subdistrict.name},
                "duplicate",
            )
        names.add(item.name)
    kept = [
        placed(community, parse_boundary(community.boundary))
        for community in existing.values()
        if community.is_active and community.code not in redrawn
    ]
    grids: dict[str, list[Placed]] = {}
    for grid in Grid.objects.filter(
        community__code__in=redrawn, community__subdistrict=subdistrict, is_active=True
    ).order_by("code"):
        grids.setdefault(grid.code[:12], []).append(placed(grid, parse_boundary(grid.boundary)))

    def problems(item: _Feature, later: list[Placed]) -> list[Any]:
        return overlaps(item.polygon, kept + later, message=COMMUNITY_OVERLAP) + grids_outside(
            item.polygon, grids.get(item.code, [])
        )

    def fields(item: _Feature, old: Any) -> dict[str, Any]:
        kind = item.properties.get("kind")
        if kind is None and old is not None:
            kind = old.kind
        elif kind not in Community.Kind.values:
            errors.add(
                f"{item.where}.properties.kind",
                _("Kind “%(kind)s” is neither community nor village.") % {"kind": kind}
                if kind is not None
                else _("A new community or village needs its kind: community or village."),
                "bad_kind",
            )
        return {
            "name": item.name,
            "code": item.code,
            "kind": kind,
            "boundary": item.geometry,
            "is_synthetic": bool(item.properties.get("synthetic", False)),
        }

    return _planned(read, existing=existing, errors=errors, problems=problems, fields=fields)


@transaction.atomic
def communities_import_geojson(
    *, actor: Any, subdistrict: Subdistrict | None, data: Any
) -> dict[str, int]:
    """Create or update communities and villages from a GeoJSON FeatureCollection, all or
    nothing, after the checks of :func:`communities_import_plan`; each change is audited, an
    unchanged one is neither saved nor audited."""
    planned = communities_import_plan(actor=actor, subdistrict=subdistrict, data=data)
    return _save(planned, model=Community, parent_field="subdistrict", actor=actor)
