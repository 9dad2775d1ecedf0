"""Signing in: password hashing, session timeout, lockout, API tokens and CSRF."""

import importlib
import json
import time
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiedao.accounts.models import ApiToken
from jiedao.audit.models import AuditEntry
from jiedao.geo.models import Grid
from tests.geo.grid_files import split_file
from tests.roles import ALL_ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NEW_GRID_FILE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[120.245, 30.095], [120.246, 30.095], [120.246, 30.096], [120.245, 30.095]]
                ],
            },
            "properties": {"code": "330109012005006", "name": "长安村第6网格"},
        }
    ],
}


def SPLIT_FILE() -> dict[str, Any]:
    """A new grid carved out of 长安村第1网格, which the file redraws around it."""
    return split_file("330109012005001", "330109012005006", "长安村第6网格")


def post_json(client: Client, path: str, body: Any, **headers: Any) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def get_token(client: Client, username: str, password: str) -> Any:
    return post_json(client, "/api/accounts/tokens", {"username": username, "password": password})


# --- settings -------------------------------------------------------------------------------------


def test_base_settings_hash_passwords_with_argon2_first():
    base = importlib.import_module("jiedao.config.settings.base")

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_the_test_settings_use_a_fast_hasher():
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_sessions_end_after_thirty_idle_minutes():
    base = importlib.import_module("jiedao.config.settings.base")

    assert base.SESSION_COOKIE_AGE == 1800
    assert base.SESSION_SAVE_EVERY_REQUEST is True
    assert base.SESSION_COOKIE_HTTPONLY is True


def test_every_request_pushes_the_session_expiry_forward(client_for):
    from django.contrib.sessions.models import Session

    client = client_for("grid_worker")
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=session_key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )

    response = client.get("/api/accounts/me")

    assert response.status_code == 200
    remaining = Session.objects.get(session_key=session_key).expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_an_idle_session_has_expired(client_for):
    from django.contrib.sessions.models import Session

    client = client_for("grid_worker")
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    response = client.get("/api/accounts/me")

    assert response.status_code == 401


# --- /api/accounts/me ---------------------------------------------------------------------------

ME = {
    "resident": ("resident", "Resident", "none", None, None, None),
    "grid_worker": ("grid_worker", "Grid worker", "grid", "330109012001", "330109012001001", None),
    "grid_lead": ("grid_lead", "Grid / community lead", "community", "330109012001", None, None),
    "dispatcher": ("dispatcher", "Dispatcher", "subdistrict", None, None, None),
    "department_handler": (
        "department_handler",
        "Department handler",
        "department",
        None,
        None,
        "city-management",
    ),
    "enforcement_officer": (
        "enforcement_officer",
        "Enforcement officer",
        "department",
        None,
        None,
        "enforcement",
    ),
    "supervisor": ("supervisor", "Supervisor / leader", "subdistrict", None, None, None),
    "social_organisation": (
        "social_organisation",
        "Social organisation",
        "community",
        "330109012001",
        None,
        None,
    ),
    "administrator": ("administrator", "Administrator", "subdistrict", None, None, None),
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_me_per_role(client_for, users, role):
    response = client_for(role).get("/api/accounts/me")

    assert response.status_code == 200
    body = response.json()
    user = users[role]
    role_value, label, level, community, grid, department = ME[role]
    assert body == {
        "username": user.username,
        "full_name": user.full_name,
        "role": role_value,
        "role_label": label,
        "scope_level": level,
        "subdistrict_code": "330109012",
        "community_code": community,
        "grid_code": grid,
        "department_code": department,
    }


# --- API tokens ---------------------------------------------------------------------------------


def test_a_token_from_username_and_password_works_as_bearer(wenyan_demo, demo_password):
    entries_before = AuditEntry.objects.count()

    response = get_token(Client(), "wangge", demo_password)

    assert response.status_code == 201
    token = response.json()["token"]
    assert response.json()["prefix"] == token[:8]
    stored = ApiToken.objects.get()
    assert stored.token_hash == ApiToken.hash(token)
    assert stored.user.username == "wangge"
    assert timedelta(days=89) < stored.expires_at - timezone.now() <= timedelta(days=90)
    entry = AuditEntry.objects.order_by("-id").first()
    assert AuditEntry.objects.count() == entries_before + 1
    assert (entry.actor_label, entry.action, entry.target_id) == (
        "wangge",
        "accounts.token.create",
        str(stored.pk),
    )

    grids = Client().get("/api/geo/grids", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert grids.status_code == 200
    assert [grid["code"] for grid in grids.json()] == ["330109012001001"]
    assert ApiToken.objects.get().last_used_at is not None


def test_the_token_itself_is_not_stored(wenyan_demo, demo_password):
    token = get_token(Client(), "wangge", demo_password).json()["token"]

    assert not ApiToken.objects.filter(token_hash=token).exists()
    assert token not in json.dumps(list(AuditEntry.objects.values("before", "after")))


def test_a_wrong_password_gets_no_token(wenyan_demo):
    response = get_token(Client(), "wangge", "not-the-password")

    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "bad_credentials",
            "message": "Wrong username or password.",
            "field": None,
            "extra": {},
        }
    }
    assert ApiToken.objects.count() == 0


