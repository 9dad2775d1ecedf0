"""The figures of the seeds, printed by the command and answered by the API alike."""

import json
from io import StringIO

from django.core.management import call_command

SEED_2022_H1 = {
    "needs": 112,
    "organisations_reported_in": 35,
    "calls": 35,
    "projects_funded": 11,
    "projects_completed": 11,
    "fund": {
        "size": "10000000.00",
        "injected": "2000000.00",
        "committed": "220000.00",
        "paid": "220000.00",
        "available": "1780000.00",
    },
}


def figures_from_the_command(since: str, until: str) -> dict:
    out = StringIO()
    call_command(
        "community", "figures", "--since", since, "--until", until, "--format", "json", stdout=out
    )
    return json.loads(out.getvalue())


def test_the_command_prints_the_seeds_figures_for_2022_h1(wenyan_demo):
    printed = figures_from_the_command("2022-01-01", "2022-06-30")
    assert {key: printed[key] for key in SEED_2022_H1} == SEED_2022_H1
    assert sum(printed["needs_by_group"].values()) == 112


def test_the_api_answers_what_the_command_prints(client_for):
    from_api = client_for("administrator").get(
        "/api/community/figures?since=2022-01-01&until=2022-06-30"
    )
    assert from_api.json() == figures_from_the_command("2022-01-01", "2022-06-30")


def test_2023_has_the_seeds_21_projects_funded_with_their_first_tranche_paid(wenyan_demo):
    printed = figures_from_the_command("2023-01-01", "2023-12-31")
    assert (
        printed["projects_funded"],
        printed["projects_completed"],
        printed["fund"]["committed"],
        printed["fund"]["paid"],
    ) == (21, 0, "850000.00", "535000.00")


def test_a_community_lead_sees_the_figures_of_the_own_community_only(client_for):
    sanjiang = client_for("grid_lead").get(
        "/api/community/figures?since=2022-01-01&until=2022-06-30"
    )
    # the needs raised in 三江社区 in 2022 H1, of the 112 in the subdistrict
    assert sanjiang.json()["needs"] == 17
