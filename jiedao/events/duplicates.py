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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
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


@dataclass(frozen=True)
class Neighbourhood:
    """Where and when a duplicate of a report would lie: the bounding box of the radius around
    its point, and the window around its time, for one category."""

    category_id: int
    lat: tuple[float, float]
    lng: tuple[float, float]
    created_at: tuple[datetime, datetime]

    @classmethod
    def around(cls, category_id: int, lat: float, lng: float, at: datetime) -> "Neighbourhood":
        radius = float(settings.EVENT_DUPLICATE_RADIUS_METRES)
        window = timedelta(hours=float(settings.EVENT_DUPLICATE_WINDOW_HOURS))
        d_lat = math.degrees(radius / EARTH_RADIUS_METRES)
        d_lng = d_lat / max(math.cos(math.radians(lat)), 0.01)
        return cls(
            category_id,
            (lat - d_lat, lat + d_lat),
            (lng - d_lng, lng + d_lng),
            (at - window, at + window),
        )

    def is_empty(self, exclude_id: int | None) -> bool:
        """Whether no open event at all (whoever may see it) lies here: one statement on the
        index events_open_place, without the ORM's cost of building a query. Every report asks,
        and most find nothing."""
        table = Event._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {table} WHERE category_id = %s AND status IN ({OPEN_PLACEHOLDERS}) "  # noqa: S608
                "AND lat BETWEEN %s AND %s AND lng BETWEEN %s AND %s "
                "AND created_at BETWEEN %s AND %s AND id <> %s LIMIT 1",
                [
                    self.category_id,
                    *OPEN_STATUSES,
                    *self.lat,
                    *self.lng,
                    *(connection.ops.adapt_datetimefield_value(at) for at in self.created_at),
                    exclude_id or 0,
                ],
            )
            return cursor.fetchone() is None

    def filter(self, events: QuerySet[Event]) -> QuerySet[Event]:
        return events.filter(
            category_id=self.category_id,
            status__in=OPEN_STATUSES,
            lat__range=self.lat,
            lng__range=self.lng,
            created_at__range=self.created_at,
        )


OPEN_STATUSES = sorted(OPEN_STATES)  # in the order of the index events_open_place's condition
OPEN_PLACEHOLDERS = ", ".join(["%s"] * len(OPEN_STATUSES))


def find_candidates(
    visible_events: Callable[[], QuerySet[Event]],
    *,
    category_id: int,
    lat: float,
    lng: float,
    reported_at: datetime,
    exclude_id: int | None = None,
) -> list[Candidate]:
    """Candidates among the events the user may see, nearest first. ``visible_events`` gives
    them (narrowed to the user's scope); it is called only when anything at all is near."""
    radius = float(settings.EVENT_DUPLICATE_RADIUS_METRES)
    neighbourhood = Neighbourhood.around(category_id, lat, lng, reported_at)
    if neighbourhood.is_empty(exclude_id):
        return []
    events = visible_events()
    nearby = neighbourhood.filter(events)
    if exclude_id is not None:
        nearby = nearby.exclude(pk=exclude_id)
    # First the bare points, then the few events close enough, with what summaries show.
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
