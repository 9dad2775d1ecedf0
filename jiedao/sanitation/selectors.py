"""Reads of waste sorting, narrowed to the user's scope, in a constant number of statements
whatever the number of rows. The figures here are counts of the records of a period; the
compound scores and the 红黄黑榜 are derived elsewhere from the same records."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import get_in_scope, require, scoped
from jiedao.core.errors import InvalidInput
from jiedao.core.localtime import local_days, local_today
from jiedao.core.pii import mask_name, mask_phone

from . import codes
from .models import (
    Account,
    CollectionPoint,
    Compound,
    DropOff,
    Household,
    Inspection,
    PointsEntry,
    Rectification,
    RecyclingMaterial,
    Reward,
    WeighIn,
)
from .policy import sees_contact
from .workflow import RectificationStatus, WasteClass

HISTORY_LIMIT = 50


def month_bounds(month: date) -> tuple[date, date]:
    """The first and last day of the month of ``month``."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


@dataclass(frozen=True)
class MonthFigures:
    """What a compound's records of one month add up to (counts, not scores)."""

    households: int
    participating: int
    drop_offs: int
    correct: int
    weight_kg: Decimal
    recycling_kg: Decimal
    recycling_value: Decimal
    inspections: int
    findings: int
    open_rectifications: int

    @property
    def participation(self) -> Decimal | None:
        if not self.households:
            return None
        return (Decimal(100) * self.participating / self.households).quantize(Decimal("0.1"))

    @property
    def accuracy(self) -> Decimal | None:
        if not self.drop_offs:
            return None
        return (Decimal(100) * self.correct / self.drop_offs).quantize(Decimal("0.1"))


def compound_list(*, user: Any) -> list[Compound]:
    """The compounds in the user's scope with their households and open rectification items
    (three statements: the compounds, and two grouped counts through annotations)."""
    require(user, "sanitation.view")
    today = local_today()
    households = Household.objects.present_in(today, today).filter(compound=OuterRef("pk"))
    return list(
        scoped(user, Compound.objects.filter(is_active=True))
        .select_related("grid__community", "managing_department")
        .annotate(
            household_count=Count(
                "households",
                filter=Q(households__in=households.values("pk")),
                distinct=True,
            ),
            open_rectifications=Count(
                "rectifications",
                filter=~Q(rectifications__status=RectificationStatus.VERIFIED),
                distinct=True,
            ),
        )
    )


def compound_get(*, user: Any, compound_id: int) -> Compound:
    require(user, "sanitation.view")
    return get_in_scope(
        user,
        Compound.objects.select_related("grid__community", "managing_department").prefetch_related(
            Prefetch(
                "collection_points",
                queryset=CollectionPoint.objects.filter(is_active=True),
                to_attr="active_points",
            )
        ),
        pk=compound_id,
    )


def compound_month(*, compound: Compound, month: date) -> MonthFigures:
    """The month's records of one compound (five statements)."""
    first, last = month_bounds(month)
    since, until = local_days(first, last)
    households = Household.objects.present_in(first, last).filter(compound=compound)
    drops = DropOff.objects.filter(compound=compound, dropped_at__gte=since, dropped_at__lt=until)
    drop_sums = drops.aggregate(
        drop_offs=Count("pk"),
        correct=Count("pk", filter=Q(is_correct=True)),
        weight=Sum("weight_kg"),
    )
    participating = households.filter(
        Exists(drops.filter(account__household=OuterRef("pk")))
    ).count()
    recycling = WeighIn.objects.filter(
        compound=compound, weighed_at__gte=since, weighed_at__lt=until
    ).aggregate(
        kg=Sum("quantity", filter=Q(pricing_unit="kg")),
        value=Sum("value"),
    )
    inspections = Inspection.objects.filter(
        compound=compound, inspected_on__gte=first, inspected_on__lte=last
    ).aggregate(inspections=Count("pk", distinct=True), findings=Count("findings"))
    open_items = Rectification.objects.filter(compound=compound).exclude(
        status=RectificationStatus.VERIFIED
    )
    return MonthFigures(
        households=households.count(),
        participating=participating,
        drop_offs=drop_sums["drop_offs"],
        correct=drop_sums["correct"],
        weight_kg=drop_sums["weight"] or Decimal("0.000"),
        recycling_kg=recycling["kg"] or Decimal("0.000"),
        recycling_value=recycling["value"] or Decimal("0.00"),
        inspections=inspections["inspections"],
        findings=inspections["findings"],
        open_rectifications=open_items.count(),
    )


def point_get(*, user: Any, point_id: int) -> CollectionPoint:
    require(user, "sanitation.view")
    return get_in_scope(
        user,
        CollectionPoint.objects.select_related("compound__grid", "compound__managing_department"),
        pk=point_id,
    )


def point_today(*, point: CollectionPoint, day: date | None = None) -> dict[str, Any]:
    """What an inspector at the point sees: today's drop-offs and today's inspection (three
    statements)."""
    day = day or local_today()
    since, until = local_days(day, day)
    drop_offs = list(
        DropOff.objects.filter(
            collection_point=point, dropped_at__gte=since, dropped_at__lt=until
        ).select_related("account")[:HISTORY_LIMIT]
    )
    inspection = (
        Inspection.objects.filter(collection_point=point, inspected_on=day)
        .select_related("inspector")
        .prefetch_related("findings__rectification")
        .first()
    )
    return {"drop_offs": drop_offs, "inspection": inspection, "day": day}


