"""Who sees and changes the assessment: supervisors and administrators everything of their
subdistrict, the team's leader its whole ranking, a member their own row, other roles nothing.
A refused change writes nothing."""

import pytest

from jiedao.assessment.models import MonthResult

from .conftest import last_month, state

# Written out here, not read from the policy.
RANKING = {"supervisor", "administrator", "department_handler"}  # chengguan leads the team
OWN_ROW = {"enforcement_officer"}  # zhifa is a member
NO_TEAM = {"grid_worker"}  # may use the assessment, but is in no team: the team is not found
NOTHING = {"dispatcher", "grid_lead", "social_organisation", "resident"}
RUNNERS = {"supervisor", "administrator"}
ALL = RANKING | OWN_ROW | NO_TEAM | NOTHING


@pytest.mark.parametrize("role", sorted(ALL))
def test_the_scores_of_a_month_by_role(client_for, team, users, role):
    response = client_for(role).get(f"/api/assessment/teams/{team.pk}/scores")

    if role in RANKING:
        assert response.status_code == 200
        assert [row["name"] for row in response.json()["rows"]] == ["周执法", "赵城管", "钱测试"]
    elif role in OWN_ROW:
        assert response.status_code == 200
        body = response.json()
        assert ([row["name"] for row in body["rows"]], body["average"]) == (["周执法"], None)
    elif role in NO_TEAM:
        assert response.status_code == 404
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", sorted(ALL))
def test_the_teams_list_by_role(client_for, team, role):
    response = client_for(role).get("/api/assessment/teams")

    if role in RANKING | OWN_ROW:
        assert (response.status_code, [t["name"] for t in response.json()]) == (200, ["城管队"])
    elif role in NO_TEAM:
        assert (response.status_code, response.json()) == (200, [])
    else:
        assert response.status_code == 403


def test_a_member_cannot_open_a_colleagues_score_or_records(client_for, team, qian):
    client = client_for("enforcement_officer")

    assert client.get(f"/assessment/teams/{team.pk}/members/{qian.pk}/").status_code == 404
    records = f"/api/assessment/teams/{team.pk}/members/{qian.pk}/records/handled"
    assert client.get(records).status_code == 404


@pytest.mark.parametrize("role", sorted(ALL))
def test_only_supervisors_and_administrators_change_the_weights(client_for, team, role):
    before = state()

    response = client_for(role).put(
        f"/api/assessment/teams/{team.pk}/weights",
        {
            "handled": 5,
            "on_time": "1",
            "returned": 1,
            "reworked": 1,
            "satisfied": 1,
            "dissatisfied": 1,
            "inspections": 1,
            "rechecks": 1,
            "task_reports": 1,
        },
        content_type="application/json",
    )

    if role in RUNNERS:
        assert response.status_code == 200
        assert response.json()[0] == {
            "key": "handled",
            "label": "处置事件数",
            "description": "本人处置反馈或现场自行处置的事件。",
            "sign": 1,
            "weight": "5.00",
        }
    else:
        assert response.status_code in {403, 404}
        assert state() == before


@pytest.mark.parametrize("role", sorted(ALL))
def test_only_supervisors_and_administrators_close_a_month(client_for, team, role):
    before = state()
    month = f"{last_month():%Y-%m}"

    response = client_for(role).post(f"/api/assessment/teams/{team.pk}/months/{month}/close")

    if role in RUNNERS:
        assert (response.status_code, response.json()["month"]) == (201, month)
        assert MonthResult.objects.get().scores.count() == 3
    else:
        assert response.status_code in {403, 404}
        assert state() == before


def test_a_wrong_month_is_refused_naming_the_field(client_for, team):
    response = client_for("supervisor").get(f"/api/assessment/teams/{team.pk}/scores?month=2026-13")

    assert response.status_code == 422
    assert response.json()["error"]["message"] == "月份 应为形如 2022-05 的月份，而不是“2026-13”。"
