"""Duplicate reports: an open event of the same category close by, reported recently.

A candidate for an event is another event that

* is open (not closed, rejected or merged) and not itself merged,
* has the same category,
* lies within ``settings.EVENT_DUPLICATE_RADIUS_METRES`` (50 m) — great-circle distance on the
  stored WGS-84 coordinates,
* was reported within ``settings.EVENT_DUPLICATE_WINDOW_HOURS`` (72 h) before or after it.

The database narrows by a bounding box first, then computes the great-circle distance itself, keeps
those within the radius and answers the nearest ``settings.EVENT_DUPLICATE_CANDIDATES_SHOWN`` (5)
with ``ORDER BY distance LIMIT``, plus a count of the rest: the work of one report stays bounded
however many open events crowd one spot (a resident can report the same place a thousand times).
The answer links to the staff event list filtered to the category, grid and window, where the
rest can be seen. Candidates are offered on creation and in the dispatcher's view; the ``merge``
action makes the duplicate follow the primary's outcome (see :mod:`jiedao.events.workflow`).
"""

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import F, FloatField, QuerySet, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt
from django.urls import reverse
from django.utils import timezone

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


def distance_expression(lat: float, lng: float) -> CombinedExpression:
    """:func:`distance_metres` from (``lat``, ``lng``) to each row's point, as SQL, so that the
    database orders and limits by it (SQLite gets the functions from Django's backend)."""
    lat_radians = math.radians(lat)
    half_d_lat = Sin((Radians(F("lat")) - Value(lat_radians)) / Value(2.0))
    half_d_lng = Sin((Radians(F("lng")) - Value(math.radians(lng))) / Value(2.0))
    haversine = Power(half_d_lat, 2) + Value(math.cos(lat_radians)) * Cos(
        Radians(F("lat"))
    ) * Power(half_d_lng, 2)
    return CombinedExpression(
        Value(2 * EARTH_RADIUS_METRES),
        "*",
        ASin(Sqrt(haversine)),
        output_field=FloatField(),
    )


@dataclass(frozen=True)
class Candidate:
    event: Event
    distance_metres: float


@dataclass(frozen=True)
class Candidates:
    """The nearest candidates (at most the configured number), how many there are in all, and
    where to see every one of them. Iterating gives the nearest ones."""

    items: list[Candidate]
    total: int
    see_all_url: str

    @property
    def more(self) -> int:
        """How many candidates are not listed."""
        return self.total - len(self.items)

    def __iter__(self) -> Iterator[Candidate]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


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


def see_all_url(*, category_code: str, grid_code: str, reported_at: datetime) -> str:
    """The staff event list filtered to where candidates lie: open events of the category (in
    the grid when known) reported within the window around ``reported_at``."""
    window = timedelta(hours=float(settings.EVENT_DUPLICATE_WINDOW_HOURS))
    query = {
        "status": "open",
        "category": category_code,
        "grid": grid_code,
        "from": timezone.localdate(reported_at - window).isoformat(),
        "until": timezone.localdate(reported_at + window).isoformat(),
    }
    return reverse("events:inbox") + "?" + urlencode({k: v for k, v in query.items() if v})


def find_candidates(
    visible_events: Callable[[], QuerySet[Event]],
    *,
    category_id: int,
    lat: float,
    lng: float,
    reported_at: datetime,
    exclude_id: int | None = None,
    limit: int | None = None,
    see_all: str = "",
) -> Candidates:
    """The nearest ``limit`` (``settings.EVENT_DUPLICATE_CANDIDATES_SHOWN``) candidates among
    the events the user may see, nearest first, with the number of them all. ``visible_events``
    gives them (narrowed to the user's scope); it is called only when anything at all is near.
    At most three statements, whatever the number of events nearby."""
    shown = settings.EVENT_DUPLICATE_CANDIDATES_SHOWN if limit is None else limit
    radius = float(settings.EVENT_DUPLICATE_RADIUS_METRES)
    neighbourhood = Neighbourhood.around(category_id, lat, lng, reported_at)
    if neighbourhood.is_empty(exclude_id):
        return Candidates([], 0, see_all)
    nearby = neighbourhood.filter(visible_events())
    if exclude_id is not None:
        nearby = nearby.exclude(pk=exclude_id)
    close = nearby.annotate(distance=distance_expression(lat, lng)).filter(distance__lte=radius)
    # One more than shown tells whether the rest must be counted at all.
    nearest = list(
        close.select_related(
            "category__parent", "grid", "community", "responsible_department"
        ).order_by("distance", "pk")[: shown + 1]
    )
    total = len(nearest) if len(nearest) <= shown else close.count()
    items = [Candidate(event, event.distance) for event in nearest[:shown]]
    return Candidates(items, total, see_all)
