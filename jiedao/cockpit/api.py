"""The cockpit API (``/api/cockpit/``): the same board the wall screen shows."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from .board import cockpit_board, parse_day
from .schemas import BoardOut

router = Router(tags=["cockpit"])


@router.get("/", response=BoardOut, summary="The leaders' cockpit: every app's figures")
def board(request: HttpRequest, day: str | None = None) -> dict[str, Any]:
    """Each app's panel (key figures with their targets, trends, rankings) and the map layers
    (a count per grid code), for ``day`` (YYYY-MM-DD, default today; not a day to come). For
    leaders, dispatchers and administrators; other roles get 403."""
    return cockpit_board(user=request.user, day=parse_day(day)).data
