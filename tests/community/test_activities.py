"""Activities and trainings: planned → held (with person-times) or cancelled, by the community
lead and by the organisation that runs them; the seed's 2023 figures; bad input refused by label
with nothing written; every role against every write."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.community import activities
from jiedao.community.models import Activity, Facility, Organisation
from jiedao.community.workflow import ACTIVITY_TRANSITIONS
from jiedao.core.errors import ApplicationError
from jiedao.core.localtime import local_today
from tests.roles import ALL_ROLES

# A literal copy of the workflow table: (status, action) → target, roles.
TABLE = {
    ("planned", "hold"): ("held", {"grid_lead", "administrator", "social_organisation"}),
    ("planned", "cancel"): ("cancelled", {"grid_lead", "administrator", "social_organisation"}),
}


def test_the_workflow_table_is_the_one_written_here():
    assert {
        key: (transition.target, set(transition.roles))
        for key, transition in ACTIVITY_TRANSITIONS.items()
    } == TABLE


def test_the_command_prints_the_seeds_activities_trainings_and_person_times_for_2023(
    wenyan_demo,
):
    out = StringIO()
    call_command(
        "community",
        "figures",
        "--since",
        "2023-01-01",
        "--until",
        "2023-12-31",
        "--format",
        "json",
        stdout=out,
    )
    printed = json.loads(out.getvalue())
    assert (printed["activities"], printed["trainings"], printed["person_times"]) == (
        35,
        15,
        500,
    )
    assert printed["activity_person_times"] == 955


def test_the_table_format_prints_the_same_figures(wenyan_demo):
    out = StringIO()
    call_command(
        "community", "figures", "--since", "2023-01-01", "--until", "2023-12-31", stdout=out
    )
    lines = set(out.getvalue().splitlines())
    assert {"activities\t35", "trainings\t15", "person_times\t500"} <= lines


def test_2022_h1_had_no_activity_recorded(wenyan_demo):
    out = StringIO()
    call_command(
        "community",
        "figures",
        "--since",
        "2022-01-01",
        "--until",
        "2022-06-30",
        "--format",
        "json",
        stdout=out,
    )
    printed = json.loads(out.getvalue())
    assert (printed["activities"], printed["trainings"], printed["person_times"]) == (0, 0, 0)


@pytest.fixture
def planned(wenyan_demo):
    return Activity.objects.get(title="助残志愿陪护培训")


def test_shegong_records_the_own_organisations_activity_as_held(users, planned):
    today = local_today()
    activities.activity_transition(
        actor=users["social_organisation"],
        activity=planned,
        action="hold",
        held_on=today.isoformat(),
        person_times="18",
    )
    planned.refresh_from_db()
    assert (planned.status, planned.held_on, planned.person_times) == ("held", today, 18)
    entry = AuditEntry.objects.order_by("-pk").first()
    assert (entry.action, entry.actor_id) == (
        "community.activity.hold",
        users["social_organisation"].pk,
    )


def test_an_activity_may_be_held_before_the_planned_day_but_not_in_the_future(users, planned):
    lead = users["grid_lead"]
    with pytest.raises(ApplicationError) as error:
        activities.activity_transition(
            actor=lead,
            activity=planned,
            action="hold",
            held_on=(local_today() + timedelta(days=1)).isoformat(),
            person_times=5,
        )
    assert str(error.value.message).startswith("举办日期 ")
    assert error.value.field == "held_on"
    # planned for next week, brought forward to yesterday
    earlier = local_today() - timedelta(days=1)
    assert earlier < planned.planned_on
    activities.activity_transition(
        actor=lead, activity=planned, action="hold", held_on=earlier, person_times=5
    )
    planned.refresh_from_db()
    assert (planned.status, planned.held_on) == ("held", earlier)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-3", "参加人次必须在 1 到 100000 之间。"),
        ("0", "参加人次必须在 1 到 100000 之间。"),
        ("很多", "参加人次必须是整数，而不是“很多”。"),
        ("", "参加人次必须是整数，而不是“”。"),
    ],
)
def test_bad_person_times_are_refused_by_label_and_nothing_is_written(
    users, planned, value, message
):
    before = (list(Activity.objects.values_list("pk", "status")), AuditEntry.objects.count())
    with pytest.raises(ApplicationError) as error:
        activities.activity_transition(
            actor=users["grid_lead"],
            activity=planned,
            action="hold",
            held_on=local_today(),
            person_times=value,
        )
    assert (error.value.status, str(error.value.message), error.value.field) == (
        422,
        message,
        "person_times",
    )
    assert (
        list(Activity.objects.values_list("pk", "status")),
        AuditEntry.objects.count(),
    ) == before


def test_cancelling_needs_a_reason_and_a_cancelled_activity_cannot_be_held(users, planned):
    lead = users["grid_lead"]
    with pytest.raises(ApplicationError) as error:
        activities.activity_transition(actor=lead, activity=planned, action="cancel", reason=" ")
    assert str(error.value.message) == "理由 为必填项。"
    activities.activity_transition(actor=lead, activity=planned, action="cancel", reason="下雨")
    with pytest.raises(ApplicationError) as error:
        activities.activity_transition(
            actor=lead, activity=planned, action="hold", held_on=local_today(), person_times=3
        )
    assert (error.value.status, str(error.value.message)) == (
        409,
        "状态为“已取消”的活动不能“记录为已举办”。",
    )


def test_an_organisation_cannot_record_another_organisations_activity(users, wenyan_demo):
    other = Activity.objects.filter(kind="activity", status="held").first()
    foreign = activities.activity_plan(
        actor=SYSTEM,
        community=other.community,
        kind="activity",
        title="别家的活动",
        organiser=other.organiser,
        planned_on=date(2023, 1, 1),
    )
    before = AuditEntry.objects.count()
    with pytest.raises(ApplicationError) as error:
        activities.activity_transition(
            actor=users["social_organisation"],
            activity=foreign,
            action="cancel",
            reason="不办了",
        )
    assert error.value.status in (403, 404)
    foreign.refresh_from_db()
    assert (foreign.status, AuditEntry.objects.count()) == ("planned", before)


ALLOWED = {
    "plan": {"grid_lead", "administrator", "social_organisation"},
    "hold": {"grid_lead", "administrator", "social_organisation"},
    "facility": {"grid_lead", "administrator"},
    "use": {"grid_lead", "administrator"},
}


def everything() -> tuple:
    return (
        list(Activity.objects.order_by("pk").values_list("pk", "status", "person_times")),
        list(Facility.objects.order_by("pk").values_list("pk", "capacity", "in_use")),
        AuditEntry.objects.count(),
    )


def attempt(name, user, planned):
    station = Organisation.objects.get(name="三江社工站")
    if name == "plan":
        return activities.activity_plan(
            actor=user,
            community=planned.community,
            kind="training",
            title="志愿者培训",
            organiser=station,
            planned_on="2030-01-01",
        )
    if name == "hold":
        return activities.activity_transition(
            actor=user, activity=planned, action="hold", held_on=local_today(), person_times=12
        )
    if name == "facility":
        return activities.facility_create(
            actor=user, community=planned.community, name="日间照料室", kind="room", capacity=30
        )
    return activities.facility_use_set(
        actor=user, facility=Facility.objects.get(community=planned.community), in_use=11
    )


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_each_role_may_do_what_its_policy_says_and_a_refusal_changes_nothing(
    users, planned, role, name
):
    before = everything()
    if role in ALLOWED[name]:
        attempt(name, users[role], planned)
        assert everything() != before
    else:
        with pytest.raises(ApplicationError) as raised:
            attempt(name, users[role], planned)
        assert raised.value.status in (401, 403, 404)
        assert everything() == before


def test_planning_refuses_an_organiser_that_does_not_serve_the_community(users, wenyan_demo):
    station = Organisation.objects.get(name="三江社工站")
    elsewhere = (
        users["administrator"]
        .subdistrict.communities.exclude(pk__in=station.communities.all())
        .order_by("code")
        .first()
    )
    with pytest.raises(ApplicationError) as error:
        activities.activity_plan(
            actor=users["administrator"],
            community=elsewhere,
            kind="activity",
            title="邻里节",
            organiser=station,
            planned_on="2030-01-01",
        )
    assert (str(error.value.message), error.value.field) == (
        f"组织方 三江社工站 不服务于{elsewhere.name}。",
        "organiser",
    )
