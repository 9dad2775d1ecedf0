"""The wall screen (``/cockpit/``) and the partial it polls every minute.

The page draws the map's grids and the charts once; the partial (``live/``) brings new figures
in place of the old every ``REFRESH_SECONDS`` (HTMX polling), with the board's data for the map
and the charts, which redraw without reloading — a wall screen must not flicker.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from jiedao.accounts.permissions import can, require
from jiedao.core.http import JiedaoRequest
from jiedao.geo import selectors as geo_selectors
from jiedao.web.errors import render_application_errors

from .board import cockpit_board, parse_day

REFRESH_SECONDS = 60


def _context(request: JiedaoRequest) -> dict[str, Any]:
    require(request.user, "cockpit.view")
    day_param = request.GET.get("day", "")
    board = cockpit_board(user=request.user, day=parse_day(day_param))
    query = f"?{urlencode({'day': day_param})}" if day_param else ""
    return {"board": board, "data": board.data, "query": query, "refresh": REFRESH_SECONDS}


@login_required
@render_application_errors
def page(request: JiedaoRequest) -> HttpResponse:
    context = _context(request)
    grids = (
        geo_selectors.grids_feature_collection(user=request.user)
        if can(request.user, "geo.view")
        else {"type": "FeatureCollection", "features": []}
    )
    context["grids"] = grids
    context["tile_url"] = settings.MAP_TILE_URL
    context["trends"] = [trend for panel in context["data"]["panels"] for trend in panel["trends"]]
    return render(request, "cockpit/page.html", context)


@render_application_errors
def live(request: JiedaoRequest) -> HttpResponse:
    """The figures for the next refresh. A screen whose session has ended is sent to sign in as
    a whole page (HTMX would otherwise swap the sign-in form in place of the figures)."""
    if not request.user.is_authenticated:
        return HttpResponseClientRedirect(
            f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': reverse('cockpit:page')})}"
        )
    return render(request, "cockpit/_live.html", _context(request))
