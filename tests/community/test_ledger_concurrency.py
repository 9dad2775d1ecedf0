"""Concurrent payments and commitments on PostgreSQL: each thread its own connection, all
released at once. The balance row's lock queues them; exactly as many succeed as the money
allows, none is lost, and the balance never goes below zero. Skipped on SQLite (one writer at
a time); the PostgreSQL run executes it."""

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from jiedao.accounts.permissions import SYSTEM
from jiedao.community import ledger
from jiedao.community.models import FundBalance, FundEntry
from jiedao.core.errors import InvalidInput
from tests.factories import SubdistrictFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only(transactional_db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent connections and row locks")


def run_together(jobs: list[Callable[[], Any]]) -> list[Any]:
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - reported by the assertions
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [thread.is_alive() for thread in threads] == [False] * len(jobs)
    return results


@pytest.fixture
def fund() -> Any:
    found = ledger.fund_create(
        actor=SYSTEM, subdistrict_id=SubdistrictFactory().pk, name="并发基金", size=Decimal(1000)
    )
    ledger.fund_entry_book(
        actor=SYSTEM, fund=found, kind="injection", amount="100", description="注资"
    )
    return found


def test_concurrent_payments_never_pay_beyond_the_commitment(fund: Any) -> None:
    commitment = ledger.fund_entry_book(
        actor=SYSTEM, fund=fund, kind="commitment", amount="100", description="项目"
    )

    def pay() -> Any:
        return ledger.fund_entry_book(
            actor=SYSTEM,
            fund=fund,
            kind="payment",
            amount="30",
            description="拨付",
            commitment=commitment,
        )

    results = run_together([pay for _ in range(8)])

    paid = [result for result in results if isinstance(result, FundEntry)]
    refused = [result for result in results if isinstance(result, InvalidInput)]
    assert (len(paid), len(refused)) == (3, 5), results
    assert {error.code for error in refused} == {"above_commitment"}
    row = FundBalance.objects.get(fund=fund)
    assert (row.injected, row.committed, row.paid, row.available) == (
        Decimal("100.00"),
        Decimal("100.00"),
        Decimal("90.00"),
        Decimal("0.00"),
    )
    assert FundEntry.objects.filter(fund=fund, kind="payment").count() == 3
    assert ledger.totals(fund).paid == Decimal("90.00")


def test_concurrent_commitments_never_commit_beyond_what_is_available(fund: Any) -> None:
    def commit() -> Any:
        return ledger.fund_entry_book(
            actor=SYSTEM, fund=fund, kind="commitment", amount="45", description="项目"
        )

    results = run_together([commit for _ in range(6)])

    committed = [result for result in results if isinstance(result, FundEntry)]
    assert len(committed) == 2, results
    assert all(isinstance(r, InvalidInput) for r in results if not isinstance(r, FundEntry)), (
        results
    )
    row = FundBalance.objects.get(fund=fund)
    assert (row.committed, row.available) == (Decimal("90.00"), Decimal("10.00"))
    assert ledger.totals(fund).committed == Decimal("90.00")
