"""The duty matrix (职责清单) as one table to edit: for the subcategories of one main category,
the department proposed by default and, per community or village, the department that takes
the category there instead (see :mod:`jiedao.events.routing`).

Each changed cell is one audited write through :func:`.catalogue.catalogue_entry_save` or
:func:`.catalogue.catalogue_entry_delete`, all in one transaction: a bad cell rejects the whole
table, and every bad cell is reported at once.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import Actor, in_scope, require, scoped
from jiedao.core.errors import NotFound
from jiedao.core.fielderrors import FieldErrors
from jiedao.geo.models import Community, Department, Subdistrict

from ..models import Category, DutyAssignment
from .catalogue import catalogue_entry_delete, catalogue_entry_save


@dataclass(frozen=True)
class DutyCell:
    """One cell of the table: a subcategory in a community (None: its default department)."""

    category: Category
    community: Community | None


def cell_field(category: Category, community: Community | None) -> str:
    """The name of a cell's form field, which its errors are reported on."""
    return f"cell-{category.code}-{community.code if community else 'default'}"


@transaction.atomic
def duty_matrix_save(
    *,
    actor: Actor,
    subdistrict: Subdistrict,
    cells: Mapping[DutyCell, Department | None],
) -> int:
    """Set each given cell to its department (None: no line of its own, so the default or the
    command centre applies; a default cannot be set for another subdistrict's department).
    Returns how many cells changed."""
    require(actor, "events.manage_catalogue")
    if not in_scope(actor, subdistrict):
        raise NotFound()
    errors = FieldErrors()
    departments = set(
        scoped(actor, Department.objects.filter(subdistrict=subdistrict, is_active=True))
    )
    communities = set(scoped(actor, Community.objects.filter(subdistrict=subdistrict)))
    for cell, department in cells.items():
        if cell.category.parent_id is None:
            errors.add(
                cell_field(cell.category, cell.community),
                _("Only subcategories are routed to departments."),
            )
        elif cell.community is not None and cell.community not in communities:
            raise NotFound()
        elif department is not None and department not in departments:
            errors.add(
                cell_field(cell.category, cell.community),
                _("Choose an active department of %(subdistrict)s.")
                % {"subdistrict": subdistrict.name},
            )
    errors.raise_if_any()
    lines = {
        (line.category_id, line.community_id): line
        for line in DutyAssignment.objects.filter(
            category__in={cell.category for cell in cells},
            community__subdistrict=subdistrict,
            grid__isnull=True,
        )
    }
    changed = 0
    for cell, department in cells.items():
        if cell.community is None:
            category = Category.objects.select_for_update().get(pk=cell.category.pk)
            if category.default_department_id != (department.pk if department else None):
                category.default_department = department
                catalogue_entry_save(
                    actor=actor, instance=category, changed_fields=["default_department"]
                )
                changed += 1
            continue
        line = lines.get((cell.category.pk, cell.community.pk))
        if department is None:
            if line is not None:
                catalogue_entry_delete(actor=actor, instance=line)
                changed += 1
        elif line is None:
            catalogue_entry_save(
                actor=actor,
                instance=DutyAssignment(
                    category=cell.category, community=cell.community, department=department
                ),
            )
            changed += 1
        elif line.department_id != department.pk:
            line.department = department
            catalogue_entry_save(actor=actor, instance=line, changed_fields=["department"])
            changed += 1
    return changed
