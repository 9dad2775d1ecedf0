"""Enforcement pages: the officer's to-do list, targets and their import, actions and 双随机
draws, planning an inspection under the repeat-inspection guard, the phone-first checklist
with findings and their photos, rectification items with their re-checks, and the public page of a 行政检查码."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.accounts.permissions import can, require, scoped
from jiedao.core.errors import ApplicationError, InvalidInput, NotFound
from jiedao.core.http import JiedaoRequest
from jiedao.core.localtime import local_today
from jiedao.geo import selectors as geo_selectors
from jiedao.portal.throttle import client_address, throttle
from jiedao.web.errors import render_application_errors

from . import selectors, selectors_cases, services
from .forms import (
    ActionForm,
    DrawForm,
    FindingForm,
    ItemForm,
    MatterForm,
    PlanForm,
    RatingForm,
    RecheckForm,
    TargetForm,
    TransitionForm,
    cleaned,
)
from .importers import MAX_BYTES, parse_targets
from .models import Rating
from .qr import qr_svg
from .views_photos import with_held_photos
from .workflow import INSPECTION_ACTION_LABELS, InspectionStatus, RectificationStatus

RATINGS_PER_MINUTE = 5


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@render_application_errors
def home(request: JiedaoRequest) -> HttpResponse:
    """The officer's to-do list: today's inspections, those running, rectifications due, and
    for a legal reviewer the cases sent to them for review."""
    user = request.user
    today = local_today()
    inspections = list(
        selectors.inspection_list(user=user).filter(
            status__in=[InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS],
            planned_on__lte=today,
        )[:50]
    )
    due = list(selectors.rectification_list(user=user, status=RectificationStatus.OPEN)[:50])
    return render(
        request,
        "enforcement/home.html",
        {
            "today": today,
            "inspections": inspections,
            "due": due,
            "now": timezone.now(),
            "can_plan": can(user, "enforcement.plan"),
            # The designated legal reviewer's own to-do: the cases waiting for their review.
            "to_review": list(selectors_cases.case_list(user=user, to_review=True)[:20])
            if can(user, "enforcement.case_view")
            else [],
        },
    )


@login_required
@render_application_errors
def target_list(request: JiedaoRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    targets = list(selectors.target_list(user=request.user, query=query)[:200])
    return render(
        request,
        "enforcement/targets.html",
        {
            "targets": [(t, selectors.target_identifier(t)) for t in targets],
            "query": query,
            "can_manage": can(request.user, "enforcement.target_manage"),
        },
    )


@login_required
@render_application_errors
def target_new(request: JiedaoRequest) -> HttpResponse:
    require(request.user, "enforcement.target_manage")
    form = TargetForm(request.POST or None)
    error = None
    if request.method == "POST":
        try:
            target = services.target_create(actor=request.user, **cleaned(form))
        except ApplicationError as failure:
            error = failure
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": target.name})
            return redirect("enforcement:targets")
    return render(
        request,
        "enforcement/target_new.html",
        {"form": form, "error": error},
        status=422 if error else 200,
    )


@login_required
@render_application_errors
def target_import(request: JiedaoRequest) -> HttpResponse:
    require(request.user, "enforcement.target_manage")
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise InvalidInput(_("Choose a file to import."), code="required", field="file")
            rows = parse_targets(upload.name or "", upload.read(MAX_BYTES + 1))
            created = services.targets_import(actor=request.user, rows=rows)
        except ApplicationError as failure:
            error = failure
        else:
            messages.success(request, _("%(count)s targets imported.") % {"count": len(created)})
            return redirect("enforcement:targets")
    return render(
        request,
        "enforcement/target_import.html",
        {"error": error, "row_errors": error.extra.get("errors", []) if error else []},
        status=422 if error else 200,
    )


@login_required
@render_application_errors
def matter_list(request: JiedaoRequest) -> HttpResponse:
    """The catalogue of inspection matters (检查事项清单) by department, and a line added to it."""
    user = request.user
    can_manage = can(user, "enforcement.catalogue_manage")
    form = MatterForm(request.POST or None)
    error = None
    if request.method == "POST":
        try:
            data = cleaned(form)
            services.matter_create(
                actor=user,
                department_id=data["department_id"],
                code=data["code"],
                title=data["title"],
                basis=data["basis"],
                position=data["position"] or 0,
            )
        except ApplicationError as failure:
            error = failure
        else:
            return redirect("enforcement:matters")
    return render(
        request,
        "enforcement/matters.html",
        {
            "matters": list(selectors.matter_list(user=user)),
            "departments": list(geo_selectors.department_list(user=user)) if can_manage else [],
            "can_manage": can_manage,
            "form": form,
            "error": error,
        },
        status=error.status if error else 200,
    )


@login_required
@render_application_errors
def action_list(request: JiedaoRequest) -> HttpResponse:
    return render(
        request,
        "enforcement/actions.html",
        {
            "actions": list(selectors.action_list(user=request.user)[:200]),
            "can_plan": can(request.user, "enforcement.plan"),
        },
    )


def _action_page(
    request: JiedaoRequest, form_class: Any, create: Any, *, draw: bool
) -> HttpResponse:
    """A new action, planned by hand or drawn at random: the same page and the same answer."""
    require(request.user, "enforcement.plan")
    form = form_class(request.POST or None)
    error = None
    if request.method == "POST":
        try:
            action = create(actor=request.user, **cleaned(form))
        except ApplicationError as failure:
            error = failure
        else:
            return redirect("enforcement:action", action.pk)
    return render(
        request,
        "enforcement/action_new.html",
        {"form": form, "error": error, "draw": draw},
        status=422 if error else 200,
    )


@login_required
@render_application_errors
def action_new(request: JiedaoRequest) -> HttpResponse:
    return _action_page(request, ActionForm, services.action_create, draw=False)


@login_required
@render_application_errors
def action_draw(request: JiedaoRequest) -> HttpResponse:
    return _action_page(request, DrawForm, services.action_draw, draw=True)


@login_required
@render_application_errors
def action_detail(request: JiedaoRequest, action_id: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, action_id=action_id)
    return render(
        request,
        "enforcement/action.html",
        {
            "action": action,
            "inspections": list(selectors.inspection_list(user=request.user, action_id=action.pk)),
            "reproduces": selectors.draw_reproduces(action),
            "can_plan": can(request.user, "enforcement.plan"),
        },
    )


@login_required
@render_application_errors
def inspection_list(request: JiedaoRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in InspectionStatus.values:
        status = ""
    return render(
        request,
        "enforcement/inspections.html",
        {
            "inspections": list(selectors.inspection_list(user=request.user, status=status)[:200]),
            "status": status,
            "statuses": InspectionStatus.choices,
            "can_plan": can(request.user, "enforcement.plan"),
        },
    )


@login_required
@render_application_errors
def inspection_plan(request: JiedaoRequest) -> HttpResponse:
    """Plan one inspection. When the guard refuses, the page shows why and the earlier
    inspections; a supervisor may give a reason and override."""
    user = request.user
    if not (can(user, "enforcement.plan") or can(user, "enforcement.override")):
        require(user, "enforcement.plan")
    departments = list(geo_selectors.department_list(user=user))
    form = PlanForm(request.POST or None, departments=departments, initial=request.GET.dict())
    error = None
    if request.method == "POST":
        try:
            inspection = services.inspection_plan(actor=user, **cleaned(form))
        except ApplicationError as failure:
            error = failure
        else:
            return redirect("enforcement:inspection", inspection.pk)
    return render(
        request,
        "enforcement/plan.html",
        {
            "form": form,
            "error": error,
            "earlier": error.extra.get("earlier", []) if error else [],
            "actions": list(selectors.action_list(user=user)[:100]),
            "targets": list(selectors.target_list(user=user)[:500]),
            "departments": departments,
            "can_override": can(user, "enforcement.override"),
            "selected_action": _int(request.POST.get("action_id") or request.GET.get("action_id")),
            "selected_target": _int(request.POST.get("target_id") or request.GET.get("target_id")),
        },
        status=(error.status if error else 200),
    )


def _detail_context(request: JiedaoRequest, inspection_id: int) -> dict[str, Any]:
    detail = selectors.inspection_detail(user=request.user, inspection_id=inspection_id)
    public_url = request.build_absolute_uri(
        reverse("enforcement:public", args=[detail.inspection.code])
    )
    return {
        "detail": detail,
        "inspection": detail.inspection,
        "identifier": selectors.target_identifier(detail.inspection.target),
        "actions": [(name, INSPECTION_ACTION_LABELS[name]) for name in detail.actions],
        "public_url": public_url,
        "qr": qr_svg(public_url),
        "can_find": can(request.user, "enforcement.rectify")
        and detail.inspection.status in (InspectionStatus.IN_PROGRESS, InspectionStatus.COMPLETED),
        "now": timezone.now(),
    }


@login_required
@render_application_errors
def inspection_detail(request: JiedaoRequest, inspection_id: int) -> HttpResponse:
    return render(request, "enforcement/inspection.html", _detail_context(request, inspection_id))


@login_required
@require_POST
@render_application_errors
def inspection_transition(request: JiedaoRequest, inspection_id: int) -> HttpResponse:
    try:
        services.inspection_transition(
            actor=request.user, inspection_id=inspection_id, **cleaned(TransitionForm(request.POST))
        )
    except ApplicationError as failure:
        context = _detail_context(request, inspection_id)
        return render(
            request,
            "enforcement/inspection.html",
            {**context, "transition_error": failure},
            status=failure.status,
        )
    return redirect("enforcement:inspection", inspection_id)


@login_required
@require_POST
@render_application_errors
def item_record(request: JiedaoRequest, item_id: int) -> HttpResponse:
    """One checklist item with its photos; with HTMX only its row is swapped. A refusal keeps
    the photos sent (held) for the next attempt."""
    inspection_id = _int(request.POST.get("inspection")) or 0
    item, error, held = with_held_photos(
        request,
        lambda photos: services.item_record(
            actor=request.user, item_id=item_id, photos=photos, **cleaned(ItemForm(request.POST))
        ),
    )
    if item is not None:
        inspection_id = item.inspection_id
    elif not inspection_id and error is not None:
        raise error
    context = _detail_context(request, inspection_id)
    failed = {"item_error": error, "error_item": item_id, "held": held}
    if request.htmx:
        row = next((row for row in context["detail"].items if row.item.pk == item_id), None)
        if row is None:
            raise NotFound()
        return render(
            request,
            "enforcement/_item.html",
            {**context, "row": row, **failed},
            status=error.status if error else 200,
        )
    if error:
        return render(
            request, "enforcement/inspection.html", {**context, **failed}, status=error.status
        )
    return redirect(reverse("enforcement:inspection", args=[inspection_id]) + f"#item-{item_id}")


@login_required
@require_POST
@render_application_errors
def finding_new(request: JiedaoRequest, inspection_id: int) -> HttpResponse:
    _, error, held = with_held_photos(
        request,
        lambda photos: services.finding_create(
            actor=request.user,
            inspection_id=inspection_id,
            photos=photos,
            **cleaned(FindingForm(request.POST)),
        ),
    )
    if error is not None:
        context = _detail_context(request, inspection_id)
        return render(
            request,
            "enforcement/inspection.html",
            {
                **context,
                "finding_error": error,
                "finding_held": held,
                "finding_values": request.POST,
            },
            status=error.status,
        )
    return redirect(reverse("enforcement:inspection", args=[inspection_id]) + "#findings")


@login_required
@render_application_errors
def rectification_list(request: JiedaoRequest) -> HttpResponse:
    status = request.GET.get("status", RectificationStatus.OPEN)
    if status not in RectificationStatus.values:
        status = ""
    return render(
        request,
        "enforcement/rectifications.html",
        {
            "rectifications": list(
                selectors.rectification_list(user=request.user, status=status)[:300]
            ),
            "status": status,
            "statuses": RectificationStatus.choices,
            "now": timezone.now(),
            "can_recheck": can(request.user, "enforcement.rectify"),
        },
    )


@login_required
@render_application_errors
def rectification_recheck(request: JiedaoRequest, rectification_id: int) -> HttpResponse:
    """A finding's page: its photos, the cases opened from it, and its re-check."""
    error = None
    if request.method == "POST":
        try:
            services.rectification_recheck(
                actor=request.user,
                rectification_id=rectification_id,
                **cleaned(RecheckForm(request.POST)),
            )
        except ApplicationError as failure:
            error = failure
        else:
            return redirect("enforcement:rectifications")
    return _recheck_page(request, rectification_id, error=error)


