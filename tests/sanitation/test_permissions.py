"""Every role against the sanitation writes and reads: the roles allowed succeed, the others
are refused and nothing changes (no row, no audit entry); a compound outside the user's area
is not found, exactly like a missing one."""

import pytest

from jiedao.audit.models import AuditEntry
from jiedao.core.errors import ApplicationError
from jiedao.sanitation import selectors, services
from jiedao.sanitation.models import Account, DropOff, Inspection, PointsEntry, Reward, WeighIn
from tests.roles import ALL_ROLES

# The inspectors at the collection points: grid workers in their grid, community leads in their
# community, the city-management team's handlers in the compounds their department manages.
RECORDERS = {"grid_worker", "grid_lead", "department_handler"}
REDEEMERS = {"grid_worker", "grid_lead"}
ACCOUNT_MANAGERS = {"grid_worker", "grid_lead", "administrator"}
READERS = RECORDERS | {"dispatcher", "supervisor", "administrator"}


def state():
    return (
        DropOff.objects.count(),
        Inspection.objects.count(),
        WeighIn.objects.count(),
        PointsEntry.objects.count(),
        Account.objects.count(),
        AuditEntry.objects.count(),
    )


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


@pytest.mark.parametrize("role", ALL_ROLES)
def test_recording_a_drop_off(users, point, account, role):
    allowed = attempt(
        lambda: services.drop_off_record(
            actor=users[role],
            collection_point_id=point.pk,
            account_number=account.number,
            waste_class="food",
            weight_kg="1",
            is_correct=True,
        )
    )

    assert allowed == (role in RECORDERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_recording_an_inspection(users, point, role):
    allowed = attempt(
        lambda: services.inspection_record(actor=users[role], collection_point_id=point.pk)
    )

    assert allowed == (role in RECORDERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_redeeming_points(users, account, role):
    Account.objects.filter(pk=account.pk).update(points_balance=500)
    bags = Reward.objects.get(name="垃圾袋（一卷）")

    allowed = attempt(
        lambda: services.points_redeem(
            actor=users[role],
            subdistrict_id=account.subdistrict_id,
            account_number=account.number,
            reward_id=bags.pk,
        )
    )

    assert allowed == (role in REDEEMERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_registering_a_household(users, compound, role):
    allowed = attempt(
        lambda: services.household_register(
            actor=users[role],
            compound_id=compound.pk,
            address="8幢1单元801室",
            contact_name="新住户",
        )
    )

    assert allowed == (role in ACCOUNT_MANAGERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_reading_the_compounds(users, role):
    try:
        names = [c.name for c in selectors.compound_list(user=users[role])]
    except ApplicationError:
        names = None

    expected = {
        # 三江名苑 and 三江新村 lie in wangge's grid; the 三江 lead sees the community's.
        "grid_worker": ["三江名苑", "三江新村"],
        "grid_lead": ["三江名苑", "三江新村"],
    }.get(
        role,
        ["三江名苑", "三江新村", "江澜府", "南岸锦苑", "湘湖雅苑"] if role in READERS else None,
    )
    assert names == expected


@pytest.mark.parametrize("role", ["grid_worker", "grid_lead"])
def test_a_point_outside_the_area_is_not_found_and_nothing_is_written(users, other_compound, role):
    point = other_compound.collection_points.first()
    before = state()

    with pytest.raises(ApplicationError) as refusal:
        services.inspection_record(actor=users[role], collection_point_id=point.pk)

    assert (refusal.value.status, state()) == (404, before)


def test_masked_contacts_unless_the_role_needs_them(users, compound, account):
    def row(role):
        return next(
            r
            for r in selectors.accounts_of(user=users[role], compound=compound)
            if r["account"] == account
        )

    assert (row("grid_worker")["name"], row("grid_worker")["phone"]) == ("测***", "139****5678")
    assert (row("grid_lead")["name"], row("grid_lead")["phone"]) == ("测试户主", "13912345678")
