"""The enforcement API: targets and their import, the catalogue of inspection matters, actions
(with 双随机 draws), inspections with their checklists and findings, and rectification items."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import File, Query, Router, Status, UploadedFile

from jiedao.core.http import JiedaoRequest

from . import selectors, services
from .importers import MAX_BYTES, parse_targets
from .models import Action, Inspection, InspectionMatter, InspectionPhoto, Rectification, Target
from .schemas import (
    ActionIn,
    ActionOut,
    DrawIn,
    FindingIn,
    ImportOut,
    InspectionDetailOut,
    InspectionFilter,
    InspectionOut,
    ItemIn,
    ItemOut,
    MatterIn,
    MatterOut,
    PhotosAddedOut,
    PlanIn,
    RecheckIn,
    RectificationOut,
    TargetIn,
    TargetOut,
    TransitionIn,
)
from .views_photos import photo_response

router = Router(tags=["enforcement"])


def target_out(target: Target) -> dict[str, Any]:
    return {
        "id": target.pk,
        "kind": target.kind,
        "name": target.name,
        "identifier": selectors.target_identifier(target),
        "address": target.address,
        "grid": target.grid.code if target.grid else None,
        "trade": target.trade,
        "risk_level": target.risk_level,
        "inspection_count": getattr(target, "inspection_count", None),
    }


def action_out(action: Action, *, reproduce: bool = False) -> dict[str, Any]:
    return {
        "id": action.pk,
        "kind": action.kind,
        "title": action.title,
        "lead_department": action.lead_department.name,
        "starts_on": action.starts_on,
        "ends_on": action.ends_on,
        "inspection_count": getattr(action, "inspection_count", None),
        "draw_seed": action.draw_seed,
        "draw_pool": action.draw_pool,
        "draw_size": action.draw_size,
        "draw_reproduces": selectors.draw_reproduces(action) if reproduce else None,
    }


def code_url(inspection: Inspection) -> str:
    return reverse("enforcement:public", args=[inspection.code])


def inspection_out(inspection: Inspection) -> dict[str, Any]:
    return {
        "id": inspection.pk,
        "action_id": inspection.action_id,
        "action": inspection.action.title,
        "target_id": inspection.target_id,
        "target": inspection.target.name,
        "lead_department": inspection.lead_department.name,
        "joining_departments": [d.name for d in inspection.joining_departments.all()],
        "planned_on": inspection.planned_on,
        "status": inspection.status,
        "override_reason": inspection.override_reason,
        "code_url": code_url(inspection),
    }


def photo_out(photo: InspectionPhoto) -> dict[str, Any]:
    return {
        "id": photo.pk,
        "content_type": photo.content_type,
        "size": photo.size,
        "url": reverse("api:enforcement_photo", kwargs={"photo_id": photo.pk}),
        "created_at": photo.created_at,
    }


def rectification_out(
    rectification: Rectification, target_name: str, *, photos: bool = False
) -> dict[str, Any]:
    """A finding; with its photos where they were loaded with it (``photos``)."""
    return {
        "id": rectification.pk,
        "inspection_id": rectification.inspection_id,
        "target": target_name,
        "description": rectification.description,
        "deadline": rectification.deadline,
        "status": rectification.status,
        "overdue": selectors.is_overdue(rectification),
        "event_number": rectification.event.number if rectification.event else None,
        "recheck_notes": rectification.recheck_notes,
        "photos": [photo_out(photo) for photo in rectification.photos.all()] if photos else None,
    }


def item_out(row: Any) -> dict[str, Any]:
    return {
        "id": row.item.pk,
        "department": row.item.department.name,
        "matter": row.item.matter.title,
        "result": row.item.result,
        "notes": row.item.notes,
        "can_record": row.can_record,
        "photos": [photo_out(photo) for photo in row.item.photos.all()],
    }


def detail_out(user: Any, inspection_id: int) -> dict[str, Any]:
    detail = selectors.inspection_detail(user=user, inspection_id=inspection_id)
    inspection = detail.inspection
    return {
        **inspection_out(inspection),
        "conclusion": inspection.conclusion,
        "items": [item_out(row) for row in detail.items],
        "rectifications": [
            rectification_out(rectification, inspection.target.name, photos=True)
            for rectification in detail.rectifications
        ],
        "actions": detail.actions,
    }


@router.get("/targets", response=list[TargetOut], summary="Targets (执法对象)")
def targets(
    request: JiedaoRequest, q: str = "", kind: str = "", risk_level: str = ""
) -> list[dict[str, Any]]:
    found = selectors.target_list(user=request.user, query=q, kind=kind, risk_level=risk_level)
    return [target_out(target) for target in found]


@router.post("/targets", response={201: TargetOut}, summary="Register a target")
def target_create(request: JiedaoRequest, payload: TargetIn) -> Status[dict[str, Any]]:
    target = services.target_create(actor=request.user, **payload.model_dump())
    return Status(201, target_out(target))


@router.post("/targets/import", response=ImportOut, summary="Import targets (.xlsx or .csv)")
def targets_import(request: JiedaoRequest, file: File[UploadedFile]) -> dict[str, Any]:
    """All or nothing: a wrong row writes nothing, and the 422's ``extra.errors`` lists every
    wrong row with its column."""
    content = file.read(MAX_BYTES + 1)
    rows = parse_targets(file.name or "", content)
    created = services.targets_import(actor=request.user, rows=rows)
    return {"created": len(created)}


@router.get("/targets/{target_id}", response=TargetOut, summary="One target")
def target_detail(request: JiedaoRequest, target_id: int) -> dict[str, Any]:
    return target_out(selectors.target_get(user=request.user, target_id=target_id))


@router.get("/matters", response=list[MatterOut], summary="Catalogue of inspection matters")
def matters(request: JiedaoRequest) -> list[dict[str, Any]]:
    return [matter_out(matter) for matter in selectors.matter_list(user=request.user)]


def matter_out(matter: InspectionMatter) -> dict[str, Any]:
    return {
        "id": matter.pk,
        "department": matter.department.name,
        "code": matter.code,
        "title": matter.title,
        "basis": matter.basis,
    }


@router.post("/matters", response={201: MatterOut}, summary="Add an inspection matter")
def matter_create(request: JiedaoRequest, payload: MatterIn) -> Status[dict[str, Any]]:
    matter = services.matter_create(actor=request.user, **payload.model_dump())
    return Status(201, matter_out(matter))


@router.get("/actions", response=list[ActionOut], summary="Actions (行动)")
def actions(request: JiedaoRequest) -> list[dict[str, Any]]:
    return [action_out(action) for action in selectors.action_list(user=request.user)]


@router.post("/actions", response={201: ActionOut}, summary="Open an action")
def action_create(request: JiedaoRequest, payload: ActionIn) -> Status[dict[str, Any]]:
    action = services.action_create(actor=request.user, **payload.model_dump())
    return Status(201, action_out(action))


@router.post("/actions/draw", response={201: ActionOut}, summary="A 双随机 draw")
def action_draw(request: JiedaoRequest, payload: DrawIn) -> Status[dict[str, Any]]:
    action = services.action_draw(actor=request.user, **payload.model_dump())
    return Status(201, action_out(action, reproduce=True))


@router.get("/actions/{action_id}", response=ActionOut, summary="One action")
def action_detail(request: JiedaoRequest, action_id: int) -> dict[str, Any]:
    action = selectors.action_get(user=request.user, action_id=action_id)
    return action_out(action, reproduce=True)


@router.get("/inspections", response=list[InspectionOut], summary="Inspections")
def inspections(request: JiedaoRequest, filters: Query[InspectionFilter]) -> list[dict[str, Any]]:
    found = selectors.inspection_list(
        user=request.user, status=filters.status, action_id=filters.action_id
    )
    return [inspection_out(inspection) for inspection in found]


@router.post(
    "/inspections",
    response={201: InspectionDetailOut},
    summary="Plan an inspection (the repeat-inspection guard applies)",
)
def inspection_plan(request: JiedaoRequest, payload: PlanIn) -> Status[dict[str, Any]]:
    """409 ``repeat_inspection`` with ``extra.earlier`` when the guard refuses; a supervisor
    overrides it by giving ``override_reason``."""
    inspection = services.inspection_plan(actor=request.user, **payload.model_dump())
    return Status(201, detail_out(request.user, inspection.pk))


@router.get("/inspections/{inspection_id}", response=InspectionDetailOut, summary="One inspection")
def inspection_detail(request: JiedaoRequest, inspection_id: int) -> dict[str, Any]:
    return detail_out(request.user, inspection_id)


@router.post(
    "/inspections/{inspection_id}/transitions",
    response=InspectionDetailOut,
    summary="Start, cancel or complete an inspection",
)
def inspection_transition(
    request: JiedaoRequest, inspection_id: int, payload: TransitionIn
) -> dict[str, Any]:
    services.inspection_transition(
        actor=request.user, inspection_id=inspection_id, action=payload.action, text=payload.text
    )
    return detail_out(request.user, inspection_id)


@router.post("/items/{item_id}", response=ItemOut, summary="Record a checklist item")
def item_record(request: JiedaoRequest, item_id: int, payload: ItemIn) -> dict[str, Any]:
    item = services.item_record(actor=request.user, item_id=item_id, **payload.model_dump())
    detail = selectors.inspection_detail(user=request.user, inspection_id=item.inspection_id)
    return item_out(next(row for row in detail.items if row.item.pk == item.pk))


PHOTOS_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "photos": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                        }
                    },
                    "required": ["photos"],
                }
            }
        }
    }
}


@router.post(
    "/items/{item_id}/photos",
    response={201: PhotosAddedOut},
    summary="Add photos to a checklist item",
    openapi_extra=PHOTOS_BODY,
)
def item_photos_add(request: JiedaoRequest, item_id: int) -> Status[dict[str, Any]]:
    """JPEG, PNG or WebP photos (checked by content, metadata dropped) of the item's answer:
    by the department that answers the item, while the inspection is in progress."""
    photos = services.item_photos_add(
        actor=request.user, item_id=item_id, photos=request.FILES.getlist("photos")
    )
    return Status(201, {"photos": [photo_out(photo) for photo in photos]})


@router.post(
    "/rectifications/{rectification_id}/photos",
    response={201: PhotosAddedOut},
    summary="Add photos to a finding",
    openapi_extra=PHOTOS_BODY,
)
def finding_photos_add(request: JiedaoRequest, rectification_id: int) -> Status[dict[str, Any]]:
    """JPEG, PNG or WebP photos of an open finding (a rectification item)."""
    photos = services.finding_photos_add(
        actor=request.user,
        rectification_id=rectification_id,
        photos=request.FILES.getlist("photos"),
    )
    return Status(201, {"photos": [photo_out(photo) for photo in photos]})


@router.get(
    "/photos/{photo_id}",
    url_name="enforcement_photo",
    summary="A photo's file",
    response={200: None},
)
def photo_file(request: HttpRequest, photo_id: int) -> HttpResponse:
    """The same answer as the page's photo address (one function decides and streams)."""
    return photo_response(user=request.user, photo_id=photo_id)


