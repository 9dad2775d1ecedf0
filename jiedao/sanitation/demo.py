"""Waste sorting in the Wenyan demo, created through the services.

Seed 000 (2022 H1) names 三江名苑 and 三江新村, says that three newly built compounds were brought
under management (对3个新建小区实施纳管), and that Wenyan deepened the 智能账户 (smart account)
management and the compounds' 红黄黑榜. The seed names no other compound and gives no household,
weight or point: the three new compounds (江澜府, 南岸锦苑, 湘湖雅苑), every household, unit,
collection point and record are **synthesised** (flagged ``is_synthetic``, the names of people
and units marked 「示例」), drawn from a fixed random seed so that every installation shows the
same demo.

:func:`sanitation_demo_load` creates the places, the accounts and the configuration (points
rules, recycling prices, rewards); :func:`sanitation_history_load` adds a year of records ending
yesterday — drop-offs, daily inspections with their rectification items, recycling weigh-ins and
redemptions — with a different habit per compound, so that the months differ between compounds
the way the 红黄黑榜 needs. Both are behind ``DEMO_SANITATION``.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.errors import InvalidInput
from jiedao.core.localtime import local_today, local_zone
from jiedao.geo.models import Grid, Subdistrict

from . import services
from .models import Account, CollectionPoint, Compound, Rectification, RecyclingMaterial, Reward
from .services import FindingInput
from .workflow import (
    CreditKind,
    FindingKind,
    PointsTrigger,
    PricingUnit,
    RewardKind,
    UnitKind,
    WasteClass,
)

MONTHS = 12
SYNTHETIC = "（示例）"


@dataclass(frozen=True)
class DemoCompound:
    name: str
    code: str
    community: str  # the demo community's sequence (jiedao.demo.wenyan.COMMUNITIES)
    grid: str  # the grid's sequence in it
    households: int
    is_synthetic: bool
    # The compound's habits: the share of households dropping off in a month, the share of
    # drop-offs sorted correctly, the share of inspections with a finding.
    participation: float
    accuracy: float
    finding_rate: float


COMPOUNDS = [
    # Named in seed 000; grid 001 of 三江社区 is the demo grid worker's (wangge).
    DemoCompound("三江名苑", "SJMY", "001", "001", 24, False, 0.92, 0.95, 0.10),
    DemoCompound("三江新村", "SJXC", "001", "001", 24, False, 0.80, 0.86, 0.25),
    # The three newly built compounds brought under management: their names are synthetic.
    DemoCompound("江澜府", "JLF", "002", "002", 16, True, 0.70, 0.80, 0.35),
    DemoCompound("南岸锦苑", "NAJY", "003", "001", 16, True, 0.55, 0.72, 0.50),
    DemoCompound("湘湖雅苑", "XHYY", "004", "001", 16, True, 0.85, 0.90, 0.15),
]
UNITS = [
    ("001", "001", UnitKind.SHOP, "三江便利店" + SYNTHETIC),
    ("001", "001", UnitKind.RESTAURANT, "江边面馆" + SYNTHETIC),
    ("002", "002", UnitKind.OFFICE, "江澜社区服务中心" + SYNTHETIC),
]
FAMILY_NAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN_NAMES = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
]
MATERIALS = [
    ("废纸", PricingUnit.KILOGRAM, Decimal("0.80")),
    ("塑料瓶", PricingUnit.ITEM, Decimal("0.05")),
    ("废金属", PricingUnit.KILOGRAM, Decimal("1.50")),
    ("旧衣物", PricingUnit.KILOGRAM, Decimal("0.30")),
    ("玻璃", PricingUnit.KILOGRAM, Decimal("0.10")),
]
REWARDS = [
    (RewardKind.GOODS, "垃圾袋（一卷）", 40, 500),
    (RewardKind.GOODS, "洗衣液（1升）", 200, 200),
    (RewardKind.SERVICE, "社区理发一次", 150, None),
    (RewardKind.SERVICE, "家电清洗一次", 600, None),
]
FINDINGS = [
    (FindingKind.MIXED, "其他垃圾桶内混有易腐垃圾"),
    (FindingKind.OVERFLOWING, "易腐垃圾桶满溢，未及时清运"),
    (FindingKind.DIRTY, "投放点地面有污水，异味明显"),
    (FindingKind.UNATTENDED, "投放时段无人值守"),
    (FindingKind.SIGNAGE, "可回收物桶标识脱落"),
    (FindingKind.DAMAGED, "有害垃圾桶桶盖破损"),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=local_zone())


def _person(rng: random.Random) -> str:
    return rng.choice(FAMILY_NAMES) + "".join(
        rng.choice(GIVEN_NAMES) for _ in range(rng.randint(1, 2))
    )


def _phone(rng: random.Random) -> str:
    return f"139{rng.randint(0, 99_999_999):08d}"


def sanitation_demo_load(*, subdistrict: Subdistrict) -> dict[str, int]:
    """The compounds, their collection points, households, units and accounts, and the points
    rules, recycling prices and rewards."""
    if Compound.objects.filter(subdistrict=subdistrict).exists():
        return {"compounds": 0}
    rng = random.Random(2022)  # noqa: S311 - a reproducible demo, not a secret
    start = local_today() - timedelta(days=MONTHS * 31 + 60)
    services.points_rule_save(
        actor=SYSTEM,
        subdistrict_id=subdistrict.pk,
        trigger=PointsTrigger.CORRECT_DROP_OFF,
        points=2,
        daily_cap=2,
    )
    services.points_rule_save(
        actor=SYSTEM, subdistrict_id=subdistrict.pk, trigger=PointsTrigger.RECYCLING, points=10
    )
    for name, unit, price in MATERIALS:
        services.material_save(
            actor=SYSTEM, subdistrict_id=subdistrict.pk, name=name, pricing_unit=unit, price=price
        )
    for kind, name, cost, stock in REWARDS:
        services.reward_save(
            actor=SYSTEM,
            subdistrict_id=subdistrict.pk,
            kind=kind,
            name=name,
            points_cost=cost,
            stock=stock,
        )
    grids = {grid.code: grid for grid in Grid.objects.filter(community__subdistrict=subdistrict)}
    for number, demo in enumerate(COMPOUNDS):
        grid = grids[f"{subdistrict.code}{demo.community}{demo.grid}"]
        lat, lng = _centre(grid)
        compound = services.compound_create(
            actor=SYSTEM,
            grid_code=grid.code,
            name=demo.name,
            code=demo.code,
            address=f"{grid.community.name}{demo.name}",
            managing_department="city-management",
            lat=lat,
            lng=lng,
            is_synthetic=demo.is_synthetic,
        )
        for point in (1, 2):
            created = services.collection_point_create(
                actor=SYSTEM,
                compound_id=compound.pk,
                name=f"{point}号投放点",
                responsible_party=f"{demo.name}物业服务中心{SYNTHETIC}",
                responsible_phone=f"0571-8{number}{point}0{rng.randint(1000, 9999)}",
                opening_hours="07:00-09:00,18:00-20:00",
                lat=round(lat + 0.0004 * point, 6),
                lng=round(lng - 0.0003 * point, 6),
                is_synthetic=True,
            )
            if demo.code == "SJMY" and point == 1:
                # 三江名苑's first point weighs its food and other waste itself (示例).
                for waste_class in (WasteClass.FOOD, WasteClass.OTHER):
                    services.smart_bin_register(
                        actor=SYSTEM,
                        collection_point_id=created.pk,
                        code=f"{demo.code}-1-{waste_class}",
                        waste_class=waste_class,
                    )
        for index in range(demo.households):
            # Most were registered before the year; a few moved in during it.
            registered = start + timedelta(days=rng.randint(200, 330) if index % 8 == 7 else 0)
            services.household_register(
                actor=SYSTEM,
                compound_id=compound.pk,
                address=f"{index // 8 + 1}幢{index % 8 // 4 + 1}单元{index % 4 + 1 + 100 * (index % 3 + 1)}室",
                contact_name=_person(rng) + SYNTHETIC,
                contact_phone=_phone(rng),
                people=rng.randint(1, 5),
                registered_on=min(registered, local_today()),
                is_synthetic=True,
            )
    for community, grid_sequence, unit_kind, name in UNITS:
        services.unit_register(
            actor=SYSTEM,
            grid_code=f"{subdistrict.code}{community}{grid_sequence}",
            kind=unit_kind,
            name=name,
            contact_name=_person(rng) + SYNTHETIC,
            contact_phone=_phone(rng),
            is_synthetic=True,
        )
    return {"compounds": len(COMPOUNDS), "accounts": Account.objects.count()}


def _centre(grid: Grid) -> tuple[float, float]:
    from shapely.geometry import shape

    point = shape(grid.boundary).representative_point()
    return round(point.y, 6), round(point.x, 6)


def sanitation_history_load(*, subdistrict: Subdistrict, months: int = MONTHS) -> dict[str, int]:
    """A year of records ending yesterday, through the services (back-dated by the system)."""
    rng = random.Random(2023)  # noqa: S311 - a reproducible demo, not a secret
    today = local_today()
    first = (today.replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1)
    habits = {demo.name: demo for demo in COMPOUNDS}
    accounts = list(
        Account.objects.filter(subdistrict=subdistrict, is_active=True)
        .select_related("household", "compound")
        .order_by("number")
    )
    points = list(
        CollectionPoint.objects.filter(compound__subdistrict=subdistrict).select_related("compound")
    )
    points_by_compound: dict[int, list[CollectionPoint]] = {}
    for point in points:
        points_by_compound.setdefault(point.compound_id, []).append(point)
    materials = {m.name: m for m in RecyclingMaterial.objects.filter(subdistrict=subdistrict)}
    rewards = list(Reward.objects.filter(subdistrict=subdistrict).order_by("points_cost"))
    counts = {"drop_offs": 0, "inspections": 0, "weigh_ins": 0, "redemptions": 0}
    month = first
    while month <= today:
        for account in accounts:
            compound = account.compound
            habit = habits.get(compound.name) if compound else None
            if habit is None or compound is None:
                continue
            household = account.household
            # Written in the order they happened, so that each entry's balance follows the one
            # before it on the account's statement.
            records: list[tuple[datetime, str, dict[str, Any]]] = []
            # Two drop-offs of the month are written down per household: enough for every
            # figure of the month, few enough to load the demo's year in seconds.
            for fortnight in range(2):
                day = month + timedelta(days=fortnight * 14 + rng.randint(0, 13))
                if day >= today or (household and day < household.registered_on):
                    continue
                if rng.random() > habit.participation:
                    continue
                at = _at(day, rng.choice([7, 8, 18, 19]), rng.randint(0, 59))
                records.append(
                    (
                        at,
                        "drop_off",
                        {
                            "collection_point_id": rng.choice(points_by_compound[compound.pk]).pk,
                            "waste_class": rng.choice(
                                [
                                    WasteClass.FOOD,
                                    WasteClass.FOOD,
                                    WasteClass.OTHER,
                                    WasteClass.RECYCLABLE,
                                ]
                            ),
                            "weight_kg": Decimal(rng.randint(300, 4500)) / 1000,
                            "is_correct": rng.random() < habit.accuracy,
                        },
                    )
                )
            day = month + timedelta(days=rng.randint(0, 27))
            if (
                day < today
                and rng.random() < 0.3
                and (household is None or day >= household.registered_on)
            ):
                material = materials[rng.choice(list(materials))]
                quantity = (
                    Decimal(rng.randint(10, 60))
                    if material.pricing_unit == PricingUnit.ITEM
                    else Decimal(rng.randint(500, 8000)) / 1000
                )
                records.append(
                    (
                        _at(day, 15, rng.randint(0, 59)),
                        "weigh_in",
                        {
                            "subdistrict_id": subdistrict.pk,
                            "material_id": material.pk,
                            "quantity": quantity,
                            "credited_as": (
                                CreditKind.POINTS if rng.random() < 0.8 else CreditKind.MONEY
                            ),
                        },
                    )
                )
            for at, kind, arguments in sorted(records, key=lambda record: record[0]):
                if kind == "drop_off":
                    services.drop_off_record(
                        actor=SYSTEM, account_number=account.number, at=at, **arguments
                    )
                    counts["drop_offs"] += 1
                else:
                    services.weigh_in_record(
                        actor=SYSTEM, account_number=account.number, at=at, **arguments
                    )
                    counts["weigh_ins"] += 1
        _inspect_month(month, today, points, habits, rng, counts)
        _redeem(subdistrict, month, today, accounts, rewards, rng, counts)
        month = (month + timedelta(days=32)).replace(day=1)
    return counts


def _inspect_month(
    month: date,
    today: date,
    points: list[CollectionPoint],
    habits: dict[str, DemoCompound],
    rng: random.Random,
    counts: dict[str, int],
) -> None:
    """Each point inspected on four days of the month; a finding as often as the compound's
    habit says; what was found more than two weeks ago is put right and verified."""
    for point in points:
        habit = habits[point.compound.name]
        days = sorted(rng.sample(range(28), 4))
        for offset in days:
            day = month + timedelta(days=offset)
            if day >= today:
                continue
            found = []
            if rng.random() < habit.finding_rate:
                kind, text = rng.choice(FINDINGS)
                found.append(
                    FindingInput(kind=kind, description=text, working_days=rng.choice([2, 3, 5]))
                )
            inspection = services.inspection_record(
                actor=SYSTEM,
                collection_point_id=point.pk,
                findings=found,
                at=_at(day, 9, rng.randint(0, 59)),
            )
            counts["inspections"] += 1
            for item in Rectification.objects.filter(finding__inspection=inspection):
                _settle(item, today, rng)


def _settle(item: Rectification, today: date, rng: random.Random) -> None:
    found = item.found_at
    if (today - found.date()).days < 14:
        return
    # Most are put right in time, some late, and some sent back once before they pass.
    done = found + timedelta(days=rng.choice([1, 1, 2, 3, 6]), hours=2)
    if rng.random() < 0.2:
        services.rectification_transition(
            actor=SYSTEM, rectification_id=item.pk, action="report_done", notes="已整改", at=done
        )
        services.rectification_transition(
            actor=SYSTEM,
            rectification_id=item.pk,
            action="reject",
            notes="复查仍未整改到位",
            at=done + timedelta(hours=20),
        )
        done += timedelta(days=2)
    services.rectification_transition(
        actor=SYSTEM, rectification_id=item.pk, action="report_done", notes="已整改", at=done
    )
    services.rectification_transition(
        actor=SYSTEM,
        rectification_id=item.pk,
        action="verify",
        notes="复查合格",
        at=done + timedelta(hours=22),
    )


def _redeem(
    subdistrict: Subdistrict,
    month: date,
    today: date,
    accounts: list[Account],
    rewards: list[Reward],
    rng: random.Random,
    counts: dict[str, int],
) -> None:
    """At the month's end some households with enough points exchange them, in the evening
    after the day's last drop-off hours."""
    day = month + timedelta(days=27)
    if day >= today:
        return
    balances = dict(
        Account.objects.filter(pk__in=[a.pk for a in accounts]).values_list("pk", "points_balance")
    )
    for account in accounts:
        if account.household is None or rng.random() > 0.3:
            continue
        affordable = [r for r in rewards if r.points_cost <= balances[account.pk]]
        if not affordable:
            continue
        reward = rng.choice(affordable)
        try:
            services.points_redeem(
                actor=SYSTEM,
                subdistrict_id=subdistrict.pk,
                account_number=account.number,
                reward_id=reward.pk,
                at=_at(day, 21),
            )
        except InvalidInput:  # the stock ran out: the household takes something else next time
            continue
        counts["redemptions"] += 1
