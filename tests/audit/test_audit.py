"""The audit trail: one entry per write, append-only, and a hash chain that reveals tampering."""

import itertools
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import SYSTEM
from jiedao.accounts.services import user_create
from jiedao.audit.models import AppendOnlyError, AuditChainHead, AuditEntry
from jiedao.audit.selectors import audit_entry_list
from jiedao.audit.services import GENESIS_HASH, audit_record, audit_verify
from jiedao.core.errors import Forbidden
from jiedao.geo.models import Community, Grid, Subdistrict
from jiedao.geo.services import (
    community_create,
    department_create,
    grid_create,
    grid_update,
    subdistrict_create,
)
from tests.geo.grid_files import split_file
from tests.roles import ALL_ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [
            [120.245, 30.095],
            [120.246, 30.095],
            [120.246, 30.096],
            [120.245, 30.096],
            [120.245, 30.095],
        ]
    ],
}


def newest() -> AuditEntry:
    return AuditEntry.objects.order_by("-id").first()


# --- one entry per write --------------------------------------------------------------------------


def test_grid_update_records_who_what_and_before_and_after(users):
    admin = users["administrator"]
    grid = Grid.objects.get(code="330109012001001")
    old_boundary = grid.boundary
    entries_before = AuditEntry.objects.count()

    grid_update(actor=admin, grid=grid, name="三江社区滨江网格", boundary=SQUARE)

    assert AuditEntry.objects.count() == entries_before + 1
    entry = newest()
    assert (entry.actor, entry.actor_label, entry.action) == (admin, "admin", "geo.grid.update")
    assert (entry.target_type, entry.target_id, entry.target_repr) == (
        "geo.grid",
        str(grid.pk),
        "三江社区滨江网格 (330109012001001)",
    )
    community_id = Community.objects.get(code="330109012001").pk
    assert entry.before == {
        "id": grid.pk,
        "community": community_id,
        "name": "三江社区第1网格",
        "code": "330109012001001",
        "boundary": old_boundary,
        "is_synthetic": True,
        "is_active": True,
    }
    assert entry.after == {
        "id": grid.pk,
        "community": community_id,
        "name": "三江社区滨江网格",
        "code": "330109012001001",
        "boundary": SQUARE,
        "is_synthetic": True,
        "is_active": True,
    }
    assert entry.ip_address is None
    assert entry.created_at.utcoffset().total_seconds() == 0


def write_subdistrict(subdistrict: Subdistrict) -> Any:
    return subdistrict_create(
        actor=SYSTEM,
        name="义桥镇",
        code="330109013",
        district_name="萧山区",
        center_lat=30.07,
        center_lng=120.18,
    )


def write_community(subdistrict: Subdistrict) -> Any:
    return community_create(
        actor=SYSTEM,
        subdistrict=subdistrict,
        name="新社区",
        kind="community",
        code="330109012008",
        boundary=SQUARE,
    )


def write_grid(subdistrict: Subdistrict) -> Any:
    return grid_create(
        actor=SYSTEM,
        community=Community.objects.get(code="330109012005"),
        name="长安村第6网格",
        code="330109012005006",
        boundary=SQUARE,
    )


def write_department(subdistrict: Subdistrict) -> Any:
    return department_create(
        actor=SYSTEM, subdistrict=subdistrict, name="消防站", code="fire", kind="other"
    )


def write_user(subdistrict: Subdistrict) -> Any:
    return user_create(
        actor=SYSTEM,
        username="newcomer",
        password="a-long-password-1",
        role=Role.DISPATCHER,
        subdistrict=subdistrict,
    )


@pytest.mark.parametrize(
    ("write", "action", "target_type", "expected_after"),
    [
        (
            write_subdistrict,
            "geo.subdistrict.create",
            "geo.subdistrict",
            {"name": "义桥镇", "code": "330109013", "district_name": "萧山区"},
        ),
        (
            write_community,
            "geo.community.create",
            "geo.community",
            {"name": "新社区", "code": "330109012008", "kind": "community", "boundary": SQUARE},
        ),
        (
            write_grid,
            "geo.grid.create",
            "geo.grid",
            {"name": "长安村第6网格", "code": "330109012005006", "boundary": SQUARE},
        ),
        (
            write_department,
            "geo.department.create",
            "geo.department",
            {"name": "消防站", "code": "fire", "kind": "other", "duties": ""},
        ),
        (
            write_user,
            "accounts.user.create",
            "accounts.user",
            {"username": "newcomer", "role": "dispatcher", "is_superuser": False},
        ),
    ],
)
def test_every_create_service_writes_exactly_one_entry(
    wenyan_demo, write, action, target_type, expected_after
):
    subdistrict = Subdistrict.objects.get(code="330109012")
    entries_before = AuditEntry.objects.count()

    created = write(subdistrict)

    assert AuditEntry.objects.count() == entries_before + 1
    entry = newest()
    assert (entry.actor, entry.actor_label, entry.action, entry.target_type) == (
        None,
        "system",
        action,
        target_type,
    )
    assert entry.target_id == str(created.pk)
    assert entry.before is None
    assert entry.after["id"] == created.pk
    assert {key: entry.after[key] for key in expected_after} == expected_after
    assert "password" not in entry.after


