"""Writes to the geography: subdistricts, communities, grids, departments, GeoJSON import."""

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import get_in_scope, require
from jiedao.core.errors import InvalidInput
from jiedao.core.fielderrors import FieldErrors
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update

from .boundaries import Placed, area_m2, outside_community, overlaps, placed
from .codes import validate_child_code, validate_code
from .geometry import parse_boundary
from .lookup import departments_changed, grids_changed, subdistricts_changed
from .models import Community, Department, Grid, Subdistrict

NAME_MAX_LENGTH = 100
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _require_unused_code(codes: QuerySet[Any], code: str) -> None:
    if codes.filter(code=code).exists():
        raise InvalidInput(
            _("Code %(code)s is already used.") % {"code": code}, code="duplicate", field="code"
        )


def _name(value: Any, field: str = "name") -> str:
    # Named by its label; for a member of an imported file the field says which feature, and
    # the pages introduce the message with the feature's number, code and name.
    label = _("name")
    return clean_text(value, field=field, label=label, max_length=NAME_MAX_LENGTH, required=True)


@transaction.atomic
def subdistrict_create(
    *, actor: Any, name: str, code: str, district_name: str, center_lat: float, center_lng: float
) -> Subdistrict:
    """Create a subdistrict. Used by administrators setting up an installation."""
    require(actor, "geo.manage")
    validate_code(code, "subdistrict")
    subdistrict = model_create(
        model=Subdistrict,
        data={
            "name": _name(name),
            "code": code,
            "district_name": district_name,
            "center_lat": center_lat,
            "center_lng": center_lng,
        },
        actor=actor,
        action="geo.subdistrict.create",
    )
    transaction.on_commit(subdistricts_changed)
    return subdistrict


@transaction.atomic
def community_create(
    *,
    actor: Any,
    subdistrict: Subdistrict,
    name: str,
    kind: str,
    code: str,
    boundary: dict[str, Any],
    is_synthetic: bool = False,
) -> Community:
    """Create a community or village with its 12-digit code and boundary."""
    require(actor, "geo.manage")
    validate_code(code, "community")
    validate_child_code(code, subdistrict.code)
    if kind not in Community.Kind.values:
        raise InvalidInput(
            _("Unknown kind “%(kind)s”: use community or village.") % {"kind": kind},
            field="kind",
        )
    parse_boundary(boundary, field="boundary")
    _require_unused_code(Community.objects.all(), code)
    community = model_create(
        model=Community,
        data={
            "subdistrict": subdistrict,
            "name": _name(name),
            "kind": kind,
            "code": code,
            "boundary": boundary,
            "is_synthetic": is_synthetic,
        },
        actor=actor,
        action="geo.community.create",
    )
    return community


def _validated_grid_fields(
    *, community: Community, name: Any, code: Any, boundary: Any, feature: str = ""
) -> dict[str, Any]:
    # Errors name the argument, or for an imported file the member of the feature that is wrong.
    code_field, name_field, boundary_field = (
        (f"{feature}.properties.code", f"{feature}.properties.name", f"{feature}.geometry")
        if feature
        else ("code", "name", "boundary")
    )
    validate_code(code, "grid", field=code_field)
    validate_child_code(code, community.code, field=code_field)
    parse_boundary(boundary, field=boundary_field)
    return {"name": _name(name, name_field), "code": code, "boundary": boundary}


@transaction.atomic
def grid_create(
    *,
    actor: Any,
    community: Community,
    name: str,
    code: str,
    boundary: dict[str, Any],
    is_synthetic: bool = False,
) -> Grid:
    """Create a grid; the point → grid index is rebuilt after commit."""
    require(actor, "geo.manage")
    fields = _validated_grid_fields(community=community, name=name, code=code, boundary=boundary)
    _require_unused_code(Grid.objects.all(), code)
    grid = model_create(
        model=Grid,
        data={"community": community, "is_synthetic": is_synthetic, **fields},
        actor=actor,
        action="geo.grid.create",
    )
    transaction.on_commit(grids_changed)
    return grid


