"""Records for the 红黄黑榜 tests, written straight to the tables (the scores read only the
records, so the tests set them down exactly), in a small subdistrict of their own
(``tests.factories.user_per_role``) so that no other compound joins the ranking."""

from datetime import date, datetime
from decimal import Decimal
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

from jiedao.sanitation.models import (
    Account,
    CollectionPoint,
    Compound,
    DropOff,
    Finding,
    Household,
    Inspection,
    Rectification,
    RecyclingMaterial,
    WeighIn,
)
from tests.factories import GridFactory, user_per_role

SHANGHAI = ZoneInfo("Asia/Shanghai")
_numbers = count(1)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def compound(grid: Any, name: str) -> Compound:
    number = next(_numbers)
    found = Compound.objects.create(
        subdistrict=grid.community.subdistrict, grid=grid, name=name, code=f"T{number}"
    )
    CollectionPoint.objects.create(compound=found, name="1号投放点", responsible_party="物业")
    return found


def households(
    place: Compound, how_many: int, registered_on: date = date(2026, 1, 1)
) -> list[Account]:
    accounts = []
    for _index in range(how_many):
        household = Household.objects.create(
            compound=place,
            address=f"{next(_numbers)}幢101",
            contact_name="张三",
            registered_on=registered_on,
        )
        accounts.append(
            Account.objects.create(
                subdistrict=place.subdistrict,
                number=f"TEST{next(_numbers):06d}",
                holder_kind="household",
                household=household,
                grid=place.grid,
                compound=place,
                code_salt="salt",
            )
        )
    return accounts


def drop_off(account: Account, at: datetime, *, correct: bool = True) -> DropOff:
    point = account.compound.collection_points.get()
    return DropOff.objects.create(
        account=account,
        collection_point=point,
        compound=account.compound,
        waste_class="food",
        weight_kg=Decimal("1.5"),
        is_correct=correct,
        dropped_at=at,
    )


def weigh_in(account: Account, at: datetime, quantity: str, *, per: str = "kg") -> WeighIn:
    material, _created = RecyclingMaterial.objects.get_or_create(
        subdistrict=account.subdistrict,
        name=f"材料-{per}",
        defaults={"pricing_unit": per, "price": Decimal("1.00")},
    )
    return WeighIn.objects.create(
        account=account,
        compound=account.compound,
        material=material,
        pricing_unit=per,
        quantity=Decimal(quantity),
        price=Decimal("1.00"),
        value=Decimal(quantity),
        credited_as="money",
        weighed_at=at,
    )


def inspection(place: Compound, day: date, findings: list[tuple[str, str | None]]) -> Inspection:
    """``findings``: (route, rectification outcome) — outcome "on_time", "late", "open" or None
    for a finding sent to a department as an event."""
    found = Inspection.objects.create(
        collection_point=place.collection_points.get(), compound=place, inspected_on=day
    )
    for route, outcome in findings:
        finding = Finding.objects.create(
            inspection=found, kind="overflowing", description="满溢", route=route
        )
        if route != "rectification":
            continue
        found_at = local(day.year, day.month, day.day, 9)
        deadline = local(day.year, day.month, day.day, 17, 30)
        done_at = {
            "on_time": deadline,
            "late": local(day.year, day.month, day.day, 18),
            "open": None,
        }[outcome or "open"]
        Rectification.objects.create(
            finding=finding,
            compound=place,
            responsible_party="物业",
            working_days=0,
            found_at=found_at,
            deadline=deadline,
            status="open" if done_at is None else "verified",
            done_at=done_at,
            verified_at=done_at,
        )
    return found


def people_per_role() -> dict[str, Any]:
    return user_per_role()


def march_records(people: dict[str, Any]) -> dict[str, Any]:
    """Four compounds and their March 2026.

    A (grid 1): 4 households; March drop-offs 5, 4 correct, by 2 households (one at 23:30 on
    the 31st, local time); 10 kg of recycling (and 5 items, which are not kilograms); 3
    findings: one rectified on time, one late, one sent to a department. Drop-offs on 28 Feb
    and 1 April do not count.
      participation 2/4 = 0.5 / 0.9 → 55.56 × 30% = 16.668
      accuracy 4/5 = 0.8 / 0.95 → 84.21 × 30% = 25.263
      recycling 10/4 = 2.5 kg / 5 → 50.00 × 15% = 7.5
      findings 3 → 100 − 30 = 70.00 × 15% = 10.5
      rectification 1/2 → 50.00 × 10% = 5
      total 64.931 → 64.93: yellow (60 ≤ score < 70)
    B (grid 2): 2 households, each one correct drop-off: 30 + 30 + 0 + 15 + 10 = 85.00, red
      (exactly on the red threshold).
    C (grid 1): 1 household present (one moved out in February, one registered in April), no
      record: 0 + 0 + 0 + 15 + 10 = 25.00, black.
    D (grid 2): no household: not scored.
    """
    grid_one = people["grid_worker"].grid
    grid_two = GridFactory(community=grid_one.community)
    a = compound(grid_one, "甲小区")
    b = compound(grid_two, "乙小区")
    c = compound(grid_one, "丙小区")
    d = compound(grid_two, "丁小区")
    a1, a2, a3, a4 = households(a, 4)
    drop_off(a1, local(2026, 3, 1, 0, 5))
    drop_off(a1, local(2026, 3, 15, 9))
    drop_off(a1, local(2026, 3, 31, 23, 30))
    drop_off(a2, local(2026, 3, 5, 8))
    drop_off(a2, local(2026, 3, 6, 8), correct=False)
    drop_off(a3, local(2026, 4, 1, 0, 10))
    drop_off(a4, local(2026, 2, 28, 23, 50))
    weigh_in(a1, local(2026, 3, 20, 10), "10")
    weigh_in(a2, local(2026, 3, 21, 10), "5", per="item")
    inspection(a, date(2026, 3, 10), [("rectification", "on_time"), ("event", None)])
    inspection(a, date(2026, 3, 11), [("rectification", "late")])
    b1, b2 = households(b, 2)
    drop_off(b1, local(2026, 3, 2, 8))
    drop_off(b2, local(2026, 3, 3, 8))
    households(c, 1)
    households(c, 1, registered_on=date(2026, 4, 2))
    gone = households(c, 1, registered_on=date(2025, 6, 1))[0].household
    gone.moved_out_on = date(2026, 2, 15)
    gone.address = "搬走"
    gone.save()
    return {"A": a, "B": b, "C": c, "D": d, "subdistrict": grid_one.community.subdistrict}
