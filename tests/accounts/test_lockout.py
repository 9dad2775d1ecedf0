"""The sign-in lockout cannot be used to keep someone out: no extension during the cool-off,
separate limits per account and per address, and an administrator can end it."""

import json
from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

from jiedao.accounts.models import User
from jiedao.accounts.services import user_unlock
from jiedao.audit.models import AuditEntry
from jiedao.core.errors import Forbidden

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
COOL_OFF = timedelta(minutes=15)


class Clock:
    """The time django-axes stamps on each attempt (and measures the cool-off from)."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moved = Clock()
    monkeypatch.setattr("axes.handlers.proxy.now", moved)
    return moved


def sign_in(username: str, password: str, address: str = "10.0.0.1") -> int:
    response = Client().post(
        "/api/accounts/tokens",
        json.dumps({"username": username, "password": password}),
        content_type="application/json",
        REMOTE_ADDR=address,
    )
    return response.status_code


def fail(times: int, username: str, address: str = "10.0.0.1") -> list[int]:
    return [sign_in(username, "wrong", address) for _ in range(times)]


def test_trying_again_during_the_cool_off_does_not_extend_it(
    wenyan_demo: Any, demo_password: str, clock: Clock
) -> None:
    # given wangge locked out at 09:00 by five failures from one address
    assert fail(5, "wangge") == [401, 401, 401, 401, 429]

    # when someone keeps trying, wrong and right, at 09:10 and at 09:14
    clock.now = START + timedelta(minutes=10)
    during = [*fail(3, "wangge"), sign_in("wangge", demo_password)]
    clock.now = START + timedelta(minutes=14)
    during += fail(3, "wangge")

    # then each attempt was refused, none was counted, and 09:15 ends the lockout
    assert during == [429] * 7
    assert list(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == [5]
    clock.now = START + COOL_OFF + timedelta(seconds=1)
    assert sign_in("wangge", demo_password) == 201


def test_the_right_password_works_after_the_cool_off(
    wenyan_demo: Any, demo_password: str, clock: Clock
) -> None:
    fail(5, "wangge")

    clock.now = START + COOL_OFF - timedelta(seconds=1)
    just_before = sign_in("wangge", demo_password)
    clock.now = START + COOL_OFF + timedelta(seconds=1)
    just_after = sign_in("wangge", demo_password)

    assert (just_before, just_after) == (429, 201)
    # the success forgot the account's failures
    assert AccessAttempt.objects.count() == 0


def test_failures_from_one_address_do_not_lock_the_account_elsewhere(
    wenyan_demo: Any, demo_password: str, clock: Clock
) -> None:
    # given five failures for wangge from the office NAT (its limit for one account)
    assert fail(5, "wangge", "10.0.0.1")[-1] == 429

    # then wangge still signs in from another address, and colleagues from the office
    assert sign_in("wangge", demo_password, "10.0.0.2") == 201
    assert sign_in("sanjiang", demo_password, "10.0.0.1") == 201


def test_ten_failures_from_anywhere_lock_the_account_everywhere(
    wenyan_demo: Any, demo_password: str, clock: Clock
) -> None:
    # given nine failures for wangge spread over three addresses: not yet the account's limit
    for address in ("10.0.1.1", "10.0.1.2", "10.0.1.3"):
        assert fail(3, "wangge", address) == [401, 401, 401]
    assert sign_in("wangge", "wrong", "10.0.1.4") == 429  # the tenth

    # then wangge is locked out from a fresh address, other accounts are not
    assert sign_in("wangge", demo_password, "10.0.1.9") == 429
    assert sign_in("sanjiang", demo_password, "10.0.1.9") == 201


def test_twenty_failures_from_one_address_lock_that_address_for_every_account(
    wenyan_demo: Any, demo_password: str, clock: Clock
) -> None:
    # given one address guessing four times each at five accounts (19, then the 20th)
    for username in ("a1", "a2", "a3", "a4"):
        assert fail(4, username, "10.0.2.1") == [401] * 4
    assert fail(3, "a5", "10.0.2.1") == [401] * 3
    assert sign_in("a5", "wrong", "10.0.2.1") == 429

    # then nobody signs in from that address for the cool-off, but from elsewhere they do
    assert sign_in("sanjiang", demo_password, "10.0.2.1") == 429
    assert sign_in("sanjiang", demo_password, "10.0.2.2") == 201
    clock.now = START + COOL_OFF + timedelta(seconds=1)
    assert sign_in("sanjiang", demo_password, "10.0.2.1") == 201


def test_a_colleague_signing_in_does_not_wipe_an_address_count(
    wenyan_demo: Any, demo_password: str, clock: Clock
) -> None:
    for username in ("a1", "a2", "a3", "a4"):
        fail(4, username, "10.0.3.1")
    fail(3, "a5", "10.0.3.1")

    assert sign_in("sanjiang", demo_password, "10.0.3.1") == 201
    assert sign_in("a6", "wrong", "10.0.3.1") == 429


def test_an_administrator_unlocks_an_account_with_an_audit_entry(
    wenyan_demo: Any, demo_password: str, users: dict[str, Any], clock: Clock
) -> None:
    fail(5, "wangge", "10.0.4.1")
    fail(2, "wangge", "10.0.4.2")
    fail(2, "sanjiang", "10.0.4.1")
    administrator, wangge = users["administrator"], User.objects.get(username="wangge")

    forgotten = user_unlock(actor=administrator, user=wangge)

    assert forgotten == 7
    assert sign_in("wangge", demo_password, "10.0.4.1") == 201
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [
        ("sanjiang", 2)
    ]
    entry = AuditEntry.objects.filter(action="accounts.user.unlock").get()
    assert (entry.actor, entry.target_id, entry.before, entry.after) == (
        administrator,
        str(wangge.pk),
        {"failed_sign_ins": 7},
        {"failed_sign_ins": 0},
    )


def test_only_administrators_unlock(wenyan_demo: Any, users: dict[str, Any], clock: Clock) -> None:
    fail(5, "wangge")
    audit_before = AuditEntry.objects.count()

    with pytest.raises(Forbidden):
        user_unlock(actor=users["dispatcher"], user=User.objects.get(username="wangge"))

    assert AccessAttempt.objects.get().failures_since_start == 5
    assert AuditEntry.objects.count() == audit_before


def test_the_unlock_command(wenyan_demo: Any, demo_password: str, clock: Clock) -> None:
    fail(5, "wangge")
    output = StringIO()

    call_command("unlock", "wangge", stdout=output)

    assert output.getvalue() == "Unlocked wangge: 5 failed sign-ins forgotten.\n"
    assert sign_in("wangge", demo_password) == 201
    assert (
        AuditEntry.objects.filter(action="accounts.user.unlock", actor_label="system").count() == 1
    )


def test_the_admin_action_unlocks_the_selected_accounts(
    wenyan_demo: Any, demo_password: str, users: dict[str, Any], clock: Clock
) -> None:
    fail(5, "wangge")
    admin_client = Client()
    admin_client.force_login(users["administrator"])

    response = admin_client.post(
        "/admin/axes/accessattempt/",
        {
            "action": "unlock_accounts",
            "_selected_action": [AccessAttempt.objects.get().pk],
        },
        follow=True,
    )

    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]] == ["Unlocked 1 account."]
    assert AccessAttempt.objects.count() == 0
    assert sign_in("wangge", demo_password) == 201