def test_a_refused_write_leaves_no_entry(users):
    entries_before = AuditEntry.objects.count()

    with pytest.raises(Forbidden):
        grid_update(actor=users["dispatcher"], grid=Grid.objects.first(), name="x")

    assert AuditEntry.objects.count() == entries_before


def test_the_entry_is_rolled_back_with_the_change(wenyan_demo):
    grid = Grid.objects.get(code="330109012001001")
    entries_before = AuditEntry.objects.count()
    head_before = AuditChainHead.objects.get().last_hash

    def change_then_fail() -> None:
        with transaction.atomic():
            grid_update(actor=SYSTEM, grid=grid, name="改名")
            raise RuntimeError("the caller fails after the service")

    with pytest.raises(RuntimeError):
        change_then_fail()

    assert AuditEntry.objects.count() == entries_before
    assert AuditChainHead.objects.get().last_hash == head_before
    assert Grid.objects.get(code="330109012001001").name == "三江社区第1网格"
    assert audit_verify().is_intact


# --- append-only --------------------------------------------------------------------------------


def test_an_entry_cannot_be_saved_again(wenyan_demo):
    entry = newest()
    entry.action = "rewritten"

    with pytest.raises(AppendOnlyError):
        entry.save()

    assert AuditEntry.objects.get(pk=entry.pk).action != "rewritten"


def test_an_entry_cannot_be_deleted(wenyan_demo):
    entry = newest()

    with pytest.raises(AppendOnlyError):
        entry.delete()

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda: AuditEntry.objects.update(action="rewritten"),
        lambda: AuditEntry.objects.filter(action__startswith="geo.").update(action="rewritten"),
        lambda: AuditEntry.objects.all().delete(),
        lambda: AuditEntry.objects.filter(action="geo.grid.create").delete(),
        lambda: AuditEntry._base_manager.update(action="rewritten"),
        lambda: AuditEntry._base_manager.all().delete(),
        lambda: AuditEntry.objects.bulk_update(
            [AuditEntry(pk=newest().pk, action="rewritten")], ["action"]
        ),
    ],
    ids=[
        "manager-update",
        "queryset-update",
        "queryset-delete",
        "filtered-delete",
        "base-manager-update",
        "base-manager-delete",
        "bulk-update",
    ],
)
def test_querysets_cannot_update_or_delete_entries(wenyan_demo, change):
    count_before = AuditEntry.objects.count()

    with pytest.raises(AppendOnlyError), transaction.atomic():
        change()

    assert AuditEntry.objects.count() == count_before
    assert not AuditEntry.objects.filter(action="rewritten").exists()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET action = 'rewritten' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_postgresql_refuses_raw_sql_changes(wenyan_demo, sql):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    entry = newest()

    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])

    assert "audit entries are append-only" in str(error.value)
    assert AuditEntry.objects.get(pk=entry.pk).action == entry.action


# --- the hash chain -----------------------------------------------------------------------------


def test_the_chain_is_intact_after_the_demo_load(wenyan_demo):
    report = audit_verify()

    count = AuditEntry.objects.count()
    assert count > 100
    assert report.is_intact
    assert (report.entry_count, report.broken_entry_id, report.problem) == (count, None, "")
    assert report.head_hash == AuditChainHead.objects.get().last_hash == newest().entry_hash
    first = AuditEntry.objects.order_by("id").first()
    assert first.previous_hash == GENESIS_HASH


def test_each_entry_points_at_the_one_before(wenyan_demo):
    entries = list(AuditEntry.objects.order_by("id").values_list("previous_hash", "entry_hash"))

    for (_previous, earlier), (previous, _hash) in itertools.pairwise(entries):
        assert previous == earlier


