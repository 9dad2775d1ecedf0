"""Routing: which department the duty matrix (职责清单) proposes for an event.

The most specific line wins:

1. a :class:`~jiedao.events.models.DutyAssignment` for the event's category and **grid**;
2. one for the category and the event's **community**;
3. the category's **default department** — or, when that department belongs to another
   subdistrict, the department with the same code in the event's subdistrict (so one catalogue
   serves a whole district);
4. the same for the category's parent (大类);
5. the subdistrict's **command centre** (``settings.EVENT_COMMAND_CENTRE_CODE``), which then
   decides by hand.

Inactive departments are skipped. The dispatcher sees the proposal on acceptance and may
dispatch elsewhere.
"""

from collections.abc import Collection

from django.conf import settings

from jiedao.geo.lookup import department_by_code
from jiedao.geo.models import Department

from .models import Category, DutyAssignment, Event


def command_centre(subdistrict_id: int) -> Department | None:
    """The subdistrict's command centre (指挥室): first receiver of every report."""
    centre = department_by_code(subdistrict_id, settings.EVENT_COMMAND_CENTRE_CODE)
    return centre if centre is not None and centre.is_active else None


def _category_default(category: Category, subdistrict_id: int) -> Department | None:
    default = category.default_department
    if default is None:
        return None
    if default.subdistrict_id == subdistrict_id:
        return default if default.is_active else None
    return Department.objects.filter(
        subdistrict_id=subdistrict_id, code=default.code, is_active=True
    ).first()


def route_propose(event: Event, *, exclude: Collection[int] = ()) -> Department | None:
    """The department the duty matrix proposes for ``event`` (None only when the subdistrict
    has no command centre either), skipping the departments in ``exclude`` (those that returned
    the event as not their duty: the next line of the matrix answers instead)."""
    duties = (
        DutyAssignment.objects.select_related("department")
        .filter(category_id=event.category_id, department__is_active=True)
        .exclude(department_id__in=list(exclude))
    )
    by_grid = duties.filter(grid_id=event.grid_id).first()
    if by_grid is not None:
        return by_grid.department
    by_community = duties.filter(community_id=event.community_id).first()
    if by_community is not None:
        return by_community.department
    category: Category | None = event.category
    while category is not None:
        department = _category_default(category, event.subdistrict_id)
        if department is not None and department.pk not in exclude:
            return department
        category = category.parent
    return command_centre(event.subdistrict_id)


def route_propose_many(events: list[Event]) -> dict[int, Department | None]:
    """:func:`route_propose` for many events at once (inbox rows) in a fixed number of queries:
    event id → proposed department. ``events`` need ``category__parent`` loaded."""
    if not events:
        return {}
    category_ids = {event.category_id for event in events}
    duties = DutyAssignment.objects.select_related("department").filter(
        category_id__in=category_ids, department__is_active=True
    )
    by_grid = {(duty.category_id, duty.grid_id): duty.department for duty in duties if duty.grid_id}
    by_community = {
        (duty.category_id, duty.community_id): duty.department
        for duty in duties
        if duty.community_id
    }
    subdistrict_ids = {event.subdistrict_id for event in events}
    departments = list(
        Department.objects.filter(subdistrict_id__in=subdistrict_ids, is_active=True)
    )
    by_id = {department.pk: department for department in departments}
    by_code = {
        (department.subdistrict_id, department.code): department for department in departments
    }
    foreign_ids = set()
    for event in events:
        category: Category | None = event.category
        while category is not None:
            if category.default_department_id and category.default_department_id not in by_id:
                foreign_ids.add(category.default_department_id)
            category = category.parent
    foreign_codes = dict(Department.objects.filter(pk__in=foreign_ids).values_list("pk", "code"))
    proposals: dict[int, Department | None] = {}
    for event in events:
        proposal = by_grid.get((event.category_id, event.grid_id)) or by_community.get(
            (event.category_id, event.community_id)
        )
        category = event.category
        while proposal is None and category is not None:
            default_id = category.default_department_id
            if default_id in by_id:
                proposal = (
                    by_id[default_id]
                    if by_id[default_id].subdistrict_id == event.subdistrict_id
                    else by_code.get((event.subdistrict_id, by_id[default_id].code))
                )
            elif default_id in foreign_codes:
                proposal = by_code.get((event.subdistrict_id, foreign_codes[default_id]))
            category = category.parent
        if proposal is None:
            proposal = by_code.get((event.subdistrict_id, settings.EVENT_COMMAND_CENTRE_CODE))
        proposals[event.pk] = proposal
    return proposals