@transaction.atomic
def grid_update(
    *,
    actor: Any,
    grid: Grid,
    name: str | None = None,
    code: str | None = None,
    boundary: dict[str, Any] | None = None,
) -> Grid:
    """Rename a grid, renumber it (a code of its community, not used by another grid) or redraw
    its boundary; every wrong field is reported at once."""
    require(actor, "geo.manage")
    grid = get_in_scope(
        actor, Grid.objects.select_for_update().select_related("community"), pk=grid.pk
    )
    errors = FieldErrors()
    data: dict[str, Any] = {}
    if name is not None:
        data["name"] = errors.check(_name, name)
    if code is not None and code != grid.code:
        if errors.check(validate_code, code, "grid") is not None:
            errors.check(validate_child_code, code, grid.community.code)
            errors.check(_require_unused_code, Grid.objects.exclude(pk=grid.pk), code)
        data["code"] = code
    if boundary is not None:
        errors.check(parse_boundary, boundary, field="boundary")
        data["boundary"] = boundary
    errors.raise_if_any()
    if model_update(instance=grid, data=data, actor=actor, action="geo.grid.update"):
        transaction.on_commit(grids_changed)
    return grid


@transaction.atomic
def grid_set_active(*, actor: Any, grid: Grid, active: bool) -> Grid:
    """Retire a grid (it keeps its events, takes no new ones, is offered nowhere and leaves the
    point-in-grid lookup) or reinstate it (only inside an active community, and only where no
    active grid has been drawn over it meanwhile)."""
    require(actor, "geo.manage")
    grid = get_in_scope(
        actor, Grid.objects.select_for_update().select_related("community"), pk=grid.pk
    )
    if active and not grid.is_active:
        if not grid.community.is_active:
            raise InvalidInput(
                _("The community or village “%(name)s” is retired: reinstate it first.")
                % {"name": grid.community.name},
                code="retired_community",
                field="is_active",
            )
        others = [
            placed(other, parse_boundary(other.boundary))
            for other in Grid.objects.filter(
                community__subdistrict_id=grid.community.subdistrict_id, is_active=True
            ).exclude(pk=grid.pk)
        ]
        found = overlaps(parse_boundary(grid.boundary), others)
        if found:
            raise InvalidInput(
                " ".join(str(text) for text in found), code="bad_placement", field="is_active"
            )
    if model_update(
        instance=grid,
        data={"is_active": active},
        actor=actor,
        action="geo.grid.reinstate" if active else "geo.grid.retire",
    ):
        transaction.on_commit(grids_changed)
    return grid


@transaction.atomic
def community_update(*, actor: Any, community: Community, name: str) -> Community:
    """Rename a community or village. Its code stays: its grids' codes begin with it."""
    require(actor, "geo.manage")
    community = get_in_scope(actor, Community.objects.select_for_update(), pk=community.pk)
    if model_update(
        instance=community,
        data={"name": _name(name)},
        actor=actor,
        action="geo.community.update",
    ):
        transaction.on_commit(grids_changed)  # the index holds the grids with their community
    return community


@transaction.atomic
def community_set_active(*, actor: Any, community: Community, active: bool) -> Community:
    """Retire a community or village with its grids (each audited; their events stay), or
    reinstate it (its grids are reinstated one by one, where they still fit)."""
    require(actor, "geo.manage")
    community = get_in_scope(actor, Community.objects.select_for_update(), pk=community.pk)
    if not active:
        for grid in community.grids.filter(is_active=True).order_by("code"):
            grid_set_active(actor=actor, grid=grid, active=False)
    model_update(
        instance=community,
        data={"is_active": active},
        actor=actor,
        action="geo.community.reinstate" if active else "geo.community.retire",
    )
    transaction.on_commit(grids_changed)
    return community


