"""The demo's cases for zhifa, with their clocks running (the 2022 history's figures are checked
with the rest of the history in test_demo)."""

from jiedao.enforcement import selectors_cases as selectors


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