def run_raw(sql: str, parameters: list[Any]) -> None:
    """Run SQL behind the application's back, as an attacker with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses to run while deferred foreign-key checks of this transaction's
            # inserts are pending: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute(sql, parameters)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.mark.parametrize(
    ("sql", "value"),
    [
        ("UPDATE audit_auditentry SET action = %s WHERE id = %s", "geo.grid.delete"),
        ("UPDATE audit_auditentry SET actor_label = %s WHERE id = %s", "somebody-else"),
        ("UPDATE audit_auditentry SET after = %s WHERE id = %s", json.dumps({"name": "假的"})),
        ("UPDATE audit_auditentry SET ip_address = %s WHERE id = %s", "10.9.9.9"),
    ],
    ids=["action", "actor", "after", "ip"],
)
def test_changing_an_entry_behind_the_application_is_detected(wenyan_demo, sql, value):
    ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    tampered = ids[len(ids) // 2]

    run_raw(sql, [value, tampered])

    report = audit_verify()
    assert not report.is_intact
    assert report.broken_entry_id == tampered
    assert report.problem == "content does not match its hash"
    assert report.entry_count == ids.index(tampered) + 1


def test_removing_an_entry_from_the_middle_is_detected_at_the_next_one(wenyan_demo):
    ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    removed = ids[10]

    run_raw("DELETE FROM audit_auditentry WHERE id = %s", [removed])

    report = audit_verify()
    assert report.broken_entry_id == ids[11]
    assert report.problem == "previous hash does not match the entry before it"


def test_removing_the_last_entry_is_detected_through_the_chain_head(wenyan_demo):
    count = AuditEntry.objects.count()
    last = newest()
    head = AuditChainHead.objects.get()

    run_raw("DELETE FROM audit_auditentry WHERE id = %s", [last.pk])

    report = audit_verify()
    assert not report.is_intact
    assert report.broken_entry_id is None
    assert report.entry_count == count - 1
    assert report.problem == (
        f"the chain head records {count} entries ending in {head.last_hash[:12]}…: "
        "entries at the end are missing"
    )


def test_verify_command_reports_an_intact_chain(wenyan_demo, capsys):
    count = AuditEntry.objects.count()
    head = AuditChainHead.objects.get().last_hash

    call_command("audit", "verify")

    last = newest()
    assert capsys.readouterr().out == (
        f"Audit chain intact: {count} entries, head {head}\n"
        f"Sealed up to entry #{last.pk} of {last.created_at.isoformat(timespec='seconds')}; "
        "every entry is sealed.\n"
    )


def test_verify_command_fails_naming_the_broken_entry(wenyan_demo):
    ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    tampered = ids[5]
    run_raw("UPDATE audit_auditentry SET action = %s WHERE id = %s", ["forged", tampered])

    with pytest.raises(CommandError) as error:
        call_command("audit", "verify")

    assert str(error.value) == (
        f"Audit chain BROKEN after 6 entries: entry #{tampered}: content does not match its hash"
    )


def test_verify_command_fails_when_the_last_entry_is_gone(wenyan_demo):
    run_raw("DELETE FROM audit_auditentry WHERE id = %s", [newest().pk])

    with pytest.raises(CommandError) as error:
        call_command("audit", "verify")

    assert "entries at the end are missing" in str(error.value)


# --- the request's address ----------------------------------------------------------------------


def test_writes_through_the_api_record_the_client_address(users):
    client = Client(REMOTE_ADDR="10.20.30.40")
    client.force_login(users["administrator"])
    data = split_file("330109012005001", "330109012005006", "长安村第6网格")

    response = client.post(
        "/api/geo/grids/import", json.dumps(data), content_type="application/json"
    )

    assert response.status_code == 200
    entry = newest()
    assert (entry.action, entry.actor_label, entry.ip_address) == (
        "geo.grid.create",
        "admin",
        "10.20.30.40",
    )
    assert audit_verify().is_intact


def test_a_token_request_records_the_client_address(wenyan_demo, demo_password):
    client = Client(REMOTE_ADDR="2001:db8::7")

    client.post(
        "/api/accounts/tokens",
        json.dumps({"username": "wangge", "password": demo_password}),
        content_type="application/json",
    )

    entry = newest()
    assert (entry.action, entry.ip_address) == ("accounts.token.create", "2001:db8::7")


def test_a_forwarded_for_header_is_not_trusted(users):
    client = Client(REMOTE_ADDR="10.20.30.40", HTTP_X_FORWARDED_FOR="1.2.3.4")
    client.force_login(users["administrator"])

    client.post(
        "/api/geo/grids/import",
        json.dumps(split_file("330109012005001", "330109012005006", "长安村第6网格")),
        content_type="application/json",
    )

    assert newest().ip_address == "10.20.30.40"


def test_audit_record_outside_a_request_has_no_address(wenyan_demo):
    entry = audit_record(actor=SYSTEM, action="test.note", target_type="test", target_id="1")

    assert entry.ip_address is None
    assert entry.actor is None
    assert entry.actor_label == "system"


# --- reading the trail --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [role for role in ALL_ROLES if role != "administrator"])
def test_only_administrators_read_the_trail(users, role):
    with pytest.raises(Forbidden):
        audit_entry_list(user=users[role])


def test_the_trail_can_be_filtered(users):
    admin = users["administrator"]
    grid_update(actor=admin, grid=Grid.objects.get(code="330109012001001"), name="改名")

    by_actor = audit_entry_list(user=admin, actor="adm")
    by_action = audit_entry_list(user=admin, action="geo.grid.")
    by_target = audit_entry_list(
        user=admin,
        target_type="geo.grid",
        target_id=str(Grid.objects.get(code="330109012001001").pk),
    )

    assert [entry.action for entry in by_actor] == ["geo.grid.update"]
    assert by_action.count() == 36
    assert [entry.action for entry in by_target] == ["geo.grid.update", "geo.grid.create"]
