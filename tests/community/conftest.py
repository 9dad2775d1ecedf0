from datetime import date
from decimal import Decimal

import pytest

from jiedao.accounts.permissions import SYSTEM
from jiedao.community import ledger


@pytest.fixture
def fund(users):
    """A fund of 1,000 yuan pledged, 100 injected, in the demo's subdistrict."""
    subdistrict_id = users["administrator"].subdistrict_id
    found = ledger.fund_create(
        actor=SYSTEM, subdistrict_id=subdistrict_id, name="测试基金", size=Decimal(1000)
    )
    ledger.fund_entry_book(
        actor=SYSTEM,
        fund=found,
        kind="injection",
        amount="100",
        description="注资",
        booked_on=date(2023, 1, 1),
    )
    return found
