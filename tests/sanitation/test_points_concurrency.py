"""Concurrent redemptions on PostgreSQL: each thread its own connection, all released at once.
The account row's lock queues them; exactly as many succeed as the points allow, none is lost,
and the balance never goes below zero. Skipped on SQLite (one writer at a time); the PostgreSQL
run executes it."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.errors import InvalidInput
from jiedao.sanitation import services
from jiedao.sanitation.models import Account, PointsEntry, Reward
from tests.factories import GridFactory

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
def setup() -> tuple[Account, Reward]:
    """An account holding 100 points (earned by recycling) and a reward of 30 points."""
    grid = GridFactory()
    subdistrict_id = grid.community.subdistrict_id
    compound = services.compound_create(
        actor=SYSTEM, grid_code=grid.code, name="并发小区", code="BF"
    )
    account = services.household_register(
        actor=SYSTEM, compound_id=compound.pk, address="1幢101室", contact_name="并发户"
    )
    services.points_rule_save(
        actor=SYSTEM, subdistrict_id=subdistrict_id, trigger="recycling", points=10
    )
    paper = services.material_save(
        actor=SYSTEM, subdistrict_id=subdistrict_id, name="废纸", pricing_unit="kg", price="1.00"
    )
    services.weigh_in_record(
        actor=SYSTEM,
        subdistrict_id=subdistrict_id,
        account_number=account.number,
        material_id=paper.pk,
        quantity="10",
        credited_as="points",
    )
    reward = services.reward_save(
        actor=SYSTEM, subdistrict_id=subdistrict_id, kind="goods", name="洗衣液", points_cost=30
    )
    return account, reward


def test_concurrent_redemptions_never_spend_more_points_than_the_account_holds(setup) -> None:
    account, reward = setup

    def redeem() -> Any:
        return services.points_redeem(
            actor=SYSTEM,
            subdistrict_id=account.subdistrict_id,
            account_number=account.number,
            reward_id=reward.pk,
        )

    results = run_together([redeem for _ in range(8)])

    redeemed = [result for result in results if isinstance(result, PointsEntry)]
    refused = [result for result in results if isinstance(result, InvalidInput)]
    assert (len(redeemed), len(refused)) == (3, 5), results
    assert {error.code for error in refused} == {"above_balance"}
    account.refresh_from_db()
    assert account.points_balance == 10
    assert sorted(entry.balance_after for entry in redeemed) == [10, 40, 70]
    assert PointsEntry.objects.filter(account=account, kind="redeem").count() == 3


def test_concurrent_redemptions_of_the_last_items_in_stock(setup) -> None:
    account, reward = setup
    Reward.objects.filter(pk=reward.pk).update(stock=2)

    def redeem() -> Any:
        return services.points_redeem(
            actor=SYSTEM,
            subdistrict_id=account.subdistrict_id,
            account_number=account.number,
            reward_id=reward.pk,
        )

    results = run_together([redeem for _ in range(4)])

    assert sum(isinstance(result, PointsEntry) for result in results) == 2, results
    reward.refresh_from_db()
    account.refresh_from_db()
    assert (reward.stock, account.points_balance) == (0, 40)
