"""The fund's ledger: balances derived from entries, nothing committed or paid beyond what is
available (refused by the service with a message naming the field, and by the database's CHECK
constraint whatever code writes), statements per period and their Excel export."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation
from openpyxl import load_workbook

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.community import ledger, selectors
from jiedao.community.exports import statement_xlsx
from jiedao.community.models import Fund, FundBalance, FundEntry
from jiedao.core.errors import InvalidInput


def book(fund, kind, amount, **extra):
    return ledger.fund_entry_book(
        actor=SYSTEM, fund=fund, kind=kind, amount=amount, description=f"{kind} {amount}", **extra
    )


def balance(fund):
    row = FundBalance.objects.get(fund=fund)
    return (row.injected, row.committed, row.paid, row.available)


def test_the_demo_fund_is_the_seeds_fund(wenyan_demo):
    fund = Fund.objects.get(name="安居乐堰社区发展基金")
    opening = ledger.totals(fund, since=date(2022, 1, 1), until=date(2022, 6, 30))
    assert (fund.size, opening.injected, opening.committed, opening.paid) == (
        Decimal("10000000.00"),
        Decimal("2000000.00"),
        Decimal("220000.00"),
        Decimal("220000.00"),
    )


def test_entries_move_the_derived_balance(fund):
    commitment = book(fund, "commitment", "60")
    book(fund, "payment", "25.50", commitment=commitment)
    book(fund, "release", "4.50", commitment=commitment)
    assert balance(fund) == (Decimal(100), Decimal("55.50"), Decimal("25.50"), Decimal("44.50"))
    # the same totals, derived from the entries alone
    totals = ledger.totals(fund)
    assert (totals.injected, totals.committed, totals.paid) == (
        Decimal("100.00"),
        Decimal("55.50"),
        Decimal("25.50"),
    )
    assert ledger.commitment_left(commitment) == Decimal("30.00")


@pytest.mark.parametrize(
    ("kind", "amount", "on_commitment", "message"),
    [
        ("commitment", "100.01", False, "金额（元）100.01 超过基金可用余额 100.00 元。"),
        ("injection", "900.01", False, "金额（元）900.01 超过基金尚未到位的认捐额 900.00 元。"),
        ("payment", "40.01", True, "金额（元）40.01 超过该承诺剩余的 40.00 元。"),
        ("payment", "-5", True, "金额（元）必须大于零。"),
        ("payment", "abc", True, "金额（元）必须是以元为单位的数字，例如 50000 或 1234.50。"),
        ("payment", "1.234", True, "金额（元）最多保留两位小数（分）。"),
    ],
)
def test_overspending_is_refused_and_nothing_is_written(fund, kind, amount, on_commitment, message):
    commitment = book(fund, "commitment", "40") if on_commitment else None
    before = (balance(fund), FundEntry.objects.count(), AuditEntry.objects.count())
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as raised:
        book(fund, kind, amount, commitment=commitment)
    assert (str(raised.value.message), raised.value.field) == (message, "amount")
    assert (balance(fund), FundEntry.objects.count(), AuditEntry.objects.count()) == before


def test_the_database_refuses_an_overspent_balance_whatever_code_writes(fund):
    # Even a write that skips the service cannot commit more than was injected...
    with pytest.raises(IntegrityError), transaction.atomic():
        FundBalance.objects.filter(fund=fund).update(committed=Decimal("100.01"))
    # ...nor pay more than was committed.
    with pytest.raises(IntegrityError), transaction.atomic():
        FundBalance.objects.filter(fund=fund).update(paid=Decimal("0.01"))
    assert balance(fund) == (Decimal(100), Decimal(0), Decimal(0), Decimal(100))


def test_a_payment_must_draw_on_a_commitment(fund):
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as raised:
        book(fund, "payment", "1")
    assert (str(raised.value.message), raised.value.field) == (
        "付款或释放必须指定承诺。",
        "commitment",
    )


def test_a_statement_has_opening_movements_and_closing(fund, users):
    commitment = ledger.fund_entry_book(
        actor=SYSTEM,
        fund=fund,
        kind="commitment",
        amount="30",
        description="项目甲",
        booked_on=date(2023, 1, 10),
    )
    ledger.fund_entry_book(
        actor=SYSTEM,
        fund=fund,
        kind="payment",
        amount="10",
        description='=HYPERLINK("x")',
        booked_on=date(2023, 2, 1),
        commitment=commitment,
    )
    found = selectors.fund_statement(
        user=users["administrator"], fund=fund, since=date(2023, 2, 1), until=date(2023, 2, 28)
    )
    assert (found.opening.committed, found.movements.paid, found.closing.available) == (
        Decimal("30.00"),
        Decimal("10.00"),
        Decimal("70.00"),
    )
    assert [entry.description for entry in found.entries] == ['=HYPERLINK("x")']
    with translation.override("zh-hans"):
        workbook = load_workbook(BytesIO(statement_xlsx(found)))
    rows = [tuple(row) for row in workbook["对账单"].iter_rows(values_only=True)]
    assert rows[4:7] == [
        ("期初", 100, 30, 0, 70, 30),
        ("本期发生", 0, 0, 10, 0, -10),
        ("期末", 100, 30, 10, 70, 20),
    ]
    # openpyxl reads a date cell back as a naive datetime
    assert rows[-1] == (datetime(2023, 2, 1), "付款", 10, '\'=HYPERLINK("x")', None, "项目甲")  # noqa: DTZ001


def test_the_statement_runs_a_constant_number_of_statements(fund, users, django_assert_num_queries):
    commitment = book(fund, "commitment", "50")
    for _ in range(5):
        book(fund, "payment", "1", commitment=commitment)
    with django_assert_num_queries(3):
        selectors.fund_statement(
            user=users["administrator"], fund=fund, since=date(2000, 1, 1), until=date(2100, 1, 1)
        )
