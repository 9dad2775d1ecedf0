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
