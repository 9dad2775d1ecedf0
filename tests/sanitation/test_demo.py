"""The demo's waste sorting: Wenyan's compounds (two named in seed 000, three synthetic), their
collection points, accounts and configuration, and records whose ledger adds up."""

from django.db.models import Q, Sum

from jiedao.sanitation.models import (
    Account,
    CollectionPoint,
    Compound,
    Household,
    PointsRule,
    RecyclingMaterial,
    Reward,
    SmartBin,
    Unit,
)


def test_the_demo_has_the_compounds_of_the_seed_and_the_three_new_ones(wenyan_demo):
    assert list(
        Compound.objects.order_by("pk").values_list("name", "is_synthetic", "grid__community__name")
    ) == [
        ("三江名苑", False, "三江社区"),
        ("三江新村", False, "三江社区"),
        ("江澜府", True, "江澜社区"),
        ("南岸锦苑", True, "南岸社区"),
        ("湘湖雅苑", True, "湘湖人家社区"),
    ]
    assert (
        CollectionPoint.objects.count(),
        Household.objects.count(),
        Unit.objects.count(),
        Account.objects.count(),
        SmartBin.objects.count(),
    ) == (10, 96, 3, 99, 2)
    assert not Household.objects.filter(is_synthetic=False).exists()
    assert set(Compound.objects.values_list("managing_department__code", flat=True)) == {
        "city-management"
    }


def test_the_demo_configuration(wenyan_demo):
    assert list(
        PointsRule.objects.order_by("trigger").values_list("trigger", "points", "daily_cap")
    ) == [
        ("correct_drop_off", 2, 2),
        ("recycling", 10, None),
    ]
    assert RecyclingMaterial.objects.count() == 5
    assert list(Reward.objects.values_list("name", "points_cost")) == [
        ("垃圾袋（一卷）", 40),
        ("社区理发一次", 150),
        ("洗衣液（1升）", 200),
        ("家电清洗一次", 600),
    ]


def test_every_balance_is_what_its_ledger_adds_up_to(wenyan_demo):
    accounts = Account.objects.annotate(
        earned=Sum("points_entries__points", filter=Q(points_entries__kind="earn"), default=0),
        redeemed=Sum("points_entries__points", filter=Q(points_entries__kind="redeem"), default=0),
    )

    assert [a.number for a in accounts if a.points_balance != a.earned - a.redeemed] == []
    assert all(a.points_balance >= 0 for a in accounts)


def test_each_statement_runs_in_the_order_the_records_happened(wenyan_demo):
    from jiedao.sanitation.models import PointsEntry

    broken = set()
    balances: dict[int, int] = {}
    for entry in PointsEntry.objects.order_by("account_id", "booked_at", "pk"):
        before = balances.get(entry.account_id, 0)
        change = entry.points if entry.kind == "earn" else -entry.points
        if entry.balance_after != before + change:
            broken.add(entry.account_id)
        balances[entry.account_id] = entry.balance_after

    assert broken == set()
