"""The pages: the weight form, closing a month, managing the team, the statements of the
ranking page; and the team's management through the API."""

import html

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiedao.accounts.permissions import SYSTEM
from jiedao.assessment.models import Team, TeamMember, WeightTable
from jiedao.assessment.services import team_member_add
from jiedao.audit.models import AuditEntry
from tests.factories import UserFactory

from .conftest import dispatched, handled, last_month, state

WEIGHTS = {
    "handled": "2",
    "on_time": "1",
    "returned": "1",
    "reworked": "2",
    "satisfied": "1",
    "dissatisfied": "1",
    "inspections": "3",
    "rechecks": "2",
    "task_reports": "1",
}


def text(response):
    return html.unescape(response.content.decode())


def test_a_wrong_weight_is_shown_beside_its_field_and_nothing_is_saved(client_for, team):
    client = client_for("supervisor")
    before = state()

    refused = client.post(
        f"/assessment/teams/{team.pk}/weights/", {**WEIGHTS, "reworked": "-2", "rechecks": "x"}
    )

    assert refused.status_code == 422
    page = text(refused)
    assert '<p class="field-error" id="error-reworked">返工数 须在 0 至 1000 分之间。</p>' in page
    assert '<p class="field-error" id="error-rechecks">整改复查数应为数字，而不是“x”。</p>' in page
    assert 'name="rechecks" value="x"' in page
    assert state() == before

    saved = client.post(f"/assessment/teams/{team.pk}/weights/", {**WEIGHTS, "handled": "4.5"})

    assert (saved.status_code, saved["Location"]) == (302, f"/assessment/teams/{team.pk}/weights/")
    assert str(WeightTable.objects.get(team=team).handled) == "4.50"


def test_a_member_reads_the_weights_without_a_form_and_cannot_post_them(client_for, team):
    client = client_for("enforcement_officer")
    before = state()

    page = text(client.get(f"/assessment/teams/{team.pk}/weights/"))
    refused = client.post(f"/assessment/teams/{team.pk}/weights/", {**WEIGHTS, "handled": "9"})

    assert ('id="weight-handled"' in page, "处置事件数" in page) == (False, True)
    assert refused.status_code == 403
    assert state() == before


def test_closing_a_month_through_the_page(client_for, team):
    month = f"{last_month():%Y-%m}"
    before = state()

    refused = client_for("department_handler").post(
        f"/assessment/teams/{team.pk}/close/", {"month": month}
    )
    assert (refused.status_code, state()) == (403, before)

    closed = client_for("supervisor").post(f"/assessment/teams/{team.pk}/close/", {"month": month})

    assert (closed.status_code, closed["Location"]) == (
        302,
        f"/assessment/teams/{team.pk}/?month={month}",
    )
    page = text(client_for("supervisor").get(closed["Location"]))
    assert "已于 " in page
    assert "得分已保存，不再变化。" in page


def test_the_ranking_page_runs_the_same_statements_for_more_members(client_for, team, users):
    client = client_for("supervisor")
    url = f"/assessment/teams/{team.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for number in range(3):
        extra = UserFactory(
            username=f"more{number}",
            role="department_handler",
            subdistrict=users["administrator"].subdistrict,
            department=users["department_handler"].department,
        )
        team_member_add(actor=SYSTEM, team_id=team.pk, user_id=extra.pk)
        handled(dispatched(number=20 + number), extra, users)

    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200

    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_team_is_made_and_staffed_through_the_api(client_for, users):
    client = client_for("administrator")

    refused = client.post(
        "/api/assessment/teams",
        {"name": " ", "leader_id": users["dispatcher"].pk},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert [e["message"] for e in refused.json()["error"]["extra"]["errors"]] == [
        "队伍名称 为必填项。",
        "队长：请选择本街道在职用户，角色须为网格员、部门处置人员、综合执法队员、街道领导 / 督查室、系统管理员之一。",
    ]
    assert Team.objects.count() == 0

    created = client.post(
        "/api/assessment/teams",
        {"name": "执法队", "leader_id": users["enforcement_officer"].pk},
        content_type="application/json",
    )
    assert created.status_code == 201
    team_id = created.json()["id"]
    added = client.post(
        f"/api/assessment/teams/{team_id}/members",
        {"user_id": users["grid_worker"].pk},
        content_type="application/json",
    )
    wrong = client.post(
        f"/api/assessment/teams/{team_id}/members",
        {"user_id": users["dispatcher"].pk},
        content_type="application/json",
    )
    assert (added.status_code, added.json()["name"]) == (201, "王网格")
    assert wrong.status_code == 422
    assert client_for("enforcement_officer").get(
        f"/api/assessment/teams/{team_id}/members"
    ).json() == [{"user_id": users["grid_worker"].pk, "name": "王网格", "is_synthetic": False}]

    removed = client.delete(f"/api/assessment/teams/{team_id}/members/{users['grid_worker'].pk}")

    assert removed.status_code == 204
    assert TeamMember.objects.filter(team_id=team_id).count() == 0
    assert list(
        AuditEntry.objects.filter(action__startswith="assessment.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "assessment.team.create",
        "assessment.weights.create",
        "assessment.member.create",
        "assessment.member.delete",
    ]


def test_only_runners_make_teams_and_a_refusal_writes_nothing(client_for, users, subtests):
    before = state()
    for role in ("department_handler", "enforcement_officer", "grid_worker", "dispatcher"):
        with subtests.test(role=role):
            response = client_for(role).post(
                "/api/assessment/teams",
                {"name": "新队", "leader_id": users[role].pk},
                content_type="application/json",
            )
            assert response.status_code == 403
            assert state() == before


def test_the_team_page_offers_the_runner_the_staff_not_yet_in_the_team(client_for, team, users):
    page = text(client_for("supervisor").get(f"/assessment/teams/{team.pk}/"))
    member_page = text(client_for("enforcement_officer").get(f"/assessment/teams/{team.pk}/"))

    assert f'<option value="{users["grid_worker"].pk}">王网格 · 网格员</option>' in page
    assert f'<option value="{users["department_handler"].pk}">' not in page
    assert "member-user" not in member_page
