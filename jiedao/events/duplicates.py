"""Duplicate reports: an open event of the same category close by, reported recently.

A candidate for an event is another event that

* is open (not closed, rejected or merged) and not itself merged,
* has the same category,
* lies within ``settings.EVENT_DUPLICATE_RADIUS_METRES`` (50 m) — great-circle distance on the
  stored WGS-84 coordinates,
* was reported within ``settings.EVENT_DUPLICATE_WINDOW_HOURS`` (72 h) before or after it.

The database narrows by a bounding box first; the exact distance is computed in Python. Candidates
are offered on creation and in the dispatcher's view; the ``merge`` action makes the duplicate
follow the primary's outcome (see :mod:`jiedao.events.workflow`).
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet

from .models import Event
from .workflow import OPEN_STATES

EARTH_RADIUS_METRES = 6_371_008.8


def distance_metres(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle (haversine) distance between two WGS-84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(math.sqrt(min(1.0, a)))


@dataclass(frozen=True)
class Candidate:
    event: Event
    distance_metres: float


def find_candidates(
    events: QuerySet[Event],
    *,
    category_id: int,
    lat: float,
    lng: float,
    reported_at: datetime,
    exclude_id: int | None = None,
) -> list[Candidate]:
    """Candidates among ``events`` (already narrowed to what the user may see), nearest first."""
    radius = float(settings.EVENT_DUPLICATE_RADIUS_METRES)
    window = timedelta(hours=float(settings.EVENT_DUPLICATE_WINDOW_HOURS))
    d_lat = math.degrees(radius / EARTH_RADIUS_METRES)
    d_lng = d_lat / max(math.cos(math.radians(lat)), 0.01)
    nearby = events.filter(
        category_id=category_id,
        status__in=sorted(OPEN_STATES),  # as in the index events_open_place
        lat__range=(lat - d_lat, lat + d_lat),
        lng__range=(lng - d_lng, lng + d_lng),
        created_at__range=(reported_at - window, reported_at + window),
    )
    if exclude_id is not None:
        nearby = nearby.exclude(pk=exclude_id)
    # Most reports have no candidate (every new report asks): first the bare points, then the
    # few events close enough, with what their summaries show.
    distances = {
        pk: distance_metres(lat, lng, event_lat, event_lng)
        for pk, event_lat, event_lng in nearby.order_by().values_list("pk", "lat", "lng")
    }
    close = {pk: distance for pk, distance in distances.items() if distance <= radius}
    if not close:
        return []
    related = events.filter(pk__in=close).select_related(
        "category__parent", "grid", "community", "responsible_department"
    )
    candidates = [Candidate(event, close[event.pk]) for event in related]
    candidates.sort(key=lambda candidate: (candidate.distance_metres, candidate.event.pk))
    return candidates
