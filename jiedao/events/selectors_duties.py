"""Reading the duty matrix as the table the administrator edits (one main category at a time)."""

from dataclasses import dataclass, field
from typing import Any

from jiedao.accounts.permissions import require, scoped
from jiedao.core.errors import NotFound
from jiedao.geo.models import Community, Department, Subdistrict

from .models import Category, DutyAssignment


@dataclass
class DutyRow:
    category: Category
    default: Department | None  # the department of this subdistrict routing proposes by default
    by_community: dict[int, Department | None] = field(default_factory=dict)


@dataclass
class DutyMatrix:
    subdistrict: Subdistrict
    mains: list[Category]
    parent: Category
    communities: list[Community]
    departments: list[Department]
    rows: list[DutyRow]


def duty_matrix(*, user: Any, subdistrict: Subdistrict, parent_code: str = "") -> DutyMatrix:
    """The subcategories of one main category (the first by default) × the communities and
    villages of the subdistrict, in a fixed number of statements."""
    require(user, "events.manage_catalogue")
    mains = list(Category.objects.filter(parent__isnull=True, is_active=True).order_by("code"))
    if not mains:
        raise NotFound()
    parent = next((main for main in mains if main.code == parent_code), None)
    if parent is None:
        if parent_code:
            raise NotFound()
        parent = mains[0]
    communities = list(
        scoped(user, Community.objects.filter(subdistrict=subdistrict, is_active=True)).order_by(
            "code"
        )
    )
    departments = list(
        scoped(user, Department.objects.filter(subdistrict=subdistrict, is_active=True)).order_by(
            "name"
        )
    )
    by_code = {department.code: department for department in departments}
    by_id = {department.pk: department for department in departments}
    children = list(
        Category.objects.filter(parent=parent, is_active=True)
        .select_related("default_department")
        .order_by("code")
    )
    lines = DutyAssignment.objects.filter(
        category__in=children, community__in=communities, grid__isnull=True
    )
    cells = {(line.category_id, line.community_id): line.department_id for line in lines}
    rows = []
    for category in children:
        default = category.default_department
        # A default of another subdistrict routes to the department with its code here.
        local = None if default is None else by_code.get(default.code)
        rows.append(
            DutyRow(
                category=category,
                default=local,
                by_community={
                    community.pk: by_id.get(cells.get((category.pk, community.pk), 0))
                    for community in communities
                },
            )
        )
    return DutyMatrix(
        subdistrict=subdistrict,
        mains=mains,
        parent=parent,
        communities=communities,
        departments=departments,
        rows=rows,
    )