@login_required
@require_POST
@render_application_errors
def finding_photos(request: JiedaoRequest, rectification_id: int) -> HttpResponse:
    """Photos added to an open finding, from its page."""
    _, error, held = with_held_photos(
        request,
        lambda photos: services.finding_photos_add(
            actor=request.user, rectification_id=rectification_id, photos=photos
        ),
    )
    if error is not None:
        return _recheck_page(request, rectification_id, photo_error=error, held=held)
    return redirect(reverse("enforcement:recheck", args=[rectification_id]) + "#photos")


def _recheck_page(
    request: JiedaoRequest,
    rectification_id: int,
    *,
    error: ApplicationError | None = None,
    photo_error: ApplicationError | None = None,
    held: Any = (),
) -> HttpResponse:
    rectification = selectors.rectification_get(
        user=request.user, rectification_id=rectification_id
    )
    is_open = rectification.status == RectificationStatus.OPEN
    failure = error or photo_error
    return render(
        request,
        "enforcement/recheck.html",
        {
            "rectification": rectification,
            "error": error,
            "photo_error": photo_error,
            "held": held,
            "can_recheck": can(request.user, "enforcement.rectify") and is_open,
            # The cases opened from this finding: the link back from the finding.
            "cases": list(
                scoped(request.user, rectification.cases.all())
                if can(request.user, "enforcement.case_view")
                else []
            ),
            "can_open_case": can(request.user, "enforcement.case_manage"),
        },
        status=failure.status if failure else 200,
    )


@render_application_errors
def public_record(request: JiedaoRequest, code: str) -> HttpResponse:
    """The page a 行政检查码 opens: the record of that inspection, no personal data, and the
    business's rating (once per code; submissions rate-limited per address)."""
    inspection = selectors.public_inspection(code=code)
    error = None
    if request.method == "POST":
        try:
            throttle(
                "enforcement-rating",
                client_address(request),
                limit=int(getattr(settings, "ENFORCEMENT_RATINGS_PER_MINUTE", RATINGS_PER_MINUTE)),
            )
            services.inspection_rate(code=code, **cleaned(RatingForm(request.POST)))
        except ApplicationError as failure:
            error = failure
        else:
            return redirect("enforcement:public", code)
    rating = Rating.objects.filter(inspection=inspection).first()
    response = render(
        request,
        "enforcement/public.html",
        {
            "inspection": inspection,
            "target_name": selectors.target_public_name(inspection.target),
            "items": list(inspection.items.all()),
            "finding_count": len(inspection.rectifications.all()),
            "rating": rating,
            "can_rate": inspection.status == InspectionStatus.COMPLETED and rating is None,
            "error": error,
        },
        status=error.status if error else 200,
    )
    response["Cache-Control"] = "private, no-store"
    return response
