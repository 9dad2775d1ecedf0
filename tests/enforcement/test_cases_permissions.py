"""Every role against every step of a case: the roles the table names succeed, the others are
refused and nothing changes (no row, no step, no audit entry). The legal review also needs a
designation: each role's demo user is designated first where the role allows it."""

from datetime import timedelta

import pytest

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.errors import ApplicationError
from jiedao.core.localtime import local_today
from jiedao.enforcement import selectors_cases as selectors
from jiedao.enforcement import services
from jiedao.enforcement.models import Case, Target
from tests.roles import ALL_ROLES

from .test_cases_workflow import case_state

OFFICERS = {"enforcement_officer"}
REVIEWERS = {"supervisor"}  # extensions
LEGAL_REVIEWERS = {"enforcement_officer", "supervisor"}  # with a designation
CASE_READERS = {"enforcement_officer", "supervisor", "administrator"}


def attempt(call) -> bool:
    before = case_state()
    status = 200
    try:
        call()
    except ApplicationError as refusal:
        status = refusal.status
    if status == 200:
        return True
    assert (status in (401, 403, 404), case_state()) == (True, before)
    return False


def shop() -> Target:
    return Target.objects.filter(kind="business").order_by("pk").first()


def case_at(users, status: str) -> Case:
    """A case of the enforcement team brought to ``status`` by the installation."""
    case = services.case_open(
        actor=SYSTEM,
        title="店外经营",
        target_id=shop().pk,
        department_id=users["enforcement_officer"].department_id,
    )
    steps = {
        "investigating": [("file", {"occurred_on": local_today() - timedelta(days=2)})],
        "review": [
            ("file", {"occurred_on": local_today() - timedelta(days=2)}),
            ("submit_review", {"facts": "店外经营", "basis": "第二十二条"}),
        ],
    }[status]
    for action, inputs in steps:
        case = services.case_transition(actor=SYSTEM, case_id=case.pk, action=action, **inputs)
    return case


@pytest.mark.parametrize("role", ALL_ROLES)
def test_opening_a_case(users, role):
    allowed = attempt(
        lambda: services.case_open(actor=users[role], title="占道经营", target_id=shop().pk)
    )

    assert allowed == (role in OFFICERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_simple_procedure(users, role):
    allowed = attempt(
        lambda: services.case_simple(
            actor=users[role],
            target_id=shop().pk,
            title="当场处罚",
            facts="店外经营",
            basis="第二十二条",
            penalty_kind="warning",
        )
    )

    assert allowed == (role in OFFICERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_submitting_for_review(users, role):
    case = case_at(users, "investigating")

    allowed = attempt(
        lambda: services.case_transition(
            actor=users[role],
            case_id=case.pk,
            action="submit_review",
            facts="店外经营",
            basis="第二十二条",
        )
    )

    assert allowed == (role in OFFICERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_legal_review(users, role):
    case = case_at(users, "review")
    if role in LEGAL_REVIEWERS:
        services.legal_reviewer_designate(
            actor=SYSTEM, user_id=users[role].pk, certificate="A20190000001"
        )

    allowed = attempt(
        lambda: services.case_transition(
            actor=users[role], case_id=case.pk, action="approve", note="同意"
        )
    )

    assert allowed == (role in LEGAL_REVIEWERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_approving_an_extension(users, role):
    case = case_at(users, "investigating")

    allowed = attempt(
        lambda: services.case_transition(
            actor=users[role], case_id=case.pk, action="extend", days=30, note="案情复杂"
        )
    )

    assert allowed == (role in REVIEWERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_reading_the_case_list(users, role):
    case_at(users, "investigating")

    allowed = attempt(lambda: selectors.case_list(user=users[role]))

    assert allowed == (role in CASE_READERS)
