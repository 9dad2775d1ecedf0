"""Writes to the places of the geography one by one: subdistricts, communities and villages,
grids, departments. Whole files of boundaries are :mod:`.imports`."""

import re
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

from ..boundaries import COMMUNITY_OVERLAP, overlaps, placed
from ..codes import validate_child_code, validate_code
from ..geometry import parse_boundary
from ..lookup import departments_changed, grids_changed, subdistricts_changed
from ..models import Community, Department, Grid, Subdistrict

NAME_MAX_LENGTH = 100
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def require_unused_code(codes: QuerySet[Any], code: str) -> None:
    if codes.filter(code=code).exists():
        raise InvalidInput(
            _("Code %(code)s is already used.") % {"code": code}, code="duplicate", field="code"
        )


def place_name(value: Any, field: str = "name") -> str:
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
            "name": place_name(name),
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


def require_unused_community_name(
    communities: QuerySet[Community], name: str, *, field: str = "name"
) -> None:
    """Two communities or villages of a subdistrict with one name could not be told apart on
    any list, map or form."""
    taken = communities.filter(name=name).select_related("subdistrict").first()
    if taken is not None:
        raise InvalidInput(
            _(
                "The name “%(name)s” is already used by another community or village of "
                "%(subdistrict)s."
            )
            % {"name": name, "subdistrict": taken.subdistrict.name},
            code="duplicate",
            field=field,
        )


@transaction.atomic
def community_create(
    *,
    actor: Any,
    subdistrict: Subdistrict,
    name: str,
    kind: str,
    code: str,
    boundary: dict[str, Any] | None,
    is_synthetic: bool = False,
) -> Community:
    """Create a community or village with its 12-digit code (its subdistrict's 9, then its own
    number) and its boundary. Every wrong field is reported at once: a name or a code already
    used, a kind that is neither community nor village, a missing or invalid boundary, or one
    that overlaps another active community or village (named)."""
    require(actor, "geo.manage")
    subdistrict = get_in_scope(actor, Subdistrict.objects.all(), pk=subdistrict.pk)
    errors = FieldErrors()
    checked_name = errors.check(place_name, name)
    if checked_name is not None:
        errors.check(require_unused_community_name, subdistrict.communities.all(), checked_name)
    if kind not in Community.Kind.values:
        errors.add("kind", _("Unknown kind “%(kind)s”: use community or village.") % {"kind": kind})
    # FieldErrors keeps the first problem of a field: the later checks only speak when the
    # earlier ones passed.
    if errors.check(validate_code, code, "community") is not None:
        errors.check(validate_child_code, code, subdistrict.code)
        errors.check(require_unused_code, Community.objects.all(), code)
    if boundary is None:
        errors.add(
            "boundary",
            _("The boundary is required: a GeoJSON Polygon or MultiPolygon."),
            "required",
        )
    else:
        polygon = errors.check(parse_boundary, boundary, field="boundary")
        if polygon is not None:
            others = [
                placed(other, parse_boundary(other.boundary))
                for other in subdistrict.communities.filter(is_active=True).order_by("code")
            ]
            found = overlaps(polygon, others, message=COMMUNITY_OVERLAP)
            if found:
                errors.add("boundary", " ".join(str(text) for text in found), "bad_placement")
    errors.raise_if_any()
    return model_create(
        model=Community,
        data={
            "subdistrict": subdistrict,
            "name": checked_name,
            "kind": kind,
            "code": code,
            "boundary": boundary,
            "is_synthetic": is_synthetic,
        },
        actor=actor,
        action="geo.community.create",
    )


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
    return {"name": place_name(name, name_field), "code": code, "boundary": boundary}


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
    require_unused_code(Grid.objects.all(), code)
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
        data["name"] = errors.check(place_name, name)
    if code is not None and code != grid.code:
        if errors.check(validate_code, code, "grid") is not None:
            errors.check(validate_child_code, code, grid.community.code)
            errors.check(require_unused_code, Grid.objects.exclude(pk=grid.pk), code)
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
    """Rename a community or village, to a name no other of its subdistrict has. Its code
    stays: its grids' codes begin with it."""
    require(actor, "geo.manage")
    community = get_in_scope(actor, Community.objects.select_for_update(), pk=community.pk)
    checked = place_name(name)
    require_unused_community_name(
        Community.objects.filter(subdistrict_id=community.subdistrict_id).exclude(pk=community.pk),
        checked,
    )
    if model_update(
        instance=community,
        data={"name": checked},
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
        errors.check(require_unused_code, Department.objects.filter(subdistrict=subdistrict), code)
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
        "name": errors.check(place_name, name),
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
