"""Entries written without a shared lock and sealed into the chain after commit: the sealer, the
announcements that ask for it, and `verify` finding tampering on both sides of the seal."""

import threading
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit import sealing
from jiedao.audit.chain import content_of
from jiedao.audit.models import AuditChainHead, AuditEntry
from jiedao.audit.services import (
    GENESIS_HASH,
    audit_record,
    audit_seal,
    audit_verify,
    content_digest,
    entry_digest,
)

pytestmark = pytest.mark.django_db


def record(count: int, start: int = 1) -> list[int]:
    return [
        audit_record(
            actor=SYSTEM, action="test.write", target_type="test", target_id=str(number)
        ).pk
        for number in range(start, start + count)
    ]


def run_raw(sql: str, parameters: list[Any]) -> None:
    """SQL behind the application's back, with the append-only trigger switched off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute(sql, parameters)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def forged(*, sealed_after: AuditEntry | None = None) -> AuditEntry:
    """An entry inserted behind the application, hashes and all (whoever does it can compute
    SHA-256): after ``sealed_after`` in the chain, or unsealed."""
    fields = {
        "created_at": AuditEntry.objects.order_by("-id").first().created_at,  # type: ignore[union-attr]
        "actor_label": "somebody",
        "action": "test.forged",
        "target_type": "test",
        "target_id": "99",
        "target_repr": "",
        "before": None,
        "after": None,
        "ip_address": None,
    }
    chain: dict[str, Any] = {}
    if sealed_after is not None:
        chain = {
            "seal_number": sealed_after.seal_number + 1,  # type: ignore[operator]
            "previous_hash": sealed_after.entry_hash,
            "entry_hash": entry_digest(previous_hash=sealed_after.entry_hash, **fields),
        }
    return AuditEntry.objects.create(content_hash=content_digest(**fields), **fields, **chain)


def test_an_entry_is_written_unsealed_and_sealed_once_its_transaction_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        entry = audit_record(actor=SYSTEM, action="test.write", target_type="test", target_id="1")
        written = AuditEntry.objects.get(pk=entry.pk)
        assert (written.seal_number, written.previous_hash, written.entry_hash) == (None, "", "")
        assert written.content_hash == content_digest(**content_of(written))

    sealed = AuditEntry.objects.get(pk=entry.pk)
    assert (sealed.seal_number, sealed.previous_hash) == (1, GENESIS_HASH)
    assert sealed.entry_hash == entry_digest(previous_hash=GENESIS_HASH, **content_of(sealed))
    head = AuditChainHead.objects.get()
    assert (head.entry_count, head.last_hash) == (1, sealed.entry_hash)


def test_the_sealer_continues_the_chain_in_order_of_id() -> None:
    first = record(3)
    audit_seal()
    second = record(2, start=4)

    report = audit_seal()

    entries = list(AuditEntry.objects.order_by("seal_number"))
    assert [entry.pk for entry in entries] == first + second
    assert [entry.seal_number for entry in entries] == [1, 2, 3, 4, 5]
    assert [entry.previous_hash for entry in entries[1:]] == [e.entry_hash for e in entries[:-1]]
    assert (report.sealed, report.entry_count, report.head_hash) == (2, 5, entries[-1].entry_hash)
    assert audit_seal().sealed == 0


def test_verify_says_up_to_where_the_trail_is_sealed() -> None:
    ids = record(3)
    audit_seal()
    record(2, start=4)
    out = StringIO()

    report = audit_verify()
    call_command("audit", "verify", stdout=out, stderr=StringIO())

    assert (report.is_intact, report.entry_count, report.sealed_up_to) == (True, 3, ids[2])
    assert report.unsealed_count == 2
    sealed = AuditEntry.objects.get(pk=ids[2])
    oldest = AuditEntry.objects.get(pk=ids[2] + 1).created_at
    assert out.getvalue() == (
        f"Audit chain intact: 3 entries, head {sealed.entry_hash}\n"
        f"Sealed up to entry #{ids[2]} of {sealed.created_at.isoformat(timespec='seconds')}; "
        f"2 entries await sealing (the oldest of {oldest.isoformat(timespec='seconds')}), "
        "each checked against its own hash.\n"
    )


def test_the_seal_command_seals_what_has_committed() -> None:
    record(4)
    out = StringIO()

    call_command("audit", "seal", stdout=out)

    head = AuditChainHead.objects.get()
    assert out.getvalue() == (
        f"Sealed 4 entries: the chain has 4 entries, head {head.last_hash}.\n"
    )
    assert not AuditEntry.objects.filter(seal_number__isnull=True).exists()


# --- tampering on both sides of the seal ---------------------------------------------------------


@pytest.fixture
def trail() -> dict[str, list[int]]:
    """Four sealed entries, then three waiting for the sealer."""
    sealed = record(4)
    audit_seal()
    return {"sealed": sealed, "unsealed": record(3, start=5)}


@pytest.mark.parametrize("part", ["sealed", "unsealed"])
def test_a_changed_entry_is_found(trail: dict[str, list[int]], part: str) -> None:
    tampered = trail[part][1]

    run_raw("UPDATE audit_auditentry SET actor_label = %s WHERE id = %s", ["somebody", tampered])

    report = audit_verify()
    assert (report.broken_entry_id, report.problem) == (
        tampered,
        "content does not match its hash",
    )


def test_an_entry_removed_from_the_sealed_part_is_found(trail: dict[str, list[int]]) -> None:
    run_raw("DELETE FROM audit_auditentry WHERE id = %s", [trail["sealed"][1]])

    report = audit_verify()
    assert (report.broken_entry_id, report.problem) == (
        trail["sealed"][2],
        "previous hash does not match the entry before it",
    )


def test_an_entry_removed_before_it_was_sealed_is_found_through_its_announcement(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given two entries committed, whose announcements have not reached the sealer yet
    with django_capture_on_commit_callbacks(execute=False) as announcements, transaction.atomic():
        ids = record(2)
    # when one is removed behind the application before the sealer runs
    run_raw("DELETE FROM audit_auditentry WHERE id = %s", [ids[0]])
    for announce in announcements:
        announce()

    # then the sealer recorded the removal in the trail, and verify reports it
    missing = AuditEntry.objects.get(action=sealing.MISSING_ACTION)
    assert (missing.target_id, missing.after, missing.seal_number) == (
        str(ids[0]),
        {"entry_id": ids[0]},
        2,
    )
    report = audit_verify()
    assert report.broken_entry_id == ids[0]
    assert report.problem == (
        "was committed but removed before it was sealed (the sealer found it missing at "
        f"{missing.created_at.isoformat(timespec='seconds')}, entry #{missing.pk})"
    )


def test_an_entry_inserted_behind_the_sealer_is_found(trail: dict[str, list[int]]) -> None:
    last = AuditEntry.objects.get(pk=trail["sealed"][-1])

    forged(sealed_after=last)

    report = audit_verify()
    assert report.problem == (
        f"the chain head records 4 entries ending in {last.entry_hash[:12]}…: entries at the "
        "end were added behind the sealer"
    )


def test_an_entry_inserted_into_the_unsealed_part_without_its_hash_is_found(
    trail: dict[str, list[int]],
) -> None:
    entry = forged()
    run_raw("UPDATE audit_auditentry SET content_hash = %s WHERE id = %s", ["0" * 64, entry.pk])

    report = audit_verify()
    assert (report.broken_entry_id, report.problem) == (
        entry.pk,
        "content does not match its hash",
    )


def test_an_unsealed_entry_with_chain_hashes_is_found(trail: dict[str, list[int]]) -> None:
    sealed_head = AuditEntry.objects.get(pk=trail["sealed"][-1]).entry_hash
    unsealed = trail["unsealed"][0]

    run_raw("UPDATE audit_auditentry SET previous_hash = %s WHERE id = %s", [sealed_head, unsealed])

    report = audit_verify()
    assert (report.broken_entry_id, report.problem) == (
        unsealed,
        "is not sealed but carries chain hashes",
    )


# --- the trigger lets the sealer through, and nothing else ------------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("sql", "target"),
    [
        (
            "UPDATE audit_auditentry SET seal_number = 99, action = 'rewritten' WHERE id = %s",
            "unsealed",
        ),
        ("UPDATE audit_auditentry SET seal_number = 99 WHERE id = %s", "sealed"),
        ("UPDATE audit_auditentry SET content_hash = '' WHERE id = %s", "unsealed"),
    ],
    ids=["seal-and-change", "reseal", "unsealed-change"],
)
def test_postgresql_refuses_every_update_but_the_seal(
    trail: dict[str, list[int]], sql: str, target: str
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    entry_id = trail[target][0]
    before = AuditEntry.objects.values().get(pk=entry_id)

    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry_id])

    assert "audit entries are append-only" in str(error.value)
    assert AuditEntry.objects.values().get(pk=entry_id) == before


# --- asking for a seal ---------------------------------------------------------------------------


def test_with_a_delay_the_sealer_thread_seals_the_batch_after_the_commits(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a delay, and the seal request observed instead of run
    settings.AUDIT_SEAL_DELAY = 0.2
    requested: list[list[int]] = []
    sealed = threading.Event()

    def request(ids: list[int]) -> None:
        requested.append(ids)
        sealed.set()

    monkeypatch.setattr(sealing, "_request_seal", request)

    # when three entries are announced one after another
    for entry_id in (1, 2, 3):
        sealing._announced(entry_id)

    # then nothing is asked in the announcing thread, and the sealer asks once for all three
    assert requested == []
    assert sealed.wait(timeout=10)
    assert requested == [[1, 2, 3]]
    assert sealing.pending_announcements() == []
