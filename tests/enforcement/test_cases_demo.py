"""The demo's cases for zhifa, with their clocks running, and fazhi's legal reviews (the 2022
history's figures are checked with the rest of the history in test_demo)."""

from jiedao.accounts.models import User
from jiedao.enforcement import selectors_cases as selectors
from jiedao.enforcement.models import CaseStep, LegalReviewer


def test_zhifa_has_open_cases_with_running_clocks(users):
    zhifa = users["enforcement_officer"]

    cases = selectors.case_list(user=zhifa)

    assert sorted((case.status, case.clock, selectors.case_level(case)) for case in cases) == [
        ("decided", "service", "red"),
        ("investigating", "decision", "none"),
        ("lead", "filing", "none"),
        ("notice", "decision", "none"),
        ("review", "decision", "yellow"),
    ]
    assert {
        key: value
        for key, value in selectors.case_counts(user=zhifa).items()
        if key in ("open", "due", "late")
    } == {"open": 5, "due": 1, "late": 1}
    lead = next(case for case in cases if case.status == "lead")
    assert (lead.source, lead.rectification.status) == ("rectification", "escalated")


def test_fazhi_is_designated_by_lingdao_and_reviewed_todays_two_cases(users):
    fazhi = User.objects.get(username="fazhi")
    designation = LegalReviewer.objects.get(user=fazhi)

    assert (
        fazhi.role,
        fazhi.department.name,
        designation.certificate,
        designation.designated_by.username,
        designation.is_active,
    ) == ("enforcement_officer", "综合行政执法队", "A20213301090001", "lingdao", True)
    assert sorted(CaseStep.objects.filter(actor=fazhi).values_list("action", "to_status")) == [
        ("approve", "notice"),
        ("return", "investigating"),
    ]
    assert selectors.case_review_waiting(user=fazhi) == 1
    assert [case.status for case in selectors.case_list(user=fazhi, to_review=True)] == ["review"]