def test_an_unknown_user_gets_no_token(wenyan_demo):
    response = get_token(Client(), "nobody", "whatever")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_credentials"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": "x"}, "username"),
        ({"username": "wangge"}, "password"),
        ({"username": "", "password": "x"}, "username"),
        ({"username": "wang\x00ge", "password": "x"}, "username"),
        ({"username": "wangge", "password": "x", "name": ""}, "name"),
    ],
)
def test_a_bad_token_request_names_the_field(wenyan_demo, body, field):
    response = post_json(Client(), "/api/accounts/tokens", body)

    assert response.status_code == 422
    assert response.json()["error"]["field"] == field
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize(
    "spoil",
    [
        {"expires_at": timezone.now() - timedelta(seconds=1)},
        {"is_revoked": True},
    ],
    ids=["expired", "revoked"],
)
def test_an_expired_or_revoked_token_is_refused(wenyan_demo, demo_password, spoil):
    token = get_token(Client(), "wangge", demo_password).json()["token"]
    ApiToken.objects.update(**spoil)

    response = Client().get("/api/geo/grids", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_a_token_of_a_deactivated_user_is_refused(wenyan_demo, users, demo_password):
    token = get_token(Client(), "wangge", demo_password).json()["token"]
    worker = users["grid_worker"]
    worker.is_active = False
    worker.save(update_fields=["is_active"])

    response = Client().get("/api/geo/grids", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 401


def test_a_verified_token_is_trusted_for_a_few_seconds_then_checked_again(
    wenyan_demo, demo_password, monkeypatch
):
    token = get_token(Client(), "wangge", demo_password).json()["token"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert Client().get("/api/accounts/me", **headers).status_code == 200
    ApiToken.objects.update(is_revoked=True)

    # within the trust window this worker asks the database nothing about the token
    with CaptureQueriesContext(connection) as queries:
        assert Client().get("/api/events/categories", **headers).status_code == 200
    assert [query for query in queries if "accounts_apitoken" in query["sql"]] == []
    # after it, the revocation holds
    later = time.monotonic() + settings.API_TOKEN_TRUST_SECONDS
    monkeypatch.setattr("jiedao.accounts.auth.time.monotonic", lambda: later)
    response = Client().get("/api/accounts/me", **headers)
    assert (response.status_code, response.json()["error"]["code"]) == (401, "unauthenticated")


def test_with_no_trust_window_a_revocation_holds_at_once(wenyan_demo, demo_password, settings):
    settings.API_TOKEN_TRUST_SECONDS = 0
    token = get_token(Client(), "wangge", demo_password).json()["token"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert Client().get("/api/accounts/me", **headers).status_code == 200
    ApiToken.objects.update(is_revoked=True)

    assert Client().get("/api/accounts/me", **headers).status_code == 401


def test_a_trusted_token_is_refused_once_it_expires(wenyan_demo, demo_password, monkeypatch):
    token = get_token(Client(), "wangge", demo_password).json()["token"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert Client().get("/api/accounts/me", **headers).status_code == 200
    expires_at = ApiToken.objects.get().expires_at
    monkeypatch.setattr("jiedao.accounts.auth.timezone.now", lambda: expires_at)

    assert Client().get("/api/accounts/me", **headers).status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer nonsense", "Bearer ", "Token abc", "Basic d2FuZ2dlOng="]
)
def test_a_made_up_token_is_refused(wenyan_demo, header):
    response = Client().get("/api/geo/grids", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401


# --- lockout ------------------------------------------------------------------------------------


def test_repeated_failures_lock_the_account_out_even_for_the_right_password(
    wenyan_demo, demo_password
):
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5

    statuses = [get_token(client, "wangge", "wrong").status_code for _ in range(limit - 1)]
    at_limit = get_token(client, "wangge", "wrong")
    right_password = get_token(client, "wangge", demo_password)

    assert statuses == [401] * (limit - 1)
    locked_out_body = {
        "error": {
            "code": "locked_out",
            "message": "Too many failed sign-ins: this account is locked for a while. "
            "Try again later.",
            "field": None,
            "extra": {},
        }
    }
    assert at_limit.status_code == 429
    assert at_limit.json() == locked_out_body
    assert right_password.status_code == 429
    assert right_password.json() == locked_out_body
    assert ApiToken.objects.count() == 0


def test_a_lockout_is_per_username(wenyan_demo, demo_password):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        get_token(client, "wangge", "wrong")

    other = get_token(client, "sanjiang", demo_password)

    assert other.status_code == 201


def test_a_success_before_the_limit_resets_the_count(wenyan_demo, demo_password):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        get_token(client, "wangge", "wrong")
    assert get_token(client, "wangge", demo_password).status_code == 201

    after_reset = [get_token(client, "wangge", "wrong").status_code for _ in range(2)]

    assert after_reset == [401, 401]


def test_failures_on_the_login_page_count_towards_the_api_lockout(wenyan_demo, demo_password):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "wangge", "password": "wrong"})

    response = get_token(client, "wangge", demo_password)

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked_out"


# --- CSRF ---------------------------------------------------------------------------------------


def grid_count() -> int:
    return Grid.objects.count()


def test_a_session_post_without_csrf_token_is_refused(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["administrator"])
    before = (grid_count(), AuditEntry.objects.count())

    response = post_json(client, "/api/geo/grids/import", NEW_GRID_FILE)

    assert response.status_code == 403
    assert response.json() == {
        "error": {
            "code": "csrf_failed",
            "message": "CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken "
            "header, or authenticate with a bearer token.",
            "field": None,
            "extra": {},
        }
    }
    assert (grid_count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize("cookies", [{}, {"sessionid": "expired-or-forged"}])
def test_an_anonymous_post_is_401_not_a_csrf_failure(cookies):
    client = Client(enforce_csrf_checks=True)
    for name, value in cookies.items():
        client.cookies[name] = value
    before = (grid_count(), AuditEntry.objects.count())

    response = post_json(client, "/api/geo/grids/import", NEW_GRID_FILE)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="jiedao"'
    assert response.json()["error"]["code"] == "unauthenticated"
    assert response.json()["error"]["message"] == (
        "Sign in, or send a valid token as “Authorization: Bearer <token>”."
    )
    assert (grid_count(), AuditEntry.objects.count()) == before


def test_a_session_post_with_the_csrf_token_is_accepted(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["administrator"])
    secret = "a" * 32
    client.cookies[settings.CSRF_COOKIE_NAME] = secret

    response = post_json(client, "/api/geo/grids/import", SPLIT_FILE(), HTTP_X_CSRFTOKEN=secret)

    assert response.status_code == 200
    assert response.json() == {"created": 1, "updated": 1}


def test_a_bearer_post_needs_no_csrf_token(wenyan_demo, demo_password):
    token = get_token(Client(), "admin", demo_password).json()["token"]
    client = Client(enforce_csrf_checks=True)

    response = post_json(
        client, "/api/geo/grids/import", SPLIT_FILE(), HTTP_AUTHORIZATION=f"Bearer {token}"
    )

    assert response.status_code == 200
    assert response.json() == {"created": 1, "updated": 1}
