"""audit_batch: the entries of a block written in one statement when it ends."""

from contextlib import suppress

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.audit.services import audit_batch, audit_record, audit_verify

pytestmark = pytest.mark.django_db


class Refused(Exception):
    """The refusal a block raises in these tests."""


def _actions() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def _inserts(captured: CaptureQueriesContext) -> int:
    return sum(1 for query in captured.captured_queries if query["sql"].startswith("INSERT"))


def test_a_batch_writes_its_entries_in_one_statement_in_order() -> None:
    with transaction.atomic(), CaptureQueriesContext(connection) as captured, audit_batch():
        first = audit_record(actor=SYSTEM, action="test.one", target_type="t", target_id="1")
        second = audit_record(actor=SYSTEM, action="test.two", target_type="t", target_id="2")
        assert (first.pk, second.pk) == (None, None)
        assert AuditEntry.objects.count() == 0
    assert _inserts(captured) == 1
    assert first.pk is not None
    assert second.pk == first.pk + 1
    assert _actions() == ["test.one", "test.two"]
    assert audit_verify().is_intact


def _record_then_refuse() -> None:
    with transaction.atomic(), audit_batch():
        audit_record(actor=SYSTEM, action="test.one", target_type="t", target_id="1")
        raise Refused


def test_a_block_that_raises_writes_nothing() -> None:
    with pytest.raises(Refused):
        _record_then_refuse()
    assert _actions() == []


def test_an_entry_inside_a_savepoint_goes_with_it() -> None:
    with transaction.atomic(), audit_batch():
        audit_record(actor=SYSTEM, action="test.kept", target_type="t", target_id="1")
        with suppress(Refused), transaction.atomic():
            inner = audit_record(actor=SYSTEM, action="test.undone", target_type="t")
            # Written at once, inside the savepoint, not held for the batch.
            assert inner.pk is not None
            raise Refused
    assert _actions() == ["test.kept"]


def test_a_nested_batch_is_part_of_the_outer_one() -> None:
    with transaction.atomic(), CaptureQueriesContext(connection) as captured, audit_batch():
        audit_record(actor=SYSTEM, action="test.outer", target_type="t", target_id="1")
        with audit_batch():
            inner = audit_record(actor=SYSTEM, action="test.inner", target_type="t")
        assert inner.pk is None
    assert _inserts(captured) == 1
    assert _actions() == ["test.outer", "test.inner"]
