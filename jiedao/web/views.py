from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import Level, can, scope_of
from jiedao.geo import selectors as geo_selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role starts on a page about its own work and scope."""
    user: Any = request.user
    scope = scope_of(user)
    context: dict[str, Any] = {"scope": scope, "role_label": Role(user.role).label}
    if can(user, "geo.view"):
        communities = list(geo_selectors.community_list(user=user))
        context["communities"] = communities
        context["grid_count"] = geo_selectors.grid_list(user=user).count()
        context["department_count"] = geo_selectors.department_list(user=user).count()
        if scope.level is Level.GRID:
            context["my_grid"] = geo_selectors.grid_get(user=user, code=user.grid.code)
    context["can_audit"] = can(user, "audit.view")
    return render(request, f"web/home/{user.role}.html", context)
