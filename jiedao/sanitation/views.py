"""The sanitation pages: the overview, a compound's month, the inspector's phone page at a
collection point (drop-offs and the day's inspection), accounts with their cards and points,
the rectification items, and the residents' points lookup on the portal."""

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.accounts.permissions import can, require
from jiedao.core.dates import parse_month
from jiedao.core.errors import ApplicationError
from jiedao.core.http import JiedaoRequest
from jiedao.core.localtime import local_today
from jiedao.portal.throttle import client_address, throttle
from jiedao.portal.views import public_errors
from jiedao.web.errors import render_application_errors

from . import selectors, services
from .forms import (
    FINDING_SLOTS,
    DropOffForm,
    HouseholdForm,
    InspectionForm,
    LookupForm,
    RedeemForm,
    UnitForm,
    WeighInForm,
)
from .workflow import RECTIFICATION_ACTION_LABELS, FindingRoute, rectification_actions


def show_errors(form: forms.Form, error: ApplicationError) -> None:
    """Each problem of a refused submission beside the field it names (the service's field
    names are the form's; a finding's ``findings.N.part`` is the form's ``finding_N_part``)."""
    for single in error.errors:
        field = (single.field or "").replace("findings.", "finding_").replace(".", "_")
        form.add_error(field if field in form.fields else None, str(single.message))


def _month(request: HttpRequest) -> date:
    text = request.GET.get("month", "")
    if not text:
        return local_today().replace(day=1)
    first, _last = parse_month(text, field="month", label=_("Month"))
    return first


