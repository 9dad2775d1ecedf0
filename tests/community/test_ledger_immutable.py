"""The fund's entries are immutable in the database itself: a trigger (PostgreSQL and SQLite)
refuses any UPDATE or DELETE of an injection, a commitment or a payment, whatever code asks —
the ORM, a queryset, raw SQL — and the entry stays as it was."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from jiedao.accounts.permissions import SYSTEM
from jiedao.community import ledger
from jiedao.community.models import FundBalance, FundEntry


@pytest.fixture
def entries(fund):
    """An injection (the fixture's 100 yuan), a commitment of 60 and a payment of 25 from it."""
    commitment = ledger.fund_entry_book(
        actor=SYSTEM,
        fund=fund,
        kind="commitment",
        amount="60",
        description="承诺",
        booked_on=date(2023, 2, 1),
    )
    ledger.fund_entry_book(
        actor=SYSTEM,
        fund=fund,
        kind="payment",
        amount="25",
        description="支付",
        booked_on=date(2023, 3, 1),
        commitment=commitment,
    )
    return {entry.kind: entry for entry in FundEntry.objects.filter(fund=fund)}


def snapshot(fund):
    return list(
        FundEntry.objects.filter(fund=fund)
        .order_by("id")
        .values_list("kind", "amount", "booked_on", "description", "commitment_id")
    )


EXPECTED = [
    ("injection", Decimal("100.00"), date(2023, 1, 1), "注资", None),
    ("commitment", Decimal("60.00"), date(2023, 2, 1), "承诺", None),
    ("payment", Decimal("25.00"), date(2023, 3, 1), "支付", "commitment"),
]


def expected(entries):
    commitment_id = entries["commitment"].pk
    return [
        (kind, amount, booked_on, description, None if link is None else commitment_id)
        for kind, amount, booked_on, description, link in EXPECTED
    ]


def refused(change) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        change()
    return str(error.value)


@pytest.mark.parametrize("kind", ["injection", "commitment", "payment"])
def test_an_entry_cannot_be_saved_with_a_new_amount(fund, entries, kind):
    entry = entries[kind]
    entry.amount = Decimal("1.00")

    message = refused(entry.save)

    assert "fund entries are immutable: UPDATE refused" in message
    assert snapshot(fund) == expected(entries)


@pytest.mark.parametrize("kind", ["injection", "commitment", "payment"])
def test_an_entry_cannot_be_deleted(fund, entries, kind):
    # Raw SQL, so that no PROTECT check of the ORM stands in front: only the trigger refuses.
    def change():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM community_fundentry WHERE id = %s", [entries[kind].pk])

    message = refused(change)

    assert "fund entries are immutable: DELETE refused" in message
    assert snapshot(fund) == expected(entries)


def test_a_queryset_update_of_all_entries_is_refused(fund, entries):
    message = refused(lambda: FundEntry.objects.filter(fund=fund).update(amount=Decimal("1.00")))

    assert "fund entries are immutable: UPDATE refused" in message
    assert snapshot(fund) == expected(entries)


def test_the_orm_delete_of_a_payment_is_refused(fund, entries):
    message = refused(entries["payment"].delete)

    assert "fund entries are immutable: DELETE refused" in message
    assert snapshot(fund) == expected(entries)


@pytest.mark.parametrize(
    ("sql", "operation"),
    [
        ("UPDATE community_fundentry SET amount = 1 WHERE id = %s", "UPDATE"),
        ("UPDATE community_fundentry SET description = 'rewritten' WHERE id = %s", "UPDATE"),
        ("DELETE FROM community_fundentry WHERE id = %s", "DELETE"),
    ],
    ids=["amount", "description", "delete"],
)
def test_raw_sql_cannot_change_a_payment(fund, entries, sql, operation):
    def change():
        with connection.cursor() as cursor:
            cursor.execute(sql, [entries["payment"].pk])

    message = refused(change)

    assert f"fund entries are immutable: {operation} refused" in message
    assert snapshot(fund) == expected(entries)
    row = FundBalance.objects.get(fund=fund)
    assert (row.injected, row.committed, row.paid) == (
        Decimal("100.00"),
        Decimal("60.00"),
        Decimal("25.00"),
    )


def test_new_entries_are_still_booked(fund, entries):
    # The trigger refuses changes, not additions: the ledger keeps growing.
    ledger.fund_entry_book(
        actor=SYSTEM,
        fund=fund,
        kind="release",
        amount="35",
        description="释放",
        booked_on=date(2023, 4, 1),
        commitment=entries["commitment"],
    )

    assert [kind for kind, *_rest in snapshot(fund)] == [
        "injection",
        "commitment",
        "payment",
        "release",
    ]


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_the_trigger_is_installed_on_this_database(db, vendor):
    if connection.vendor != vendor:
        pytest.skip(f"this test runs on {vendor}")
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'community_fundentry'::regclass"
                " AND NOT tgisinternal ORDER BY tgname"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                " AND tbl_name = 'community_fundentry' ORDER BY name"
            )
        names = [name for (name,) in cursor.fetchall()]
    expected_names = {
        "postgresql": ["community_fund_entry_immutable"],
        "sqlite": ["community_fund_entry_no_delete", "community_fund_entry_no_update"],
    }
    assert names == expected_names[vendor]
