"""The lead unit is changed the same way on the task page and through the API: the same code,
read by the same selector, saved by the same service; a code that is not a department of the
task's subdistrict gives the same message (in Chinese, naming the field) at both doors and
changes nothing."""

import html

import pytest

from jiedao.audit.models import AuditEntry
from jiedao.geo.models import Department, Subdistrict

from .conftest import MANAGERS, state

UNKNOWN = "牵头单位：“%s”不是本街道的部门，请从列表中选择。"


@pytest.fixture
def foreign_department(db) -> Department:
    """A department of another subdistrict, with a code Wenyan does not use."""
    other = Subdistrict.objects.create(
        name="测试街道", code="330109099", district_name="萧山区", center_lat=30.1, center_lng=120.2
    )
    return Department.objects.create(
        subdistrict=other, name="外街道城管", code="foreign-city", kind="city_management"
    )


def through_the_page(client, task, code):
    response = client.post(f"/supervision/tasks/{task.pk}/lead-unit/", {"department_code": code})
    page = response.content.decode()
    shown = (
        page.split('id="lead-unit-error">')[1].split("</p>")[0]
        if response.status_code == 422
        else ""
    )
    return response.status_code, html.unescape(shown)


def through_the_api(client, task, code):
    response = client.put(
        f"/api/supervision/tasks/{task.pk}/lead-unit",
        {"department_code": code},
        content_type="application/json",
    )
    error = response.json().get("error", {})
    return response.status_code, error.get("message", ""), error.get("field")


@pytest.mark.parametrize("code", ["no-such-unit", "foreign-city"])
@pytest.mark.parametrize("role", sorted(MANAGERS))
def test_a_bad_lead_unit_gives_the_same_error_at_both_doors(
    client_for, demo_plan, foreign_department, code, role
):
    task = demo_plan.tasks.get(sequence=5)
    before = (state(), AuditEntry.objects.count(), task.lead_unit.code, task.lead_unit_name)
    client = client_for(role)

    on_page = through_the_page(client, task, code)
    from_api = through_the_api(client, task, code)

    assert on_page == (422, UNKNOWN % code)
    assert from_api == (422, UNKNOWN % code, "department_code")
    task.refresh_from_db()
    after = (state(), AuditEntry.objects.count(), task.lead_unit.code, task.lead_unit_name)
    assert after == before
    assert before[2] == "city-management"


@pytest.mark.parametrize("door", ["page", "api"])
def test_both_doors_save_a_lead_unit_by_code_or_clear_it(client_for, demo_plan, door):
    task = demo_plan.tasks.get(sequence=5)
    client = client_for("supervisor")
    save = through_the_page if door == "page" else through_the_api

    assert save(client, task, "safety")[0] == (302 if door == "page" else 200)
    task.refresh_from_db()
    assert (task.lead_unit.code, task.lead_unit_name) == ("safety", task.lead_unit.name)
    assert save(client, task, "")[0] == (302 if door == "page" else 200)
    task.refresh_from_db()
    assert task.lead_unit is None


@pytest.mark.parametrize("role", ["department_handler", "grid_lead"])
def test_a_bad_lead_unit_from_a_non_manager_is_refused_before_it_is_read(
    client_for, demo_plan, role
):
    task = demo_plan.tasks.get(sequence=5)
    client = client_for(role)

    on_page = through_the_page(client, task, "no-such-unit")
    from_api = through_the_api(client, task, "no-such-unit")

    assert (on_page[0], from_api[0]) == (403, 403)
    task.refresh_from_db()
    assert task.lead_unit.code == "city-management"
