"""Every role against every enforcement action: the roles allowed succeed, the others are
refused and nothing changes (no row, no audit entry)."""

import pytest

from jiedao.core.errors import ApplicationError
from jiedao.enforcement import selectors, services
from jiedao.enforcement.models import Action, Inspection, Rectification, Target
from tests.roles import ALL_ROLES

from .conftest import OVERRIDERS, PLANNERS, READERS, TARGET_MANAGERS, business, state


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


def today_round() -> Action:
    return Action.objects.get(kind="joint", inspections__status="in_progress")


@pytest.mark.parametrize("role", ALL_ROLES)
def test_registering_a_target(users, role):
    allowed = attempt(lambda: services.target_create(actor=users[role], **business()))

    assert allowed == (role in TARGET_MANAGERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_planning_an_inspection(users, role):
    target = Target.objects.filter(risk_level="medium", inspections__isnull=True).first()
    action = today_round()

    allowed = attempt(
        lambda: services.inspection_plan(
            actor=users[role],
            action_id=action.pk,
            target_id=target.pk,
            planned_on=action.starts_on,
        )
    )

    assert allowed == (role in PLANNERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_overriding_the_guard(users, role):
    running = Inspection.objects.get(status="in_progress")

    allowed = attempt(
        lambda: services.inspection_plan(
            actor=users[role],
            action_id=running.action_id,
            target_id=running.target_id,
            planned_on=running.planned_on,
            override_reason="上级交办复核",
        )
    )

    assert allowed == (role in OVERRIDERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_recording_a_checklist_item_of_the_lead_department(users, role):
    item = Inspection.objects.get(status="in_progress").items.get(matter__code="ZF-01")

    allowed = attempt(
        lambda: services.item_record(actor=users[role], item_id=item.pk, result="pass")
    )

    # The department handler of the demo (城市综合管理队) does not take part in this one.
    assert allowed == (role == "enforcement_officer")


@pytest.mark.parametrize("role", ALL_ROLES)
def test_re_checking_a_rectification(users, role):
    rectification = Rectification.objects.filter(status="open").order_by("pk").first()

    allowed = attempt(
        lambda: services.rectification_recheck(
            actor=users[role], rectification_id=rectification.pk, passed=True, notes="已整改"
        )
    )

    assert allowed == (role in PLANNERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_reading_the_inspections(users, role):
    allowed = attempt(lambda: list(selectors.inspection_list(user=users[role])))

    assert allowed == (role in READERS)


def test_each_reader_sees_the_inspections_of_its_scope(users):
    seen = {role: selectors.inspection_list(user=users[role]).count() for role in sorted(READERS)}

    assert seen == {
        "administrator": 7,
        "department_handler": 0,
        "dispatcher": 7,
        "enforcement_officer": 7,
        "supervisor": 7,
    }