@transaction.atomic
def department_create(
    *,
    actor: Any,
    subdistrict: Subdistrict,
    name: str,
    code: str,
    kind: str,
    duties: str = "",
    phone: str = "",
) -> Department:
    """Create a department with its duties (one per line); every wrong field is reported at
    once. Its code (letters, digits and hyphens) is how the catalogue and routing name it."""
    require(actor, "geo.manage")
    subdistrict = get_in_scope(actor, Subdistrict.objects.all(), pk=subdistrict.pk)
    errors = FieldErrors()
    if not isinstance(code, str) or len(code) > 50 or not _SLUG.fullmatch(code):
        errors.add(
            "code",
            _("The code is made of lower-case letters, digits and hyphens, e.g. city-management."),
        )
    else:
        errors.check(_require_unused_code, Department.objects.filter(subdistrict=subdistrict), code)
    data = _department_fields(errors, name=name, kind=kind, duties=duties, phone=phone)
    errors.raise_if_any()
    department = model_create(
        model=Department,
        data={"subdistrict": subdistrict, "code": code, **data},
        actor=actor,
        action="geo.department.create",
    )
    transaction.on_commit(departments_changed)
    return department


def _department_fields(
    errors: FieldErrors, *, name: str, kind: str, duties: str, phone: str
) -> dict[str, Any]:
    if kind not in Department.Kind.values:
        errors.add("kind", _("Choose the department's kind from the list."))
    return {
        "name": errors.check(_name, name),
        "kind": kind,
        "duties": errors.check(
            clean_text, duties, field="duties", label=_("duties"), max_length=4000
        ),
        "phone": errors.check(clean_text, phone, field="phone", label=_("phone"), max_length=30),
    }


@transaction.atomic
def department_update(
    *, actor: Any, department: Department, name: str, kind: str, duties: str, phone: str
) -> Department:
    """Change a department's name, kind, duties (one per line) and phone. Its code stays: the
    catalogue and the routing name departments by code."""
    require(actor, "geo.manage")
    department = get_in_scope(actor, Department.objects.select_for_update(), pk=department.pk)
    errors = FieldErrors()
    data = _department_fields(errors, name=name, kind=kind, duties=duties, phone=phone)
    errors.raise_if_any()
    if model_update(instance=department, data=data, actor=actor, action="geo.department.update"):
        transaction.on_commit(departments_changed)
    return department


@transaction.atomic
def department_set_active(*, actor: Any, department: Department, active: bool) -> Department:
    """Retire a department (routing proposes it no more and nobody can dispatch to it; its
    events and staff stay) or reinstate it. The command centre, first receiver of every report,
    cannot be retired."""
    require(actor, "geo.manage")
    department = get_in_scope(actor, Department.objects.select_for_update(), pk=department.pk)
    if not active and department.code == settings.EVENT_COMMAND_CENTRE_CODE:
        raise InvalidInput(
            _("The command centre receives every report and cannot be retired."),
            code="command_centre",
            field="is_active",
        )
    if model_update(
        instance=department,
        data={"is_active": active},
        actor=actor,
        action="geo.department.reinstate" if active else "geo.department.retire",
    ):
        transaction.on_commit(departments_changed)
    return department


@dataclass(frozen=True)
class PlannedGrid:
    """One feature of an uploaded file, checked: what confirming the import will do with it."""

    community: Community
    fields: dict[str, Any]  # name, code, boundary, is_synthetic
    grid: Grid | None  # the grid it redraws, or None for a new grid
    area_m2: float

    @property
    def change(self) -> str:
        """new, changed or unchanged."""
        if self.grid is None:
            return "new"
        same = all(getattr(self.grid, name) == value for name, value in self.fields.items())
        return "unchanged" if same else "changed"


def _feature_plan(
    *,
    errors: FieldErrors,
    number: int,
    feature: Any,
    subdistrict: Subdistrict,
    communities: dict[str, Community],
    seen: set[str],
) -> tuple[Community, dict[str, Any], Any] | None:
    """The community, fields and shape of one feature, or None with its errors recorded."""
    where = f"features[{number}]"
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        errors.add(
            where, _("%(where)s is not a GeoJSON Feature.") % {"where": where}, "bad_geojson"
        )
        return None
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        errors.add(
            f"{where}.properties",
            _("%(where)s: properties must be an object with code and name.") % {"where": where},
            "bad_geojson",
        )
        return None
    code = str(properties.get("code") or "")
    code_field = f"{where}.properties.code"
    community = None
    if errors.check(validate_code, code, "grid", field=code_field) is not None:
        community = communities.get(code[:12])
        if community is None:
            errors.add(
                code_field,
                _("%(where)s: no community of %(subdistrict)s has code %(code)s.")
                % {"where": where, "subdistrict": subdistrict.name, "code": code[:12]},
                "unknown_community",
            )
        elif code in seen:
            errors.add(
                code_field, _("Grid code %(code)s appears twice.") % {"code": code}, "duplicate"
            )
            community = None
        seen.add(code)
    name = errors.check(_name, properties.get("name"), f"{where}.properties.name")
    polygon = errors.check(parse_boundary, feature.get("geometry"), field=f"{where}.geometry")
    if community is None or name is None or polygon is None:
        return None
    fields = {
        "name": name,
        "code": code,
        "boundary": feature.get("geometry"),
        "is_synthetic": bool(properties.get("synthetic", False)),
    }
    return community, fields, polygon


