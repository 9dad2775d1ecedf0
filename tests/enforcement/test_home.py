"""The enforcement cards on the role homes and the navigation entry."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiedao.enforcement.home import home_cards
from jiedao.web import cards
from tests.roles import ALL_ROLES

from .conftest import READERS


def test_zhifa_sees_todays_inspections_the_rectifications_and_the_disclosures_due(users):
    with CaptureQueriesContext(connection) as queries:
        shown = home_cards(users["enforcement_officer"])

    assert [
        (str(c.title), c.url, c.count, str(c.count_label), c.urgent, str(c.urgent_label))
        for c in shown
    ] == [
        ("综合查一次", "/enforcement/inspections/", 3, "今日计划检查", 0, "逾期未开始"),
        ("整改事项", "/enforcement/rectifications/", 1, "整改中", 0, "已超期"),
        ("行政处罚案件", "/enforcement/cases/", 1, "时限将到", 1, "已超时限"),
        # The decision of last month, neither served nor published: 公示超期.
        ("双公示", "/enforcement/cases/?disclosure=pending", 1, "待公示", 1, "公示超期"),
    ]
    # zhifa is no legal reviewer: the fourth statement finds that, and no review card follows.
    assert len(queries) == 4


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_cards_and_the_entry_are_for_the_readers_only(users, client_for, role):
    titles = [str(card.title) for card in cards.cards_for(users[role])]
    page = client_for(role).get("/").content.decode()

    assert ("综合查一次" in titles) == (role in READERS)
    assert ('href="/enforcement/"' in page) == (role in READERS)
