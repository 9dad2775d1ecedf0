"""Who may do what on which object: roles, scopes, and the constraints that keep them sane."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from jiedao.accounts import permissions
from jiedao.accounts.models import Role, User
from jiedao.accounts.permissions import (
    SCOPE_LOOKUPS,
    SYSTEM,
    Level,
    Scope,
    can,
    get_in_scope,
    require,
    scope_of,
    scoped,
)
from jiedao.accounts.services import user_create
from jiedao.audit.models import AuditEntry
from jiedao.core.errors import Forbidden, InvalidInput, NotFound, Unauthenticated
from jiedao.geo.models import Community, Department, Grid, Subdistrict
from jiedao.geo.services import community_create, subdistrict_create
from tests.roles import ALL_ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_tests_role_list_is_the_models_role_list() -> None:
    # tests/roles.py writes the roles out by hand; every role-parametrized test relies on it
    assert len(ALL_ROLES) == 9
    assert set(ALL_ROLES) == set(Role.values)


def ids(code: str) -> dict[str, int]:
    grid = Grid.objects.get(code="330109012001001")
    return {
        "subdistrict": Subdistrict.objects.get(code="330109012").pk,
        "community": Community.objects.get(code=code).pk,
        "grid": grid.pk,
        "city_management": Department.objects.get(code="city-management").pk,
        "enforcement": Department.objects.get(code="enforcement").pk,
    }


def test_scope_of_each_role(users):
    pk = ids("330109012001")

    scopes = {role: scope_of(user) for role, user in users.items()}

    user_id = {role: user.pk for role, user in users.items()}
    assert scopes == {
        "resident": Scope(Level.NONE, pk["subdistrict"], user_id=user_id["resident"]),
        "grid_worker": Scope(
            Level.GRID,
            pk["subdistrict"],
            pk["community"],
            pk["grid"],
            user_id=user_id["grid_worker"],
        ),
        "grid_lead": Scope(
            Level.COMMUNITY, pk["subdistrict"], pk["community"], user_id=user_id["grid_lead"]
        ),
        "dispatcher": Scope(Level.SUBDISTRICT, pk["subdistrict"], user_id=user_id["dispatcher"]),
        "department_handler": Scope(
            Level.DEPARTMENT,
            pk["subdistrict"],
            department_id=pk["city_management"],
            user_id=user_id["department_handler"],
        ),
        "enforcement_officer": Scope(
            Level.DEPARTMENT,
            pk["subdistrict"],
            department_id=pk["enforcement"],
            user_id=user_id["enforcement_officer"],
        ),
        "supervisor": Scope(Level.SUBDISTRICT, pk["subdistrict"], user_id=user_id["supervisor"]),
        "social_organisation": Scope(
            Level.COMMUNITY,
            pk["subdistrict"],
            pk["community"],
            user_id=user_id["social_organisation"],
        ),
        "administrator": Scope(
            Level.SUBDISTRICT, pk["subdistrict"], user_id=user_id["administrator"]
        ),
    }


def test_nobody_signed_in_or_inactive_has_no_scope(users):
    inactive = users["administrator"]
    inactive.is_active = False

    assert scope_of(None) == Scope(Level.NONE)
    assert scope_of(AnonymousUser()) == Scope(Level.NONE)
    assert scope_of(inactive) == Scope(Level.NONE)


def test_a_social_organisation_without_community_serves_the_subdistrict(users):
    organisation = user_create(
        actor=SYSTEM,
        username="volunteers",
        password="a-long-password-1",
        role=Role.SOCIAL_ORGANISATION,
        subdistrict=users["administrator"].subdistrict,
    )

    assert scope_of(organisation).level is Level.SUBDISTRICT
    assert scoped(organisation, Grid.objects.all()).count() == 35


ALL_GRIDS = 35
# label → role → how many objects of the Wenyan demo the role sees.
VISIBLE = {
    "geo.subdistrict": {role: 0 if role == "resident" else 1 for role in ALL_ROLES},
    "geo.community": {
        "resident": 0,
        "grid_worker": 1,
        "grid_lead": 1,
        "dispatcher": 7,
        "department_handler": 7,
        "enforcement_officer": 7,
        "supervisor": 7,
        "social_organisation": 1,
        "administrator": 7,
    },
    "geo.grid": {
        "resident": 0,
        "grid_worker": 1,
        "grid_lead": 6,
        "dispatcher": ALL_GRIDS,
        "department_handler": ALL_GRIDS,
        "enforcement_officer": ALL_GRIDS,
        "supervisor": ALL_GRIDS,
        "social_organisation": 6,
        "administrator": ALL_GRIDS,
    },
    "geo.department": {role: 0 if role == "resident" else 11 for role in ALL_ROLES},
}
# accounts.user → role → the usernames the role sees.
VISIBLE_USERS = {
    "resident": set(),
    "grid_worker": {"wangge"},
    "grid_lead": {"wangge", "sanjiang", "shegong"},
    "dispatcher": {
        "admin",
        "zhihui",
        "wangge",
        "sanjiang",
        "chengguan",
        "zhifa",
        "fazhi",
        "lingdao",
        "shegong",
        "jumin",
    },
    "department_handler": {"chengguan"},
    "enforcement_officer": {"zhifa", "fazhi"},
    "supervisor": {
        "admin",
        "zhihui",
        "wangge",
        "sanjiang",
        "chengguan",
        "zhifa",
        "fazhi",
        "lingdao",
        "shegong",
        "jumin",
    },
    "social_organisation": {"wangge", "sanjiang", "shegong"},
    "administrator": {
        "admin",
        "zhihui",
        "wangge",
        "sanjiang",
        "chengguan",
        "zhifa",
        "fazhi",
        "lingdao",
        "shegong",
        "jumin",
    },
}
MODELS = {
    "geo.subdistrict": Subdistrict,
    "geo.community": Community,
    "geo.grid": Grid,
    "geo.department": Department,
}


@pytest.mark.parametrize("label", list(VISIBLE))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_scoped_geography_per_role(users, label, role):
    visible = scoped(users[role], MODELS[label].objects.all())

    assert visible.count() == VISIBLE[label][role]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_scoped_users_per_role(users, role):
    visible = scoped(users[role], User.objects.all())

    assert set(visible.values_list("username", flat=True)) == VISIBLE_USERS[role]


def test_scoped_grids_are_the_right_ones(users):
    assert list(
        scoped(users["grid_worker"], Grid.objects.all()).values_list("code", flat=True)
    ) == ["330109012001001"]
    assert list(scoped(users["grid_lead"], Grid.objects.all()).values_list("code", flat=True)) == [
        f"330109012001{number:03d}" for number in range(1, 7)
    ]


# The actions the apps register, written out so that an empty or shrunken registry cannot let
# the SYSTEM check below pass without checking anything.
SYSTEM_ACTIONS = {
    "accounts.manage",
    "accounts.view_self",
    "audit.view",
    "calendar.manage",
    "calendar.view",
    "events.accept",
    "events.add_photo",
    "events.call_departments",
    "events.decide_extension",
    "events.dispatch",
    "events.export",
    "events.figures",
    "events.follow_primary",
    "events.manage_catalogue",
    "events.merge",
    "events.rate",
    "events.reject",
    "events.reopen",
    "events.report",
    "events.report_back",
    "events.report_in",
    "events.request_extension",
    "events.resume",
    "events.return",
    "events.reveal_contact",
    "events.self_resolve",
    "events.start_handling",
    "events.supervise",
    "events.suspend",
    "events.urge",
    "events.verify_fail",
    "events.verify_pass",
    "events.view",
    "geo.manage",
    "geo.view",
    "open311.manage_keys",
    "portal.moderate",
    "supervision.comment",
    "supervision.export",
    "supervision.manage",
    "supervision.report",
    "supervision.view",
}


def test_system_sees_everything(wenyan_demo):
    assert scoped(SYSTEM, Grid.objects.all()).count() == 35
    assert scoped(SYSTEM, User.objects.all()).count() == 10
    # the actions every app registers (others may add more), then every action registered
    assert set(permissions.ACTION_ROLES) >= SYSTEM_ACTIONS
    assert [action for action in permissions.ACTION_ROLES if not can(SYSTEM, action)] == []
    require(SYSTEM, "geo.manage")


def test_every_registered_model_can_be_scoped_for_every_role(users):
    from django.apps import apps

    for label in SCOPE_LOOKUPS:
        model = apps.get_model(label)
        for user in users.values():
            # Builds and runs the query: a wrong lookup path raises FieldError here.
            list(scoped(user, model._default_manager.all())[:1])


def test_get_in_scope_hides_out_of_scope_objects_like_missing_ones(users):
    worker = users["grid_worker"]
    queryset = Grid.objects.all()

    own = get_in_scope(worker, queryset, code="330109012001001")
    with pytest.raises(NotFound) as hidden:
        get_in_scope(worker, queryset, code="330109012001002")
    with pytest.raises(NotFound) as missing:
        get_in_scope(worker, queryset, code="330109012001099")

    assert own.code == "330109012001001"
    assert (
        hidden.value.as_body()
        == missing.value.as_body()
        == {
            "error": {
                "code": "not_found",
                "message": "Not found, or outside your scope.",
                "field": None,
                "extra": {},
            }
        }
    )


def test_require_refuses_anonymous_users_as_unauthenticated():
    with pytest.raises(Unauthenticated) as error:
        require(AnonymousUser(), "geo.view")
    with pytest.raises(Unauthenticated):
        require(None, "geo.view")

    assert error.value.status == 401
    assert str(error.value.message) == "Please sign in first."


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        ("geo.view", set(ALL_ROLES) - {"resident"}),
        ("geo.manage", {"administrator"}),
        ("audit.view", {"administrator"}),
        ("accounts.manage", {"administrator"}),
        ("accounts.view_self", set(ALL_ROLES)),
    ],
)
def test_require_per_role(users, action, allowed):
    for role, user in users.items():
        if role in allowed:
            require(user, action)
            continue
        with pytest.raises(Forbidden) as error:
            require(user, action)
        assert error.value.status == 403
        assert str(error.value.message) == f"Your role ({Role(role).label}) may not do this."


def test_an_inactive_user_may_do_nothing(users):
    admin = users["administrator"]
    admin.is_active = False

    assert not can(admin, "accounts.view_self")
    with pytest.raises(Forbidden):
        require(admin, "geo.view")
    assert scoped(admin, Grid.objects.all()).count() == 0


# --- database constraints on users --------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.GRID_WORKER, {}),
        (Role.GRID_LEAD, {}),
        (Role.DEPARTMENT_HANDLER, {}),
        (Role.ENFORCEMENT_OFFICER, {}),
        (Role.DISPATCHER, {"subdistrict": None}),
    ],
)
def test_the_database_refuses_staff_without_their_scope(wenyan_demo, role, scope):
    fields = {"subdistrict": Subdistrict.objects.get(code="330109012"), **scope}

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nobody", role=role, **fields)

    assert not User.objects.filter(username="nobody").exists()


def test_the_database_accepts_a_resident_without_any_scope(wenyan_demo):
    User.objects.create(username="somebody", role=Role.RESIDENT)

    assert User.objects.filter(username="somebody").exists()


# --- user_create ----------------------------------------------------------------------------------


def test_user_create_records_the_user_in_the_audit_trail(users):
    admin = users["administrator"]
    grid = Grid.objects.get(code="330109012002003")

    user = user_create(
        actor=admin,
        username="wangge2",
        password="a-long-password-1",
        role=Role.GRID_WORKER,
        full_name="李网格",
        phone="13900139000",
        grid=grid,
    )

    assert (user.grid, user.community, user.subdistrict) == (
        grid,
        grid.community,
        grid.community.subdistrict,
    )
    assert user.check_password("a-long-password-1")
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.actor, entry.action, entry.target_type, entry.target_id) == (
        admin,
        "accounts.user.create",
        "accounts.user",
        str(user.pk),
    )
    assert "password" not in entry.after
    assert entry.after["username"] == "wangge2"
    assert entry.after["role"] == "grid_worker"
    assert entry.after["grid"] == grid.pk


def bad_inputs(users: dict[str, Any]) -> list[tuple[dict[str, Any], str, str]]:
    grid = Grid.objects.get(code="330109012001001")
    return [
        ({"role": "mayor"}, "role", "Unknown role “mayor”."),
        ({"username": ""}, "username", "A username is required."),
        ({"username": "wangge"}, "username", "The username wangge is taken."),
        ({"role": Role.GRID_WORKER}, "grid", "A Grid worker needs a grid."),
        ({"role": Role.GRID_LEAD}, "community", "A Grid / community lead needs a community."),
        (
            {"role": Role.DEPARTMENT_HANDLER},
            "department",
            "A Department handler needs a department.",
        ),
        (
            {"role": Role.DISPATCHER, "subdistrict": None},
            "subdistrict",
            "Staff need a subdistrict.",
        ),
        (
            {"username": "a" * 151},
            "username",
            "Ensure this value has at most 150 characters (it has 151).",
        ),
        (
            {"username": "bad name!"},
            "username",
            (
                "Enter a valid username. This value may contain only letters, numbers, and "
                "@/./+/-/_ characters."
            ),
        ),
        (
            {"full_name": "名" * 101},
            "full_name",
            "Ensure this value has at most 100 characters (it has 101).",
        ),
        (
            {"phone": "1" * 31, "grid": grid, "role": Role.GRID_WORKER},
            "phone",
            "Ensure this value has at most 30 characters (it has 31).",
        ),
    ]


def test_user_create_bad_input_names_the_field_and_creates_nothing(users):
    admin = users["administrator"]
    for changes, field, message in bad_inputs(users):
        arguments = {
            "actor": admin,
            "username": "newcomer",
            "password": "a-long-password-1",
            "role": Role.DISPATCHER,
            "subdistrict": admin.subdistrict,
            **changes,
        }
        users_before = User.objects.count()
        entries_before = AuditEntry.objects.count()

        with pytest.raises(InvalidInput) as error:
            user_create(**arguments)

        assert (error.value.field, str(error.value.message)) == (field, message), changes
        assert error.value.status == 422
        assert User.objects.count() == users_before
        assert AuditEntry.objects.count() == entries_before


@pytest.mark.parametrize("role", [role for role in ALL_ROLES if role != "administrator"])
def test_only_administrators_create_users(users, role):
    users_before = User.objects.count()
    entries_before = AuditEntry.objects.count()

    with pytest.raises(Forbidden):
        user_create(
            actor=users[role],
            username="newcomer",
            password="a-long-password-1",
            role=Role.RESIDENT,
        )

    assert User.objects.count() == users_before
    assert AuditEntry.objects.count() == entries_before


def test_an_administrator_cannot_place_users_in_another_subdistrict(users):
    other = subdistrict_create(
        actor=SYSTEM,
        name="义桥镇",
        code="330109013",
        district_name="萧山区",
        center_lat=30.07,
        center_lng=120.18,
    )
    community = community_create(
        actor=SYSTEM,
        subdistrict=other,
        name="义桥社区",
        kind="community",
        code="330109013001",
        boundary={
            "type": "Polygon",
            "coordinates": [[[120.17, 30.06], [120.18, 30.06], [120.18, 30.07], [120.17, 30.06]]],
        },
    )
    users_before = User.objects.count()

    with pytest.raises(NotFound):
        user_create(
            actor=users["administrator"],
            username="yiqiao",
            password="a-long-password-1",
            role=Role.GRID_LEAD,
            community=community,
        )

    assert User.objects.count() == users_before