def grids_import_plan(
    *, actor: Any, subdistrict: Subdistrict | None, data: Any
) -> list[PlannedGrid]:
    """Check an uploaded GeoJSON FeatureCollection of grids and say what importing it would do,
    writing nothing (the preview). Every wrong feature is reported at once: a code that fits no
    community of the subdistrict, a bad name or polygon, a boundary reaching outside its
    community, or one overlapping another active grid (named) or another feature of the file.
    A feature whose code exists redraws and renames that grid; a new code creates a grid."""
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
    subdistrict = get_in_scope(actor, Subdistrict.objects.all(), pk=subdistrict.pk)
    communities = {c.code: c for c in subdistrict.communities.all()}
    existing = {
        g.code: g for g in Grid.objects.filter(community__subdistrict=subdistrict).order_by("code")
    }
    errors = FieldErrors()
    seen: set[str] = set()
    checked: list[tuple[str, Community, dict[str, Any], Any]] = []
    for number, feature in enumerate(features):
        plan = _feature_plan(
            errors=errors,
            number=number,
            feature=feature,
            subdistrict=subdistrict,
            communities=communities,
            seen=seen,
        )
        if plan is not None:
            checked.append((f"features[{number}].geometry", *plan))
    # Placement: against the active grids the file leaves as they are, and the file's others.
    community_shapes = {
        community.pk: parse_boundary(community.boundary) for _f, community, _d, _p in checked
    }
    redrawn = {fields["code"] for _f, _c, fields, _p in checked}
    kept = [
        placed(grid, parse_boundary(grid.boundary))
        for grid in existing.values()
        if grid.is_active and grid.code not in redrawn
    ]
    planned_shapes = [
        Placed(code=fields["code"], name=fields["name"], polygon=polygon)
        for _f, _c, fields, polygon in checked
    ]
    planned: list[PlannedGrid] = []
    for index, (field, community, fields, polygon) in enumerate(checked):
        message = outside_community(polygon, community, community_shapes[community.pk])
        found = [message] if message is not None else []
        found += overlaps(polygon, kept + planned_shapes[index + 1 :])
        if found:
            errors.add(field, " ".join(str(text) for text in found), "bad_placement")
        planned.append(
            PlannedGrid(
                community=community,
                fields=fields,
                grid=existing.get(fields["code"]),
                area_m2=area_m2(polygon),
            )
        )
    errors.raise_if_any()
    return planned


@transaction.atomic
def grids_import_geojson(
    *, actor: Any, subdistrict: Subdistrict | None, data: Any
) -> dict[str, int]:
    """Create or update grids from a GeoJSON FeatureCollection, all or nothing, after the checks
    of :func:`grids_import_plan`. A grid whose code exists is redrawn and renamed (counted and
    audited only when something differs); a new code creates a grid. The point-in-grid index
    learns of the change after commit."""
    planned = grids_import_plan(actor=actor, subdistrict=subdistrict, data=data)
    created = updated = 0
    for plan in planned:
        if plan.grid is None:
            model_create(
                model=Grid,
                data={"community": plan.community, **plan.fields},
                actor=actor,
                action="geo.grid.create",
            )
            created += 1
        elif model_update(
            instance=Grid.objects.select_for_update().get(pk=plan.grid.pk),
            data=plan.fields,
            actor=actor,
            action="geo.grid.update",
        ):
            updated += 1
    transaction.on_commit(grids_changed)
    return {"created": created, "updated": updated}
