"""The demo's 红黄黑榜: the rules saved and every ended month with records published after the
sanitation demo's records, the older black-list tasks closed, a second load changing nothing."""

from datetime import timedelta
from decimal import Decimal

from jiedao.audit.models import AuditEntry
from jiedao.core.localtime import local_today
from jiedao.sanitation.demo_board import board_demo_load
from jiedao.sanitation.models import Account, DropOff
from jiedao.sanitation.models.board import BlackListTask, ListRule, MonthlyList, ScoreRule
from tests.sanitation.board_records import local


def test_the_demo_publishes_last_months_list(wenyan_demo):
    # The test demo holds this month's records only (tests/sanitation/conftest.py): one
    # drop-off per compound last month, correct in all but one, makes last month's list.
    last_month = local_today().replace(day=1) - timedelta(days=1)
    accounts = {}
    for account in Account.objects.filter(household__isnull=False).select_related("compound"):
        accounts.setdefault(account.compound.name, account)
    for index, (name, account) in enumerate(sorted(accounts.items())):
        DropOff.objects.create(
            account=account,
            collection_point=account.compound.collection_points.order_by("pk").first(),
            compound=account.compound,
            waste_class="food",
            weight_kg=Decimal(2),
            is_correct=name != "湘湖雅苑",
            dropped_at=local(last_month.year, last_month.month, 10 + index, 8),
        )
    subdistrict = account.subdistrict

    assert board_demo_load(subdistrict=subdistrict) == {"published": 1, "settled": 0}

    published = MonthlyList.objects.get()
    assert published.month == last_month.replace(day=1)
    # One household of 16 (or 24) took part: 1/16 / 0.9 → 6.94 × 30% = 2.08, plus accuracy 30,
    # findings 15 and rectification 10 → 57.08 (24 households: 4.63 → 56.39); 湘湖雅苑's one
    # drop-off was wrong: 27.08. Ties share a rank and a colour: two red, two yellow, one black.
    assert sorted(
        published.entries.values_list("compound__name", "score", "rank", "colour"),
        key=lambda entry: (entry[2], entry[0]),
    ) == [
        ("南岸锦苑", Decimal("57.08"), 1, "red"),
        ("江澜府", Decimal("57.08"), 1, "red"),
        ("三江名苑", Decimal("56.39"), 3, "yellow"),
        ("三江新村", Decimal("56.39"), 3, "yellow"),
        ("湘湖雅苑", Decimal("27.08"), 5, "black"),
    ]
    task = BlackListTask.objects.get()
    assert (task.compound.name, task.status) == ("湘湖雅苑", "open")
    assert ListRule.objects.get().mode == "rank"
    assert ScoreRule.objects.count() == 5
    assert AuditEntry.objects.filter(action="sanitation.monthlylist.publish").count() == 1

    assert board_demo_load(subdistrict=subdistrict) == {"published": 0, "settled": 0}
    assert MonthlyList.objects.count() == 1
