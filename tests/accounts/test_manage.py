"""Administration of accounts: the services with exact values and audit, the pages through HTTP,
permission for every role with nothing changed on denial, and the page agreeing with the service."""

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from jiedao.accounts import services
from jiedao.accounts.models import User
from jiedao.audit.models import AuditEntry
from jiedao.core.errors import Forbidden, InvalidInput, NotFound
from jiedao.geo.models import Community, Department, Grid
from tests.roles import ALL_ROLES

pytestmark = pytest.mark.django_db


def _signs_in(username: str, password: str) -> bool:
    response = Client().post(
        reverse("accounts:login"), {"username": username, "password": password}
    )
    return response.status_code == 302


def _grid() -> Grid:
    return Grid.objects.get(code="330109012001001")


def test_user_register_creates_a_grid_worker_with_a_one_time_password(users):
    admin = users["administrator"]
    grid = _grid()

    user, password = services.user_register(
        actor=admin,
        username="xinwangge",
        full_name="新网格",
        phone="13900000000",
        role="grid_worker",
        scope=grid,
    )

    user.refresh_from_db()
    assert (user.username, user.full_name, user.phone, user.role) == (
        "xinwangge",
        "新网格",
        "13900000000",
        "grid_worker",
    )
    assert (user.grid_id, user.community_id, user.subdistrict_id, user.department_id) == (
        grid.pk,
        grid.community_id,
        grid.community.subdistrict_id,
        None,
    )
    assert len(password) == 12
    assert user.check_password(password)
    entry = AuditEntry.objects.filter(action="accounts.user.create").latest("id")
    assert (entry.actor_id, entry.target_id) == (admin.pk, str(user.pk))
    assert password not in str(entry.after)