def account_row(*, user: Any, account: Account) -> dict[str, Any]:
    """An account with its holder's place, name and phone, masked unless the role needs them
    (the account's household or unit is already loaded)."""
    unmasked = sees_contact(user)
    holder = account.household or account.unit
    name = getattr(holder, "contact_name", "")
    phone = getattr(holder, "contact_phone", "")
    return {
        "account": account,
        "place": getattr(holder, "address", "") if account.household else str(holder),
        "name": name if unmasked else mask_name(name),
        "phone": phone if unmasked else mask_phone(phone),
    }


def accounts_of(*, user: Any, compound: Compound) -> list[dict[str, Any]]:
    """The compound's accounts with their holders (one statement)."""
    require(user, "sanitation.view")
    accounts = (
        scoped(user, Account.objects.filter(compound=compound))
        .select_related("household", "unit")
        .order_by("number")
    )
    return [account_row(user=user, account=account) for account in accounts]


def account_get(*, user: Any, number: str) -> Account:
    require(user, "sanitation.view")
    return get_in_scope(
        user,
        Account.objects.select_related("household", "unit", "compound", "grid"),
        number=str(number).strip().upper(),
    )


def account_card(*, user: Any, number: str) -> dict[str, Any]:
    """The printable card of an account: number, QR code and the secret lookup code. Only the
    staff who open accounts print cards."""
    require(user, "sanitation.account_manage")
    account = account_get(user=user, number=number)
    return {
        "account": account,
        "code": codes.display_code(codes.lookup_code(account.number, account.code_salt)),
        "qr": codes.account_qr_svg(account.number),
    }


def entries_of(account: Account, *, limit: int = HISTORY_LIMIT) -> list[PointsEntry]:
    return list(PointsEntry.objects.filter(account=account).select_related("reward")[:limit])


def public_account(*, number: str, code: str) -> Account:
    """The account whose number and lookup code both match, for the portal; anything else is
    the same 422, so that a number cannot be told to exist without its code."""
    account = (
        Account.objects.filter(number=str(number).strip().upper())
        .select_related("compound", "unit")
        .first()
    )
    if account is None or not codes.check_code(account.number, account.code_salt, code):
        raise InvalidInput(
            _("Account number and code do not match. Check both on the account's card."),
            code="no_match",
            field="code",
        )
    return account


def rectification_list(*, user: Any, open_only: bool = True) -> list[Rectification]:
    require(user, "sanitation.view")
    items = scoped(user, Rectification.objects.all()).select_related(
        "compound", "finding__inspection__collection_point"
    )
    if open_only:
        items = items.exclude(status=RectificationStatus.VERIFIED)
    return list(items[:200])


def rectification_get(*, user: Any, rectification_id: int) -> Rectification:
    require(user, "sanitation.view")
    return get_in_scope(
        user,
        Rectification.objects.select_related("compound", "finding__inspection__collection_point"),
        pk=rectification_id,
    )


def rewards(*, subdistrict_id: int) -> list[Reward]:
    return list(Reward.objects.filter(subdistrict_id=subdistrict_id, is_active=True))


def materials(*, subdistrict_id: int) -> list[RecyclingMaterial]:
    return list(RecyclingMaterial.objects.filter(subdistrict_id=subdistrict_id, is_active=True))


def waste_classes() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in WasteClass.choices]


@dataclass(frozen=True)
class Overview:
    accounts: int
    drop_offs: int
    correct: int
    recycling_kg: Decimal
    points_balance: int
    open_rectifications: int
    overdue_rectifications: int

    @property
    def accuracy(self) -> Decimal | None:
        if not self.drop_offs:
            return None
        return (Decimal(100) * self.correct / self.drop_offs).quantize(Decimal("0.1"))


def overview(*, user: Any, today: date) -> Overview:
    """The month so far in the user's scope (four statements): accounts and their points, the
    month's drop-offs and accuracy, recycling weight, rectification items open and overdue."""
    first, _last = month_bounds(today)
    since, until = local_days(first, today)
    accounts = scoped(user, Account.objects.filter(is_active=True)).aggregate(
        n=Count("pk"), points=Sum("points_balance")
    )
    drops = scoped(user, DropOff.objects.filter(dropped_at__gte=since, dropped_at__lt=until))
    drop_sums = drops.aggregate(n=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
    recycling = scoped(
        user,
        WeighIn.objects.filter(weighed_at__gte=since, weighed_at__lt=until, pricing_unit="kg"),
    ).aggregate(kg=Sum("quantity"))
    _start, now_end = local_days(today, today)
    items = scoped(user, Rectification.objects.exclude(status=RectificationStatus.VERIFIED))
    item_counts = items.aggregate(
        n=Count("pk"),
        overdue=Count("pk", filter=Q(status=RectificationStatus.OPEN, deadline__lt=now_end)),
    )
    return Overview(
        accounts=accounts["n"],
        drop_offs=drop_sums["n"],
        correct=drop_sums["correct"],
        recycling_kg=recycling["kg"] or Decimal("0.000"),
        points_balance=accounts["points"] or 0,
        open_rectifications=item_counts["n"],
        overdue_rectifications=item_counts["overdue"],
    )
