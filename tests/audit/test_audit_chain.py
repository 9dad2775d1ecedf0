"""The hash chain without the demo: an empty trail, and two writers appending at once."""

import threading

import pytest
from django.db import close_old_connections, connection, connections

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.audit.services import GENESIS_HASH, audit_record, audit_seal, audit_verify

ENTRIES_PER_WRITER = 20


def test_an_empty_trail_is_intact(db):
    report = audit_verify()

    assert (report.is_intact, report.entry_count, report.head_hash) == (True, 0, GENESIS_HASH)


def test_the_first_entry_starts_from_the_genesis_hash(db):
    entry = audit_record(actor=SYSTEM, action="test.first", target_type="test", target_id="1")
    audit_seal()

    entry.refresh_from_db()
    assert (entry.seal_number, entry.previous_hash) == (1, GENESIS_HASH)
    assert audit_verify().entry_count == 1


@pytest.mark.postgres
def test_concurrent_writers_keep_the_chain_intact(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections to PostgreSQL")
    start = threading.Barrier(2)
    errors: list[Exception] = []

    def write(writer: str) -> None:
        try:
            start.wait()
            for number in range(ENTRIES_PER_WRITER):
                audit_record(
                    actor=SYSTEM,
                    action="test.concurrent",
                    target_type="test.writer",
                    target_id=f"{writer}-{number}",
                )
        except Exception as error:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()

    assert errors == []
    report = audit_verify()
    assert report.is_intact, report.problem
    assert report.entry_count == 2 * ENTRIES_PER_WRITER
    written = set(AuditEntry.objects.values_list("target_id", flat=True))
    assert written == {f"{w}-{n}" for w in "ab" for n in range(ENTRIES_PER_WRITER)}