def test_user_register_reports_every_wrong_field_at_once(users):
    before = (User.objects.count(), AuditEntry.objects.count())

    with pytest.raises(InvalidInput) as raised:
        services.user_register(
            actor=users["administrator"],
            username="wangge",
            full_name="  ",
            role="grid_worker",
            scope=Community.objects.get(code="330109012001"),
        )

    errors = raised.value.extra["errors"]
    assert set(errors) == {"username", "full_name", "scope"}
    assert errors["username"] == "用户名 wangge 已被占用。"
    assert errors["full_name"] == "显示名称 为必填项。"
    assert errors["scope"] == "网格员的工作范围是一个网格：请选择一个作为范围。"
    assert (User.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(
    ("role", "kind", "fits"),
    [
        ("resident", None, True),
        ("resident", "subdistrict", False),
        ("grid_worker", "grid", True),
        ("grid_worker", "community", False),
        ("grid_lead", "community", True),
        ("grid_lead", "grid", False),
        ("social_organisation", "community", True),
        ("social_organisation", "subdistrict", True),
        ("social_organisation", "department", False),
        ("department_handler", "department", True),
        ("enforcement_officer", "department", True),
        ("enforcement_officer", "subdistrict", False),
        ("dispatcher", "subdistrict", True),
        ("dispatcher", None, False),
        ("supervisor", "subdistrict", True),
        ("administrator", "subdistrict", True),
        ("administrator", "grid", False),
    ],
)
def test_the_scope_kind_must_fit_the_role(users, role, kind, fits):
    admin = users["administrator"]
    places: dict[Any, Any] = {
        None: None,
        "subdistrict": admin.subdistrict,
        "community": Community.objects.get(code="330109012001"),
        "grid": _grid(),
        "department": Department.objects.get(code="city-management"),
    }
    arguments = {
        "actor": admin,
        "username": "newcomer",
        "full_name": "新人",
        "role": role,
        "scope": places[kind],
    }
    if fits:
        user, _password = services.user_register(**arguments)
        assert user.role == role
    else:
        with pytest.raises(InvalidInput) as raised:
            services.user_register(**arguments)
        assert raised.value.field == "scope"
        assert not User.objects.filter(username="newcomer").exists()


def test_user_update_moves_a_grid_worker_to_lead_a_community(users):
    admin, worker = users["administrator"], users["grid_worker"]
    community = Community.objects.get(code="330109012002")

    services.user_update(
        actor=admin, user=worker, full_name="王组长", phone="", role="grid_lead", scope=community
    )

    worker.refresh_from_db()
    assert (worker.role, worker.full_name, worker.phone) == ("grid_lead", "王组长", "")
    assert (worker.grid_id, worker.community_id, worker.department_id) == (
        None,
        community.pk,
        None,
    )
    entry = AuditEntry.objects.filter(action="accounts.user.update").latest("id")
    assert (entry.before["role"], entry.after["role"]) == ("grid_worker", "grid_lead")
    assert (entry.before["grid"], entry.after["grid"]) == (_grid().pk, None)


def test_an_administrator_keeps_their_own_role_and_account(users):
    admin = users["administrator"]
    with pytest.raises(InvalidInput) as raised:
        services.user_update(
            actor=admin,
            user=admin,
            full_name=admin.full_name,
            phone="",
            role="dispatcher",
            scope=admin.subdistrict,
        )
    assert raised.value.field == "role"
    with pytest.raises(InvalidInput):
        services.user_set_active(actor=admin, user=admin, active=False)
    admin.refresh_from_db()
    assert (admin.role, admin.is_active) == ("administrator", True)


def test_deactivate_and_reactivate(users):
    admin, lead = users["administrator"], users["grid_lead"]

    services.user_set_active(actor=admin, user=lead, active=False)
    lead.refresh_from_db()
    assert lead.is_active is False
    assert _signs_in("sanjiang", "Wenyan-demo-2026") is False

    services.user_set_active(actor=admin, user=lead, active=True)
    lead.refresh_from_db()
    assert lead.is_active is True
    actions = list(
        AuditEntry.objects.filter(target_id=str(lead.pk), action__startswith="accounts.user.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["accounts.user.deactivate", "accounts.user.activate"]


def test_password_reset_gives_a_new_password_and_ends_the_lockout(users):
    admin, handler = users["administrator"], users["department_handler"]
    AccessAttempt.objects.create(
        username=handler.username,
        ip_address="10.0.0.1",
        user_agent="test",
        failures_since_start=9,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
    )

    password = services.user_password_reset(actor=admin, user=handler)

    handler.refresh_from_db()
    assert handler.check_password(password)
    assert not AccessAttempt.objects.filter(username=handler.username).exists()
    entry = AuditEntry.objects.filter(action="accounts.user.reset_password").latest("id")
    assert entry.after == {"password": "reset"}
    assert password not in str(entry.before) + str(entry.after)


@pytest.mark.parametrize("role", [role for role in ALL_ROLES if role != "administrator"])
def test_only_administrators_manage_accounts(users, role):
    actor, target = users[role], users["grid_worker"]
    password_hash = User.objects.get(pk=target.pk).password
    entries = AuditEntry.objects.count()

    for call in (
        lambda: services.user_register(
            actor=actor, username="x1", full_name="某人", role="resident", scope=None
        ),
        lambda: services.user_update(
            actor=actor, user=target, full_name="改名", phone="", role="grid_worker", scope=_grid()
        ),
        lambda: services.user_set_active(actor=actor, user=target, active=False),
        lambda: services.user_password_reset(actor=actor, user=target),
        lambda: services.user_unlock(actor=actor, user=target),
    ):
        with pytest.raises(Forbidden):
            call()

    target.refresh_from_db()
    assert (target.full_name, target.is_active, target.password) == ("王网格", True, password_hash)
    assert not User.objects.filter(username="x1").exists()
    assert AuditEntry.objects.count() == entries
    client = Client()
    client.force_login(actor)
    assert client.get(reverse("accounts_manage:users")).status_code == 403
    response = client.post(reverse("accounts_manage:user_set_active", args=[target.pk]))
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.is_active is True


def test_an_account_outside_the_scope_is_not_found(users):
    from tests.factories import UserFactory

    stranger = UserFactory(role="resident")
    with pytest.raises(NotFound):
        services.user_password_reset(actor=users["administrator"], user=stranger)


def test_the_list_filters_and_runs_a_constant_number_of_statements(
    users, client_for, django_assert_num_queries
):
    client = client_for("administrator")
    url = reverse("accounts_manage:users")
    client.get(url)  # warm the per-process caches (grid index, sessions)

    with django_assert_num_queries(11):  # 10, and the navigation's unread badge
        response = client.get(url)
    assert [row.username for row in response.context["user_rows"]] == [
        "admin",
        "chengguan",
        "zhihui",
        "fazhi",
        "zhifa",
        "sanjiang",
        "wangge",
        "jumin",
        "shegong",
        "lingdao",
    ]
    grid = _grid()
    response = client.get(url, {"role": "grid_worker", "place": f"grid:{grid.pk}", "active": "1"})
    assert [row.username for row in response.context["user_rows"]] == ["wangge"]
    response = client.get(url, {"active": "0"})
    assert list(response.context["user_rows"]) == []


def test_the_create_page_and_the_service_agree(users, client_for):
    client = client_for("administrator")
    grid = _grid()

    response = client.post(
        reverse("accounts_manage:user_create"),
        {
            "username": "yemian",
            "full_name": "页面网格员",
            "phone": "",
            "role": "grid_worker",
            "scope": f"grid:{grid.pk}",
        },
    )

    assert response.status_code == 200
    user = User.objects.get(username="yemian")
    assert (user.role, user.grid_id, user.full_name) == ("grid_worker", grid.pk, "页面网格员")
    password = response.context["password"]
    assert password in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert _signs_in("yemian", password)


def test_the_create_page_shows_every_error_beside_its_field_in_chinese(users, client_for):
    client = client_for("administrator")
    count = User.objects.count()

    response = client.post(
        reverse("accounts_manage:user_create"),
        {"username": "wangge", "full_name": "", "role": "dispatcher", "scope": ""},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert {field: list(errors) for field, errors in form.errors.items()} == {
        "username": ["用户名 wangge 已被占用。"],
        "full_name": ["显示名称 为必填项。"],
        "scope": ["指挥中心调度员的工作范围是本街道：请选择一个作为范围。"],
    }
    page = response.content.decode()
    assert "范围：指挥中心调度员的工作范围是本街道" in page
    assert User.objects.count() == count


def test_the_lockout_section_of_the_admin_speaks_chinese(users, client_for):
    AccessAttempt.objects.create(
        username="wangge",
        ip_address="10.0.0.2",
        user_agent="test",
        failures_since_start=3,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
    )
    client = client_for("administrator")

    index = client.get("/admin/").content.decode()
    page = client.get("/admin/axes/accessattempt/").content.decode()

    assert "登录锁定" in index
    assert "Axes" not in index
    for label in (
        "登录失败记录",
        "尝试时间",
        "登录失败次数",
        "IP 地址",
        "浏览器标识",
        "解除所选记录对应账户的登录锁定",
        "已锁定",
    ):
        assert label in page, label
    for english in ("Attempt Time", "Failed Logins", "User Agent", "Attempt Remaining"):
        assert english not in page, english


def test_the_admin_unlock_action_is_the_service(users, client_for):
    AccessAttempt.objects.create(
        username="wangge",
        ip_address="10.0.0.2",
        user_agent="test",
        failures_since_start=7,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
    )
    client = client_for("administrator")

    client.post(
        "/admin/accounts/user/",
        {
            "action": "unlock",
            "_selected_action": [str(users["grid_worker"].pk)],
        },
    )

    assert not AccessAttempt.objects.filter(username="wangge").exists()
    entry = AuditEntry.objects.filter(action="accounts.user.unlock").latest("id")
    assert (entry.actor_id, entry.before, entry.after) == (
        users["administrator"].pk,
        {"failed_sign_ins": 7},
        {"failed_sign_ins": 0},
    )
