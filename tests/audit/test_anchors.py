"""Signed anchors outside the database catch what the hash chain alone cannot: the tables' owner
rewriting the chain with every hash recomputed, emptying the trail, or cutting its tail."""

import json
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.anchors import read_anchors
from jiedao.audit.models import AuditEntry
from jiedao.audit.services import (
    GENESIS_HASH,
    audit_anchor,
    audit_record,
    audit_seal,
    audit_verify,
    content_digest,
    entry_digest,
)

pytestmark = pytest.mark.django_db
KEY = "anchor-key-held-by-the-application-server"
REWRITE_ENTRY = (
    "UPDATE audit_auditentry SET action = %s, content_hash = %s, previous_hash = %s, "
    "entry_hash = %s WHERE id = %s"
)
ANCHORED_AT = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)


@pytest.fixture
def anchors(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "anchors" / "audit-anchors.jsonl"
    settings.AUDIT_ANCHOR_FILE = path
    settings.AUDIT_ANCHOR_KEY = KEY
    return path


def record(count: int, start: int = 1) -> list[int]:
    return [
        audit_record(
            actor=SYSTEM, action="test.write", target_type="test", target_id=str(number)
        ).pk
        for number in range(start, start + count)
    ]


def run_as_owner(statements: list[tuple[str, list[Any]]]) -> None:
    """What the tables' owner can do: on PostgreSQL, switch the append-only trigger off with
    session_replication_role (as a superuser or a replication role could), then write."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses to run while deferred foreign-key checks of this test's inserts
            # are pending: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET session_replication_role = replica")
        try:
            for sql, parameters in statements:
                cursor.execute(sql, parameters)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = origin")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def rewrite_from(entry_id: int, action: str) -> None:
    """Seal the trail, then change one entry and recompute its content hash, every later chain
    hash and the chain head."""
    audit_seal()
    statements: list[tuple[str, list[Any]]] = []
    previous = GENESIS_HASH
    for entry in AuditEntry.objects.order_by("seal_number"):
        if entry.pk == entry_id:
            entry.action = action
        if entry.pk >= entry_id:
            content = {
                "created_at": entry.created_at,
                "actor_label": entry.actor_label,
                "action": entry.action,
                "target_type": entry.target_type,
                "target_id": entry.target_id,
                "target_repr": entry.target_repr,
                "before": entry.before,
                "after": entry.after,
                "ip_address": entry.ip_address,
            }
            digest = entry_digest(previous_hash=previous, **content)
            statements.append(
                (
                    REWRITE_ENTRY,
                    [entry.action, content_digest(**content), previous, digest, entry.pk],
                )
            )
            previous = digest
        else:
            previous = entry.entry_hash
    count = AuditEntry.objects.count()
    statements.append(
        ("UPDATE audit_auditchainhead SET last_hash = %s, entry_count = %s", [previous, count])
    )
    run_as_owner(statements)


def cut_after(entry_id: int) -> None:
    """Remove the entries after ``entry_id`` and point the chain head at it."""
    kept = AuditEntry.objects.filter(pk__lte=entry_id)
    count, last_hash = kept.count(), kept.order_by("-id").first().entry_hash  # type: ignore[union-attr]
    run_as_owner(
        [
            ("DELETE FROM audit_auditentry WHERE id > %s", [entry_id]),
            (
                "UPDATE audit_auditchainhead SET last_hash = %s, entry_count = %s",
                [last_hash, count],
            ),
        ]
    )


def empty_the_trail() -> None:
    if connection.vendor == "postgresql":
        run_as_owner([("TRUNCATE audit_auditentry, audit_auditchainhead", [])])
    else:
        run_as_owner(
            [("DELETE FROM audit_auditentry", []), ("DELETE FROM audit_auditchainhead", [])]
        )


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(text) for text in path.read_text().splitlines()]


def test_an_anchor_signs_the_head_and_chains_to_the_one_before(anchors: Path) -> None:
    ids = record(3)

    first = audit_anchor(now=ANCHORED_AT)
    record(2, start=4)
    second = audit_anchor(now=ANCHORED_AT)

    newest = AuditEntry.objects.order_by("-id").first()
    assert newest is not None
    assert (first.line, first.entry_id, first.entry_count, first.previous_mac) == (
        1,
        ids[-1],
        3,
        "",
    )
    assert (second.line, second.entry_id, second.entry_hash, second.entry_count) == (
        2,
        newest.pk,
        newest.entry_hash,
        5,
    )
    assert second.previous_mac == first.mac
    assert [line["anchored_at"] for line in lines(anchors)] == [
        "2026-11-29T02:00:00.000000+00:00"
    ] * 2
    assert read_anchors() == [first, second]
    report = audit_verify()
    assert (report.is_intact, report.entry_count, report.anchors) == (True, 5, (first, second))


def test_a_rewritten_chain_passes_the_chain_check_but_not_the_anchor(
    anchors: Path, settings: Any
) -> None:
    # given ten entries anchored, then two more
    ids = record(10)
    audit_anchor(now=ANCHORED_AT)
    record(2, start=11)

    # when the owner rewrites entry 4 with every later hash and the head recomputed
    rewrite_from(ids[3], "test.innocent")

    # then the chain alone looks intact; against the anchor, entry 10 no longer matches
    settings.AUDIT_ANCHOR_FILE = anchors.parent / "none.jsonl"
    assert audit_verify().is_intact
    settings.AUDIT_ANCHOR_FILE = anchors
    report = audit_verify()
    assert (report.is_intact, report.broken_entry_id, report.entry_count) == (False, ids[9], 10)
    assert report.problem == (
        f"does not match anchor 1 of 2026-11-29T02:00:00.000000+00:00 (10 entries up to "
        f"#{ids[9]}): the trail was rewritten"
    )


def test_an_emptied_trail_is_not_intact_once_anchored(anchors: Path) -> None:
    ids = record(5)
    audit_anchor(now=ANCHORED_AT)

    empty_the_trail()

    report = audit_verify()
    assert (report.is_intact, report.entry_count, report.head_hash) == (False, 0, GENESIS_HASH)
    assert report.problem == (
        f"anchor 1 of 2026-11-29T02:00:00.000000+00:00 (5 entries up to #{ids[4]}), but the "
        "trail has 0 entries: anchored entries were removed (the table was emptied or cut short)"
    )


def test_a_tail_cut_behind_the_last_anchor_is_found(anchors: Path) -> None:
    ids = record(8)
    audit_anchor(now=ANCHORED_AT)

    cut_after(ids[5])

    report = audit_verify()
    assert not report.is_intact
    assert report.problem == (
        f"anchor 1 of 2026-11-29T02:00:00.000000+00:00 (8 entries up to #{ids[7]}), but the "
        "trail has 6 entries: anchored entries were removed (the table was emptied or cut short)"
    )


def test_a_forged_anchor_for_the_rewritten_chain_is_found(anchors: Path, settings: Any) -> None:
    # given an anchored trail rewritten by the owner, who also appends an anchor for the new
    # chain signed without the real key
    ids = record(6)
    audit_anchor(now=ANCHORED_AT)
    rewrite_from(ids[1], "test.innocent")
    settings.AUDIT_ANCHOR_KEY = "a key the owner guessed"
    audit_anchor(now=ANCHORED_AT)
    settings.AUDIT_ANCHOR_KEY = KEY

    report = audit_verify()

    assert not report.is_intact
    assert report.problem == (
        f"anchor 2 in {anchors}: its signature does not match (forged or edited, or a different "
        "key)"
    )


def test_an_edited_anchor_line_is_found(anchors: Path) -> None:
    record(4)
    audit_anchor(now=ANCHORED_AT)
    edited = lines(anchors)[0] | {"entry_count": 3}
    anchors.write_text(json.dumps(edited) + "\n")

    assert audit_verify().problem == (
        f"anchor 1 in {anchors}: its signature does not match (forged or edited, or a different "
        "key)"
    )


def test_a_removed_anchor_line_is_found(anchors: Path) -> None:
    for start in (1, 3, 5):
        record(2, start=start)
        audit_anchor(now=ANCHORED_AT)
    first, _second, third = anchors.read_text().splitlines()
    anchors.write_text(f"{first}\n{third}\n")

    assert audit_verify().problem == (
        f"anchor 2 in {anchors}: it does not follow the anchor before it (an anchor was removed)"
    )


def test_the_commands_anchor_and_verify(anchors: Path) -> None:
    ids = record(3)
    anchored, verified = StringIO(), StringIO()

    call_command("audit", "anchor", stdout=anchored)
    call_command("audit", "verify", stdout=verified)

    head = AuditEntry.objects.get(pk=ids[2]).entry_hash
    anchor = read_anchors()[0]
    assert anchored.getvalue() == (
        f"Anchored the audit trail at {anchor.anchored_at}: 3 entries up to #{ids[2]}, head "
        f"{head} (anchor 1 in {anchors}).\n"
    )
    sealed = AuditEntry.objects.get(pk=ids[2]).created_at.isoformat(timespec="seconds")
    assert verified.getvalue() == (
        f"Audit chain intact: 3 entries, head {head}\n"
        f"Sealed up to entry #{ids[2]} of {sealed}; every entry is sealed.\n"
        f"It agrees with the 1 anchors in {anchors}, the last of {anchor.anchored_at} "
        "(3 entries).\n"
    )


def test_verify_warns_when_nothing_is_anchored(anchors: Path) -> None:
    record(1)
    errors = StringIO()

    call_command("audit", "verify", stdout=StringIO(), stderr=errors)

    assert errors.getvalue() == (
        f"Warning: no anchors in {anchors}: run `jiedao audit anchor` every few minutes so that "
        "a rewritten or emptied trail is detected.\n"
    )


def test_verify_command_fails_naming_the_anchor(anchors: Path) -> None:
    ids = record(4)
    call_command("audit", "anchor", stdout=StringIO())
    empty_the_trail()

    with pytest.raises(CommandError) as error:
        call_command("audit", "verify")

    anchored_at = read_anchors()[0].anchored_at
    assert str(error.value) == (
        f"Audit chain BROKEN after 0 entries: anchor 1 of {anchored_at} (4 entries up to "
        f"#{ids[3]}), but the trail has 0 entries: anchored entries were removed (the table was "
        "emptied or cut short)"
    )