@router.post(
    "/inspections/{inspection_id}/findings",
    response={201: RectificationOut},
    summary="Record a finding (a rectification item)",
)
def finding_create(
    request: JiedaoRequest, inspection_id: int, payload: FindingIn
) -> Status[dict[str, Any]]:
    rectification = services.finding_create(
        actor=request.user, inspection_id=inspection_id, **payload.model_dump()
    )
    return Status(201, rectification_out(rectification, rectification.inspection.target.name))


@router.get("/rectifications", response=list[RectificationOut], summary="Rectification items")
def rectifications(request: JiedaoRequest, status: str = "") -> list[dict[str, Any]]:
    found = selectors.rectification_list(user=request.user, status=status)
    return [rectification_out(r, r.inspection.target.name) for r in found]


@router.post(
    "/rectifications/{rectification_id}/recheck",
    response=RectificationOut,
    summary="Re-check (复查): close or escalate",
)
def rectification_recheck(
    request: JiedaoRequest, rectification_id: int, payload: RecheckIn
) -> dict[str, Any]:
    services.rectification_recheck(
        actor=request.user, rectification_id=rectification_id, **payload.model_dump()
    )
    rectification = selectors.rectification_get(
        user=request.user, rectification_id=rectification_id
    )
    return rectification_out(rectification, rectification.inspection.target.name, photos=True)


# The cases' endpoints live in their module, under this router.
from .api_cases import router as cases_router
from .api_disclosure import router as disclosure_router

router.add_router("", cases_router)
router.add_router("", disclosure_router)
