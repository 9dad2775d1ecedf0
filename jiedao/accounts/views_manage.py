"""The administrator's pages for accounts: list, create, change, deactivate, reset the password
and end a lockout, each through the service the admin site and ``jiedao unlock`` call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jiedao.core.errors import InvalidInput
from jiedao.core.fielderrors import form_add_errors
from jiedao.core.http import JiedaoRequest
from jiedao.web.errors import render_application_errors

from . import selectors, services
from .forms import UserFilterForm, UserForm, place_value
from .permissions import require


@login_required
@render_application_errors
def user_list(request: JiedaoRequest) -> HttpResponse:
    require(request.user, "accounts.manage")
    filters = UserFilterForm(request.GET or None, user=request.user)
    users = list(selectors.user_list(user=request.user, **filters.filters()))
    return render(request, "accounts/manage/users.html", {"filters": filters, "user_rows": users})


@never_cache  # the page may show a one-time password
@login_required
@render_application_errors
def user_create(request: JiedaoRequest) -> HttpResponse:
    require(request.user, "accounts.manage")
    form = UserForm(request.POST or None, user=request.user, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.user_register(
                actor=request.user,
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
                role=form.cleaned_data["role"],
                scope=form.cleaned_data["scope"],
            )
        except InvalidInput as error:
            form_add_errors(form, error)
        else:
            return render(
                request,
                "accounts/manage/password.html",
                {"account": user, "password": password, "created": True},
            )
    return render(request, "accounts/manage/user_form.html", {"form": form, "creating": True})


@login_required
@render_application_errors
def user_detail(request: JiedaoRequest, pk: int) -> HttpResponse:
    account = selectors.user_get(user=request.user, pk=pk)
    initial = {
        "full_name": account.full_name,
        "phone": account.phone,
        "role": account.role,
        "scope": place_value(
            account.grid
            or account.department
            or (account.community if account.role != "grid_worker" else None)
            or (account.subdistrict if account.role != "resident" else None)
        ),
    }
    form = UserForm(request.POST or None, initial=initial, user=request.user, creating=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                actor=request.user,
                user=account,
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
                role=form.cleaned_data["role"],
                scope=form.cleaned_data["scope"],
            )
        except InvalidInput as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The account of %(name)s is saved.") % {"name": account})
            return redirect("accounts_manage:user", pk=account.pk)
    return render(
        request,
        "accounts/manage/user_form.html",
        {"form": form, "creating": False, "account": account},
    )


@require_POST
@login_required
@render_application_errors
def user_set_active(request: JiedaoRequest, pk: int) -> HttpResponse:
    account = selectors.user_get(user=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=request.user, user=account, active=active)
    except InvalidInput as error:
        messages.error(request, str(error.message))
    else:
        text = (
            _("The account of %(name)s is active again.")
            if active
            else _("The account of %(name)s is deactivated: it can no longer sign in.")
        )
        messages.success(request, text % {"name": account})
    return redirect("accounts_manage:user", pk=account.pk)


@never_cache  # the answer shows a one-time password
@require_POST
@login_required
@render_application_errors
def user_password_reset(request: JiedaoRequest, pk: int) -> HttpResponse:
    account = selectors.user_get(user=request.user, pk=pk)
    try:
        password = services.user_password_reset(actor=request.user, user=account)
    except InvalidInput as error:
        messages.error(request, str(error.message))
        return redirect("accounts_manage:user", pk=account.pk)
    return render(
        request,
        "accounts/manage/password.html",
        {"account": account, "password": password, "created": False},
    )


@require_POST
@login_required
@render_application_errors
def user_unlock(request: JiedaoRequest, pk: int) -> HttpResponse:
    account = selectors.user_get(user=request.user, pk=pk)
    forgotten = services.user_unlock(actor=request.user, user=account)
    messages.success(
        request,
        _("%(name)s may sign in again (%(count)s failed sign-ins forgotten).")
        % {"name": account, "count": forgotten},
    )
    return redirect("accounts_manage:user", pk=account.pk)
