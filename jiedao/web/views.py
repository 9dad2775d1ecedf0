from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import Level, can, scope_of
from jiedao.core.http import JiedaoRequest
from jiedao.geo import selectors as geo_selectors
from jiedao.web import cards
from jiedao.web.errors import render_application_errors


@login_required
@render_application_errors
def home(request: JiedaoRequest) -> HttpResponse:
    """Each role starts on a page about its own work and the part of the subdistrict it acts in:
    the cards the apps register for it (with their counts) first."""
    user = request.user
    scope = scope_of(user)
    context: dict[str, Any] = {
        "cards": cards.cards_for(user),
        "scope": scope,
        "role_label": Role(user.role).label,
        "can_view_map": can(user, "geo.view"),
        "can_audit": can(user, "audit.view"),
        "can_configure": user.is_staff,
    }
    if context["can_view_map"]:
        context["subdistrict"] = geo_selectors.subdistrict_list(user=user).first()
        if scope.level is Level.GRID:
            context["my_grid"] = (
                geo_selectors.grid_list(user=user).select_related("community__subdistrict").first()
            )
        elif scope.level is Level.COMMUNITY:
            context["my_community"] = geo_selectors.community_list(user=user).first()
            context["grids"] = list(geo_selectors.grid_list(user=user))
        elif scope.level is Level.DEPARTMENT and scope.department_id is not None:
            context["my_department"] = (
                geo_selectors.department_list(user=user).filter(pk=scope.department_id).first()
            )
        elif scope.level is Level.SUBDISTRICT:
            context["communities"] = list(geo_selectors.community_list(user=user))
            context["grid_count"] = geo_selectors.grid_list(user=user).count()
            context["departments"] = list(geo_selectors.department_list(user=user))
    return render(request, f"web/home/{user.role}.html", context)
