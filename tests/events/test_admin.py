"""The catalogue and the duty matrix in the admin: edits go through the services (checked and
audited); events are read-only there."""

from typing import Any

import pytest

from jiedao.audit.models import AuditEntry
from jiedao.events.models import Category, DutyAssignment
from jiedao.geo.models import Department, Grid

from .conftest import HOME_GRID, report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/events/category/",
        "/admin/events/category/add/",
        "/admin/events/dutyassignment/",
        "/admin/events/dutyassignment/add/",
        "/admin/events/event/",
    ],
)
def test_admin_pages_open_for_the_administrator(url: str, client_for: Any) -> None:
    assert client_for("administrator").get(url).status_code == 200


def test_an_event_is_read_only_in_the_admin(client_for: Any, users: Any) -> None:
    event = report(users["resident"])
    client = client_for("administrator")

    assert client.get(f"/admin/events/event/{event.pk}/change/").status_code == 200
    assert client.get("/admin/events/event/add/").status_code == 403
    assert client.get(f"/admin/events/event/{event.pk}/delete/").status_code == 403


def category_form(**fields: Any) -> dict[str, Any]:
    form = {
        "parent": Category.objects.get(code="E01").pk,
        "code": "E0107",
        "name": "沿街晾晒",
        "name_en": "Laundry hung along the street",
        "kind": "event",
        "default_department": Department.objects.get(code="city-management").pk,
        "acceptance_limit": 2,
        "acceptance_unit": "working_hours",
        "handling_limit": 1,
        "handling_unit": "working_days",
        "priority": 3,
        "description": "",
        "is_active": "on",
        "children-TOTAL_FORMS": 0,
        "children-INITIAL_FORMS": 0,
        "children-MIN_NUM_FORMS": 0,
        "children-MAX_NUM_FORMS": 1000,
    }
    form.update(fields)
    return form


def test_adding_a_subcategory_in_the_admin_is_audited(client_for: Any) -> None:
    response = client_for("administrator").post("/admin/events/category/add/", category_form())

    assert response.status_code == 302
    category = Category.objects.get(code="E0107")
    assert (category.parent.code, category.handling_limit, category.handling_unit) == (
        "E01",
        1,
        "working_days",
    )
    entry = AuditEntry.objects.filter(action="events.category.create").latest("id")
    assert (entry.actor_label, entry.target_id) == ("admin", str(category.pk))


def test_a_third_level_is_a_form_error(client_for: Any) -> None:
    before = Category.objects.count()

    response = client_for("administrator").post(
        "/admin/events/category/add/",
        category_form(parent=Category.objects.get(code="E0101").pk),
    )

    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert Category.objects.count() == before


def test_a_duty_line_is_added_in_the_admin(client_for: Any) -> None:
    response = client_for("administrator").post(
        "/admin/events/dutyassignment/add/",
        {
            "category": Category.objects.get(code="E0101").pk,
            "grid": Grid.objects.get(code=HOME_GRID).pk,
            "community": "",
            "department": Department.objects.get(code="enforcement").pk,
            "note": "三江路沿线由执法队负责",
        },
    )

    assert response.status_code == 302
    line = DutyAssignment.objects.get()
    assert (line.grid.code, line.department.code) == (HOME_GRID, "enforcement")
    assert AuditEntry.objects.filter(action="events.dutyassignment.create").count() == 1


def test_a_duty_line_needs_exactly_one_of_grid_and_community(client_for: Any) -> None:
    response = client_for("administrator").post(
        "/admin/events/dutyassignment/add/",
        {
            "category": Category.objects.get(code="E0101").pk,
            "grid": "",
            "community": "",
            "department": Department.objects.get(code="enforcement").pk,
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert DutyAssignment.objects.count() == 0


def test_other_roles_cannot_open_the_admin(client_for: Any) -> None:
    response = client_for("dispatcher").get("/admin/events/category/")
    assert response.status_code == 302
