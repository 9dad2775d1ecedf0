"""The sanitation API: compounds and their month, collection points, drop-offs, inspections and
rectification items, recycling weigh-ins, accounts and redemptions, and the households' public
points lookup. The same services and selectors as the pages."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Router, Status

from jiedao.accounts.permissions import require
from jiedao.core.dates import parse_month
from jiedao.core.http import JiedaoRequest
from jiedao.core.pii import mask_phone
from jiedao.portal.throttle import client_address, throttle

from . import selectors, services
from .models import Account, Inspection, PointsEntry, Rectification
from .policy import sees_contact
from .schemas import (
    AccountOut,
    CompoundOut,
    DropOffIn,
    DropOffOut,
    HouseholdIn,
    InspectionIn,
    InspectionOut,
    MonthOut,
    PointOut,
    PublicAccountOut,
    PublicLookupIn,
    RectificationActionIn,
    RectificationOut,
    RedeemIn,
    WeighInIn,
    WeighInOut,
)
from .workflow import rectification_actions

router = Router(tags=["sanitation"])


def entries_out(account: Account) -> list[dict[str, Any]]:
    return [
        {
            "kind": entry.kind,
            "points": entry.points,
            "balance_after": entry.balance_after,
            "description": entry.description,
            "booked_at": entry.booked_at,
        }
        for entry in selectors.entries_of(account)
    ]


def rectification_out(item: Rectification) -> dict[str, Any]:
    return {
        "id": item.pk,
        "compound": item.compound.name,
        "collection_point": item.finding.inspection.collection_point.name,
        "finding": item.finding.description,
        "responsible_party": item.responsible_party,
        "status": item.status,
        "status_label": item.get_status_display(),
        "found_at": item.found_at,
        "deadline": item.deadline,
        "done_at": item.done_at,
        "verified_at": item.verified_at,
        "returns": item.returns,
        "actions": rectification_actions(item.status),
    }


def inspection_out(inspection: Inspection) -> dict[str, Any]:
    findings = []
    for finding in inspection.findings.select_related("event", "rectification"):
        rectification = getattr(finding, "rectification", None)
        findings.append(
            {
                "id": finding.pk,
                "kind": finding.kind,
                "description": finding.description,
                "route": finding.route,
                "event_number": finding.event.number if finding.event else "",
                "rectification_id": rectification.pk if rectification else None,
                "deadline": rectification.deadline if rectification else None,
            }
        )
    return {
        "id": inspection.pk,
        "collection_point_id": inspection.collection_point_id,
        "inspected_on": inspection.inspected_on,
        "notes": inspection.notes,
        "findings": findings,
    }


@router.get("/compounds", response=list[CompoundOut], summary="Compounds in your scope")
def list_compounds(request: JiedaoRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": compound.pk,
            "name": compound.name,
            "code": compound.code,
            "community": compound.grid.community.name,
            "grid_code": compound.grid.code,
            "managing_department": (
                compound.managing_department.name if compound.managing_department else ""
            ),
            "households": compound.household_count,  # type: ignore[attr-defined]
            "open_rectifications": compound.open_rectifications,  # type: ignore[attr-defined]
            "is_synthetic": compound.is_synthetic,
        }
        for compound in selectors.compound_list(user=request.user)
    ]


@router.get(
    "/compounds/{compound_id}/month",
    response=MonthOut,
    summary="A compound's records of one month (counts, not scores)",
)
def compound_month(request: JiedaoRequest, compound_id: int, month: str) -> dict[str, Any]:
    first, _last = parse_month(month, field="month", label=_("Month"))  # as the compound page
    compound = selectors.compound_get(user=request.user, compound_id=compound_id)
    figures = selectors.compound_month(compound=compound, month=first)
    return {
        "compound_id": compound.pk,
        "month": f"{first:%Y-%m}",
        "households": figures.households,
        "participating_households": figures.participating,
        "participation_percent": figures.participation,
        "drop_offs": figures.drop_offs,
        "correct_drop_offs": figures.correct,
        "accuracy_percent": figures.accuracy,
        "weight_kg": figures.weight_kg,
        "recycling_kg": figures.recycling_kg,
        "recycling_value": figures.recycling_value,
        "inspections": figures.inspections,
        "findings": figures.findings,
        "open_rectifications": figures.open_rectifications,
    }


@router.get("/points/{point_id}", response=PointOut, summary="One collection point")
def get_point(request: JiedaoRequest, point_id: int) -> dict[str, Any]:
    point = selectors.point_get(user=request.user, point_id=point_id)
    phone = point.responsible_phone
    return {
        "id": point.pk,
        "compound_id": point.compound_id,
        "compound": point.compound.name,
        "name": point.name,
        "responsible_party": point.responsible_party,
        "responsible_phone": phone if sees_contact(request.user) else mask_phone(phone),
        "opening_hours": point.opening_hours,
    }


@router.post(
    "/points/{point_id}/drop-offs",
    response={201: DropOffOut},
    summary="Record a drop-off at a collection point (inspectors)",
)
def create_drop_off(
    request: JiedaoRequest, point_id: int, payload: DropOffIn
) -> Status[dict[str, Any]]:
    drop_off = services.drop_off_record(
        actor=request.user,
        collection_point_id=point_id,
        account_number=payload.account_number,
        waste_class=payload.waste_class,
        weight_kg=payload.weight_kg,
        is_correct=payload.is_correct,
        notes=payload.notes,
    )
    earned = sum(entry.points for entry in PointsEntry.objects.filter(drop_off=drop_off))
    return Status(
        201,
        {
            "id": drop_off.pk,
            "account_number": drop_off.account.number,
            "collection_point_id": drop_off.collection_point_id,
            "waste_class": drop_off.waste_class,
            "weight_kg": drop_off.weight_kg,
            "is_correct": drop_off.is_correct,
            "dropped_at": drop_off.dropped_at,
            "points_earned": earned,
            "points_balance": drop_off.account.points_balance,
        },
    )


@router.post(
    "/points/{point_id}/inspections",
    response={201: InspectionOut},
    summary="Record today's inspection of a collection point, with its findings (inspectors)",
)
def create_inspection(
    request: JiedaoRequest, point_id: int, payload: InspectionIn
) -> Status[dict[str, Any]]:
    inspection = services.inspection_record(
        actor=request.user,
        collection_point_id=point_id,
        notes=payload.notes,
        findings=[
            services.FindingInput(
                kind=item.kind,
                description=item.description,
                route=item.route,
                working_days=item.working_days,
                category=item.category,
            )
            for item in payload.findings
        ],
    )
    return Status(201, inspection_out(inspection))


@router.get(
    "/rectifications", response=list[RectificationOut], summary="Rectification items in your scope"
)
def list_rectifications(request: JiedaoRequest, open_only: bool = True) -> list[dict[str, Any]]:
    return [
        rectification_out(item)
        for item in selectors.rectification_list(user=request.user, open_only=open_only)
    ]


@router.post(
    "/rectifications/{rectification_id}/actions",
    response=RectificationOut,
    summary="Report a rectification done, verify it or send it back",
)
def act_on_rectification(
    request: JiedaoRequest, rectification_id: int, payload: RectificationActionIn
) -> dict[str, Any]:
    services.rectification_transition(
        actor=request.user,
        rectification_id=rectification_id,
        action=payload.action,
        notes=payload.notes,
    )
    return rectification_out(
        selectors.rectification_get(user=request.user, rectification_id=rectification_id)
    )


@router.post(
    "/weigh-ins", response={201: WeighInOut}, summary="Record a recycling weigh-in (inspectors)"
)
def create_weigh_in(request: JiedaoRequest, payload: WeighInIn) -> Status[dict[str, Any]]:
    weigh_in = services.weigh_in_record(
        actor=request.user,
        subdistrict_id=request.user.subdistrict_id or 0,
        account_number=payload.account_number,
        material_id=payload.material_id,
        quantity=payload.quantity,
        credited_as=payload.credited_as,
    )
    return Status(
        201,
        {
            "id": weigh_in.pk,
            "account_number": weigh_in.account.number,
            "material": weigh_in.material.name,
            "quantity": weigh_in.quantity,
            "price": weigh_in.price,
            "value": weigh_in.value,
            "credited_as": weigh_in.credited_as,
            "points": weigh_in.points,
        },
    )


def account_out(user: Any, account: Account) -> dict[str, Any]:
    row = selectors.account_row(user=user, account=account)
    return {
        "number": account.number,
        "holder": account.holder_kind,
        "compound": account.compound.name if account.compound else "",
        "place": row["place"],
        "name": row["name"],
        "phone": row["phone"],
        "points_balance": account.points_balance,
        "is_active": account.is_active,
        "entries": entries_out(account),
    }


@router.get("/accounts/{number}", response=AccountOut, summary="A smart account and its points")
def get_account(request: JiedaoRequest, number: str) -> dict[str, Any]:
    return account_out(request.user, selectors.account_get(user=request.user, number=number))


@router.post(
    "/accounts/{number}/redemptions",
    response={201: AccountOut},
    summary="Redeem points for a reward (grid workers, community leads)",
)
def redeem(request: JiedaoRequest, number: str, payload: RedeemIn) -> Status[dict[str, Any]]:
    user = request.user
    require(user, "sanitation.redeem")
    account = selectors.account_get(user=user, number=number)
    services.points_redeem(
        actor=user,
        subdistrict_id=account.subdistrict_id,
        account_number=account.number,
        reward_id=payload.reward_id,
        quantity=payload.quantity,
    )
    return Status(201, account_out(user, selectors.account_get(user=user, number=number)))


@router.post(
    "/households",
    response={201: AccountOut},
    summary="Register a household and open its smart account",
)
def create_household(request: JiedaoRequest, payload: HouseholdIn) -> Status[dict[str, Any]]:
    user = request.user
    account = services.household_register(
        actor=user,
        compound_id=payload.compound_id,
        address=payload.address,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        people=payload.people,
    )
    return Status(201, account_out(user, selectors.account_get(user=user, number=account.number)))


@router.post(
    "/public/points",
    response=PublicAccountOut,
    auth=None,
    summary="A household's points with its account number and lookup code (no sign-in)",
)
def public_points(request: JiedaoRequest, payload: PublicLookupIn) -> dict[str, Any]:
    throttle("portal-lookup", client_address(request), limit=settings.PORTAL_LOOKUPS_PER_MINUTE)
    account = selectors.public_account(number=payload.number, code=payload.code)
    return {
        "number": account.number,
        "compound": account.compound.name if account.compound else "",
        "points_balance": account.points_balance,
        "entries": entries_out(account),
    }
