"""Every role against every indicator action: the roles allowed succeed, the others are refused
and nothing changes (no row, no audit entry)."""

import pytest
from django.utils import timezone

from jiedao.core.errors import ApplicationError
from jiedao.indicators import selectors, services
from jiedao.indicators.models import Figure, Report
from jiedao.indicators.periods import PeriodKey
from tests.roles import ALL_ROLES

from .conftest import ENTERERS, READERS, REVIEWERS, state


def attempt(call) -> bool:
    """Whether the call succeeded; a refusal must leave everything as it was."""
    before = state()
    status = 200
    try:
        call()
    except ApplicationError as refusal:
        status = refusal.status
    if status == 200:
        return True
    assert (status in (401, 403, 404), state()) == (True, before)
    return False


@pytest.fixture
def pending(users):
    """A figure waiting in the queue of the demo's subdistrict."""
    report = Report.objects.create(
        subdistrict=users["supervisor"].subdistrict,
        file_name="周报.txt",
        content_hash="0" * 64,
        text="完成清淤2.2万立方米。",
        uploaded_at=timezone.now(),
    )
    return Figure.objects.create(
        report=report,
        position=1,
        name="清淤",
        value=22000,
        unit="立方米",
        sentence="完成清淤2.2万立方米。",
        start=4,
        end=11,
    )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_reading_the_table(users, role):
    allowed = attempt(
        lambda: selectors.indicator_table(user=users[role], period=PeriodKey(2022, "half", 1))
    )

    assert allowed == (role in READERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_entering_a_value_of_the_city_management_teams_indicator(users, catalogue, role):
    allowed = attempt(
        lambda: services.value_enter(
            actor=users[role],
            indicator_id=catalogue["river-dredging"].pk,
            period="2023-H1",
            value="2",
        )
    )

    # Only its lead department: the enforcement officer's department enters other indicators.
    assert allowed == (role in ENTERERS and role == "department_handler")


@pytest.mark.parametrize("role", ALL_ROLES)
def test_uploading_a_report(users, role):
    allowed = attempt(
        lambda: services.report_upload(
            actor=users[role], file_name="空.txt", data="没有数字的报告。".encode()
        )
    )

    assert allowed == (role in REVIEWERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_confirming_a_figure(users, catalogue, pending, role):
    allowed = attempt(
        lambda: services.figure_confirm(
            actor=users[role],
            figure_id=pending.pk,
            indicator_id=catalogue["river-dredging"].pk,
            period="2023-H1",
        )
    )

    assert allowed == (role in REVIEWERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_rejecting_a_figure(users, pending, role):
    allowed = attempt(
        lambda: services.figure_reject(actor=users[role], figure_id=pending.pk, reason="重复")
    )

    assert allowed == (role in REVIEWERS)


@pytest.mark.parametrize(
    ("role", "codes"),
    [
        ("department_handler", ["river-dredging"]),
        ("enforcement_officer", ["joint-inspections", "cases-opened"]),
    ],
)
def test_a_lead_department_sees_only_its_own_indicators(users, catalogue, role, codes):
    assert [i.code for i in selectors.indicator_list(user=users[role])] == codes


def test_leaders_and_administrators_read_every_indicator(users, catalogue):
    assert {
        role: selectors.indicator_list(user=users[role]).count()
        for role in ("supervisor", "administrator")
    } == {"supervisor": 12, "administrator": 12}