@login_required
@render_application_errors
def home(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    require(user, "sanitation.view")
    return render(
        request,
        "sanitation/home.html",
        {
            "compounds": selectors.compound_list(user=user),
            "overview": selectors.overview(user=user, today=local_today()),
            "rectifications": selectors.rectification_list(user=user)[:20],
            "can_record": can(user, "sanitation.record"),
        },
    )


@login_required
@render_application_errors
def compound(request: JiedaoRequest, compound_id: int) -> HttpResponse:
    user = request.user
    found = selectors.compound_get(user=user, compound_id=compound_id)
    month = _month(request)
    return render(
        request,
        "sanitation/compound.html",
        {
            "compound": found,
            "month": month,
            "figures": selectors.compound_month(compound=found, month=month),
            "accounts": selectors.accounts_of(user=user, compound=found),
            "can_register": can(user, "sanitation.account_manage"),
        },
    )


def _point_page(
    request: JiedaoRequest,
    point_id: int,
    *,
    drop_form: DropOffForm | None = None,
    inspection_form: InspectionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    point = selectors.point_get(user=user, point_id=point_id)
    return render(
        request,
        "sanitation/point.html",
        {
            "point": point,
            "today": selectors.point_today(point=point),
            "drop_form": drop_form or DropOffForm(),
            "inspection_form": inspection_form or InspectionForm(),
            "can_record": can(user, "sanitation.record"),
        },
        status=status,
    )


@login_required
@render_application_errors
def point(request: JiedaoRequest, point_id: int) -> HttpResponse:
    return _point_page(request, point_id)


@login_required
@require_POST
@render_application_errors
def drop_off_new(request: JiedaoRequest, point_id: int) -> HttpResponse:
    form = DropOffForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            drop_off = services.drop_off_record(
                actor=request.user,
                collection_point_id=point_id,
                account_number=data["account_number"],
                waste_class=data["waste_class"],
                weight_kg=data["weight_kg"],
                is_correct={"yes": True, "no": False}.get(data["is_correct"]),
                notes=data["notes"],
                photo=data["photo"],
            )
        except ApplicationError as error:
            if error.status != 422:
                raise
            show_errors(form, error)
        else:
            messages.success(
                request,
                _("Drop-off recorded for %(number)s: %(weight)s kg %(class)s.")
                % {
                    "number": drop_off.account.number,
                    "weight": drop_off.weight_kg,
                    "class": drop_off.get_waste_class_display(),
                },
            )
            return redirect("sanitation:point", point_id=point_id)
    return _point_page(request, point_id, drop_form=form, status=422)


@login_required
@require_POST
@render_application_errors
def inspection_new(request: JiedaoRequest, point_id: int) -> HttpResponse:
    form = InspectionForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        findings = [
            services.FindingInput(
                kind=data[f"finding_{slot}_kind"],
                description=data[f"finding_{slot}_description"],
                route=data[f"finding_{slot}_route"] or FindingRoute.RECTIFICATION,
                working_days=data[f"finding_{slot}_working_days"],
            )
            for slot in range(FINDING_SLOTS)
            if data[f"finding_{slot}_kind"] or data[f"finding_{slot}_description"]
        ]
        try:
            inspection = services.inspection_record(
                actor=request.user,
                collection_point_id=point_id,
                findings=findings,
                notes=data["notes"],
                photo=data["photo"],
            )
        except ApplicationError as error:
            if error.status != 422:
                raise
            show_errors(form, error)
        else:
            count = len(findings)
            messages.success(
                request,
                _("Inspection recorded with %(count)s finding(s).") % {"count": count}
                if count
                else _("Inspection recorded: nothing found."),
            )
            return redirect("sanitation:point", point_id=inspection.collection_point_id)
    return _point_page(request, point_id, inspection_form=form, status=422)


@login_required
@render_application_errors
def rectifications(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    items = selectors.rectification_list(user=user, open_only=request.GET.get("all") != "1")
    return render(
        request,
        "sanitation/rectifications.html",
        {
            "items": [
                (
                    item,
                    [
                        (a, RECTIFICATION_ACTION_LABELS[a])
                        for a in rectification_actions(item.status)
                    ],
                )
                for item in items
            ],
            "can_record": can(user, "sanitation.record"),
            "now": local_today(),
        },
    )


@login_required
@require_POST
@render_application_errors
def rectification_action(request: JiedaoRequest, rectification_id: int) -> HttpResponse:
    item = services.rectification_transition(
        actor=request.user,
        rectification_id=rectification_id,
        action=request.POST.get("action", ""),
        notes=request.POST.get("notes", ""),
    )
    messages.success(
        request, _("Rectification item: %(status)s.") % {"status": item.get_status_display()}
    )
    return redirect("sanitation:rectifications")


def _account_page(
    request: JiedaoRequest, number: str, *, form: RedeemForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    account = selectors.account_get(user=user, number=number)
    rewards = selectors.rewards(subdistrict_id=account.subdistrict_id)
    return render(
        request,
        "sanitation/account.html",
        {
            "account": account,
            "entries": selectors.entries_of(account),
            "form": form or RedeemForm(rewards=rewards),
            "can_redeem": can(user, "sanitation.redeem"),
            "can_print": can(user, "sanitation.account_manage"),
        },
        status=status,
    )


@login_required
@render_application_errors
def account(request: JiedaoRequest, number: str) -> HttpResponse:
    return _account_page(request, number)


@login_required
@require_POST
@render_application_errors
def redeem(request: JiedaoRequest, number: str) -> HttpResponse:
    user = request.user
    found = selectors.account_get(user=user, number=number)
    form = RedeemForm(request.POST, rewards=selectors.rewards(subdistrict_id=found.subdistrict_id))
    if form.is_valid():
        try:
            entry = services.points_redeem(
                actor=user,
                subdistrict_id=found.subdistrict_id,
                account_number=found.number,
                reward_id=form.cleaned_data["reward"],
                quantity=form.cleaned_data["quantity"],
            )
        except ApplicationError as error:
            if error.status != 422:
                raise
            show_errors(form, error)
        else:
            messages.success(
                request,
                _("Redeemed %(points)s points; the balance is %(balance)s.")
                % {"points": entry.points, "balance": entry.balance_after},
            )
            return redirect("sanitation:account", number=found.number)
    return _account_page(request, number, form=form, status=422)


@login_required
@render_application_errors
def account_card(request: JiedaoRequest, number: str) -> HttpResponse:
    return render(
        request, "sanitation/card.html", selectors.account_card(user=request.user, number=number)
    )


@login_required
@render_application_errors
def household_new(request: JiedaoRequest, compound_id: int) -> HttpResponse:
    user = request.user
    require(user, "sanitation.account_manage")
    found = selectors.compound_get(user=user, compound_id=compound_id)
    form = HouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opened = services.household_register(actor=user, compound_id=found.pk, **data)
        except ApplicationError as error:
            if error.status != 422:
                raise
            show_errors(form, error)
        else:
            messages.success(request, _("Account %(number)s opened.") % {"number": opened.number})
            return redirect("sanitation:account_card", number=opened.number)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "sanitation/household_new.html", {"form": form, "compound": found}, status=status
    )


@login_required
@render_application_errors
def unit_new(request: JiedaoRequest, compound_id: int) -> HttpResponse:
    user = request.user
    require(user, "sanitation.account_manage")
    found = selectors.compound_get(user=user, compound_id=compound_id)
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opened = services.unit_register(
                actor=user, grid_code=found.grid.code, compound_id=found.pk, **form.cleaned_data
            )
        except ApplicationError as error:
            if error.status != 422:
                raise
            show_errors(form, error)
        else:
            messages.success(request, _("Account %(number)s opened.") % {"number": opened.number})
            return redirect("sanitation:account_card", number=opened.number)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "sanitation/unit_new.html", {"form": form, "compound": found}, status=status
    )


@login_required
@render_application_errors
def weigh_in_new(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    require(user, "sanitation.record")
    materials = selectors.materials(subdistrict_id=user.subdistrict_id or 0)
    form = WeighInForm(request.POST or None, materials=materials)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            weigh_in = services.weigh_in_record(
                actor=user,
                subdistrict_id=user.subdistrict_id or 0,
                account_number=data["account_number"],
                material_id=data["material"],
                quantity=data["quantity"],
                credited_as=data["credited_as"],
            )
        except ApplicationError as error:
            if error.status != 422:
                raise
            show_errors(form, error)
        else:
            messages.success(
                request,
                _("Weigh-in recorded: %(value)s yuan, %(points)s points.")
                % {"value": weigh_in.value, "points": weigh_in.points},
            )
            return redirect("sanitation:weigh_in_new")
    status = 422 if request.method == "POST" else 200
    return render(request, "sanitation/weigh_in_new.html", {"form": form}, status=status)


@public_errors
def public_points(request: HttpRequest) -> HttpResponse:
    """A household's balance and history with its account number and lookup code, no sign-in;
    every lookup counts against the address's limit, so codes cannot be guessed."""
    form = LookupForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method != "POST":
        return render(request, "sanitation/public_points.html", context)
    throttle("portal-lookup", client_address(request), limit=settings.PORTAL_LOOKUPS_PER_MINUTE)
    if form.is_valid():
        try:
            found = selectors.public_account(
                number=form.cleaned_data["number"], code=form.cleaned_data["code"]
            )
        except ApplicationError as error:
            if error.status != 422:
                raise
            show_errors(form, error)
        else:
            context.update(account=found, entries=selectors.entries_of(found))
            return render(request, "sanitation/public_points.html", context)
    return render(request, "sanitation/public_points.html", context, status=422)
