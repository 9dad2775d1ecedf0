"""Writes to the geography: subdistricts, communities, grids, departments, GeoJSON import."""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import get_in_scope, require
from jiedao.core.errors import InvalidInput
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update

from .codes import validate_child_code, validate_code
from .geometry import parse_boundary
from .lookup import departments_changed, grids_changed
from .models import Community, Department, Grid, Subdistrict

NAME_MAX_LENGTH = 100


def _require_unused_code(codes: QuerySet[Any], code: str) -> None:
    if codes.filter(code=code).exists():
        raise InvalidInput(
            _("Code %(code)s is already used.") % {"code": code}, code="duplicate", field="code"
        )


def _name(value: Any, field: str = "name") -> str:
    # An argument is named by its label, a member of an imported file by its path.
    label = _("name") if field == "name" else field
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
    *, actor: Any, grid: Grid, name: str | None = None, boundary: dict[str, Any] | None = None
) -> Grid:
    """Rename a grid or redraw its boundary."""
    require(actor, "geo.manage")
    grid = get_in_scope(actor, Grid.objects.select_for_update(), pk=grid.pk)
    data: dict[str, Any] = {}
    if name is not None:
        data["name"] = _name(name)
    if boundary is not None:
        parse_boundary(boundary, field="boundary")
        data["boundary"] = boundary
    if model_update(instance=grid, data=data, actor=actor, action="geo.grid.update"):
        transaction.on_commit(grids_changed)
    return grid


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
    """Create a department with its duties (one per line)."""
    require(actor, "geo.manage")
    if kind not in Department.Kind.values:
        raise InvalidInput(_("Unknown department kind “%(kind)s”.") % {"kind": kind}, field="kind")
    _require_unused_code(Department.objects.filter(subdistrict=subdistrict), code)
    department = model_create(
        model=Department,
        data={
            "subdistrict": subdistrict,
            "name": _name(name),
            "code": code,
            "kind": kind,
            "duties": duties,
            "phone": phone,
        },
        actor=actor,
        action="geo.department.create",
    )
    transaction.on_commit(departments_changed)
    return department


@transaction.atomic
def grids_import_geojson(
    *, actor: Any, subdistrict: Subdistrict | None, data: Any
) -> dict[str, int]:
    """Create or update grids from a GeoJSON FeatureCollection, all or nothing.

    Each feature needs ``properties.code`` (15 digits, starting with the code of one of the
    subdistrict's communities) and ``properties.name``. A grid whose code exists is redrawn and
    renamed (counted and audited only when something differs); a new code creates a grid. Any
    bad feature rejects the whole file.
    """
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
    communities = {c.code: c for c in subdistrict.communities.all()}
    existing = {g.code: g for g in Grid.objects.filter(community__subdistrict=subdistrict)}
    planned: list[tuple[Community, dict[str, Any], Any]] = []
    seen: set[str] = set()
    for number, feature in enumerate(features):
        prefix = f"features[{number}]."
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise InvalidInput(
                _("%(where)s is not a GeoJSON Feature.") % {"where": prefix[:-1]},
                code="bad_geojson",
                field=prefix[:-1],
            )
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise InvalidInput(
                _("%(where)s: properties must be an object with code and name.")
                % {"where": prefix[:-1]},
                code="bad_geojson",
                field=f"{prefix}properties",
            )
        code = str(properties.get("code") or "")
        validate_code(code, "grid", field=f"{prefix}properties.code")
        community = communities.get(code[:12])
        if community is None:
            raise InvalidInput(
                _("%(where)s: no community of %(subdistrict)s has code %(code)s.")
                % {"where": prefix[:-1], "subdistrict": subdistrict.name, "code": code[:12]},
                code="unknown_community",
                field=f"{prefix}properties.code",
            )
        if code in seen:
            raise InvalidInput(
                _("Grid code %(code)s appears twice.") % {"code": code},
                code="duplicate",
                field=f"{prefix}properties.code",
            )
        seen.add(code)
        fields = _validated_grid_fields(
            community=community,
            name=properties.get("name"),
            code=code,
            boundary=feature.get("geometry"),
            feature=prefix[:-1],
        )
        fields["is_synthetic"] = bool(properties.get("synthetic", False))
        planned.append((community, fields, existing.get(code)))
    created = updated = 0
    for community, fields, grid in planned:
        if grid is None:
            grid = model_create(
                model=Grid,
                data={"community": community, **fields},
                actor=actor,
                action="geo.grid.create",
            )
            created += 1
        elif model_update(instance=grid, data=fields, actor=actor, action="geo.grid.update"):
            updated += 1
    transaction.on_commit(grids_changed)
    return {"created": created, "updated": updated}
