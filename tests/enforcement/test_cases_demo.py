"""The demo's cases: the seed's 2022 H1 figures through the figures command, and zhifa's open
cases with their clocks running."""

import json
from io import StringIO

from django.core.management import call_command

from jiedao.enforcement import demo_cases
from jiedao.enforcement import selectors_cases as selectors
from jiedao.enforcement.models import Case, Target
from jiedao.geo.models import Department


def figures(since: str, until: str) -> dict[str, int]:
    out = StringIO()
    call_command(
        "enforcement", "figures", "--since", since, "--until", until, "--format", "json", stdout=out
    )
    return json.loads(out.getvalue())


def test_the_case_history_gives_the_seeds_figures(wenyan_demo):
    departments = {d.code: d for d in Department.objects.all()}
    targets = list(Target.objects.filter(kind="business").order_by("pk"))

    demo_cases.case_history(targets, departments)

    assert figures("2022-01-01", "2022-06-30") == {
        "actions": 0,  # the 134 actions come with the large demo's inspection history
        "inspections": 0,
        "problems_found": 0,
        "problems_rectified": 0,
        "penalty_decisions": 3,
        "cases_opened": 21,
        "cases_closed": 50,
    }
    assert Case.objects.filter(is_synthetic=True, status="closed").count() == 50


def test_zhifa_has_open_cases_with_running_clocks(users):
    zhifa = users["enforcement_officer"]

    cases = selectors.case_list(user=zhifa)

    assert sorted((case.status, case.clock, selectors.case_level(case)) for case in cases) == [
        ("decided", "service", "red"),
        ("lead", "filing", "none"),
        ("review", "decision", "yellow"),
    ]
    assert selectors.case_clock_counts(user=zhifa) == {"open": 3, "due": 1, "late": 1}
    lead = next(case for case in cases if case.status == "lead")
    assert (lead.source, lead.rectification.status) == ("rectification", "escalated")
