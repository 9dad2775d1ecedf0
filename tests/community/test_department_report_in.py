"""Departments report in (报到) to a community's call besides organisations: 赵城管 answers the
open call for 城管, commits and reports completion; the need is matched to the department; other
roles are refused and change nothing; the figures keep counting organisations only."""

import pytest

from jiedao.audit.models import AuditEntry
from jiedao.community import services
from jiedao.community.models import Call, CallResponse, Need
from jiedao.core.errors import ApplicationError


@pytest.fixture
def call(wenyan_demo):
    return Call.objects.get(closed_at__isnull=True, need__title="助残志愿陪护")


def test_a_department_reports_in_commits_and_completes_through_page_and_api(client_for, call):
    client = client_for("department_handler")
    page = client.get(f"/community/calls/{call.pk}/")
    assert 'id="report-in-department"' in page.content.decode()
    response = client.post(f"/community/calls/{call.pk}/report-in-department/")
    answer = CallResponse.objects.get(call=call, department__isnull=False)
    assert (response.status_code, answer.department.code, answer.organisation_id) == (
        302,
        "city-management",
        None,
    )
    api = client.post(
        f"/api/community/responses/{answer.pk}/actions",
        {"action": "commit", "text": "派城管中队每周协助"},
        content_type="application/json",
    )
    body = api.json()
    assert (api.status_code, body["organisation"], body["status"]) == (200, "", "committed")
    need = Need.objects.get(pk=call.need_id)
    assert (need.status, need.match_kind, need.matched_department_id) == (
        "matched",
        "department",
        answer.department_id,
    )
    client.post(
        f"/community/responses/{answer.pk}/action/",
        {"action": "complete", "text": "已完成陪护协助"},
    )
    answer.refresh_from_db()
    assert answer.status == "completed"


def test_a_department_reports_in_once(users, call):
    handler = users["department_handler"]
    services.call_report_in_department(actor=handler, call=call)
    before = (CallResponse.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ApplicationError) as error:
        services.call_report_in_department(actor=handler, call=call)
    assert (error.value.status, str(error.value.message)) == (
        409,
        "城市综合管理队 已向该吹哨报到。",
    )
    assert (CallResponse.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(
    "role",
    ["resident", "grid_worker", "grid_lead", "social_organisation", "dispatcher", "administrator"],
)
def test_other_roles_cannot_report_in_for_a_department_and_nothing_changes(client_for, call, role):
    before = (CallResponse.objects.count(), AuditEntry.objects.count())
    response = client_for(role).post(f"/api/community/calls/{call.pk}/department-responses")
    assert response.status_code in (401, 403)
    assert (CallResponse.objects.count(), AuditEntry.objects.count()) == before


def test_a_department_cannot_act_on_an_organisations_answer(users, call):
    from jiedao.community.models import Organisation

    station = Organisation.objects.get(name="三江社工站")
    answer = services.call_report_in(
        actor=users["social_organisation"], call=call, organisation=station
    )
    before = AuditEntry.objects.count()
    with pytest.raises(ApplicationError) as error:
        services.response_transition(
            actor=users["department_handler"], response=answer, action="commit", text="我们来"
        )
    answer.refresh_from_db()
    assert (error.value.status, answer.status, AuditEntry.objects.count()) == (
        403,
        "reported_in",
        before,
    )


def test_the_figures_count_organisations_reported_in_not_departments(users, call, client_for):
    url = "/api/community/figures?since=2000-01-01&until=2100-12-31"
    before = client_for("administrator").get(url).json()["organisations_reported_in"]
    services.call_report_in_department(actor=users["department_handler"], call=call)
    assert client_for("administrator").get(url).json()["organisations_reported_in"] == before


def test_the_department_handlers_home_card_counts_the_call_waiting_for_the_department(users, call):
    from jiedao.community.selectors import workspace_counts

    handler = users["department_handler"]
    assert workspace_counts(user=handler).calls_to_answer == 1
    services.call_report_in_department(actor=handler, call=call)
    assert workspace_counts(user=handler).calls_to_answer == 0
