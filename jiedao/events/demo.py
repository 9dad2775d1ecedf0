"""Demo events for Wenyan, made through the services exactly as the work would have made them.

Two parts, both deterministic (one seeded random generator):

* **2022 first half** — the seed's figures (``shared/seeds/000``: 4234 events collected by the
  grids in half a year, 1059 of them dispatched through 一网统管, closure rate 100%). Grid patrol
  reports spread over the 35 grids, the catalogue and the working days of January–June 2022;
  3175 are resolved on the spot (自行处置), 1059 go report → accept → dispatch → handle → report
  back → verify (a few with rework or an approved extension, many rated). A smaller number of
  12345 hotline, resident and sensor reports of the same months are dispatched and closed too.
  Nothing is stored as a figure: :func:`jiedao.events.figures.event_figures` computes 4234 /
  1059 / 100% from these events.
* **Recent work** — open events of the last days in every state, so that every inbox has work:
  reports for the dispatcher to accept, events dispatched to the city-management team
  (``chengguan``), events reported back in grid 330109012001001 for the grid worker ``wangge``
  to verify, extensions to decide, suspended and overdue ones.

History is back-dated through the services' ``at`` argument, which only
:data:`~jiedao.accounts.permissions.SYSTEM` may pass; the steps therefore carry the system as
actor. Nothing is written to the tables directly.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import shapely
from django.core.files.base import ContentFile
from django.utils import timezone

from jiedao.accounts.permissions import SYSTEM
from jiedao.core import workcalendar
from jiedao.core.localtime import local_time, local_zone
from jiedao.geo.geometry import parse_boundary
from jiedao.geo.lookup import grid_index
from jiedao.geo.models import Department, Grid, Subdistrict

from .models import Category, Event
from .services import event_report, event_transition
from .workflow import Action, Source, Status

SEED = 2022
H1_START = date(2022, 1, 1)
H1_END = date(2022, 6, 30)
# The seed's figures for the first half of 2022.
H1_GRID_COLLECTED = 4234
H1_GRID_DISPATCHED = 1059
# Other sources in the same months (not part of the seed's grid figures).
H1_OTHER_SOURCES = {Source.HOTLINE_12345: 36, Source.RESIDENT: 16, Source.SENSOR: 8}
HOME_GRID = "330109012001001"

# 1×1 PNG: the "after" photo of an on-the-spot resolution (the services require one).
PHOTO = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)

# How often each subcategory turns up on patrol (暴露垃圾 and parking dominate).
CATEGORY_WEIGHTS = {
    "E0101": 18,
    "E0102": 10,
    "E0103": 8,
    "E0104": 7,
    "E0105": 3,
    "E0106": 9,
    "E0201": 7,
    "E0202": 9,
    "E0301": 3,
    "E0302": 2,
    "C0101": 2,
    "C0102": 3,
    "C0103": 2,
    "C0104": 1,
    "E0401": 1,
    "E0402": 2,
    "E0501": 4,
    "E0502": 4,
    "E0503": 3,
    "E0601": 1,
    "E0602": 2,
    "E0701": 2,
    "E0702": 1,
    "E0801": 2,
    "E0802": 2,
    "E0803": 1,
    "E0804": 1,
}
STREETS = [
    "三江路",
    "湘湖路",
    "闻兴路",
    "时代大道",
    "江南大道",
    "老街",
    "长安路",
    "山河路",
    "黄山路",
]
REMARKS = ["", "，已拍照留存", "，居民反映较多", "，需尽快处理", "，早晚高峰明显"]


@dataclass
class DemoWorld:
    rng: random.Random
    subdistrict: Subdistrict
    grids: list[Grid]
    points: dict[str, list[tuple[float, float]]]
    categories: list[Category]
    weights: list[int]
    departments: dict[str, Department]
    zone: ZoneInfo


def _points_in(grid: Grid, rng: random.Random, count: int) -> list[tuple[float, float]]:
    """(lat, lng) points well inside ``grid`` that the grid index places in it."""
    polygon = parse_boundary(grid.boundary)
    inner = polygon.buffer(-0.0002)
    if inner.is_empty:
        inner = polygon
    min_x, min_y, max_x, max_y = inner.bounds
    index = grid_index()
    points: list[tuple[float, float]] = []
    for _attempt in range(count * 50):
        lng, lat = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
        if inner.contains(shapely.Point(lng, lat)) and index.locate(lng, lat) == grid.pk:
            points.append((round(lat, 6), round(lng, 6)))
            if len(points) == count:
                break
    if not points:
        point = polygon.representative_point()
        points.append((point.y, point.x))
    return points


def _world(subdistrict: Subdistrict) -> DemoWorld:
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    grids = list(
        Grid.objects.filter(community__subdistrict=subdistrict)
        .select_related("community")
        .order_by("code")
    )
    categories = list(
        Category.objects.filter(code__in=CATEGORY_WEIGHTS, is_active=True)
        .select_related("parent", "default_department")
        .order_by("code")
    )
    return DemoWorld(
        rng=rng,
        subdistrict=subdistrict,
        grids=grids,
        points={grid.code: _points_in(grid, rng, 12) for grid in grids},
        categories=categories,
        weights=[CATEGORY_WEIGHTS[category.code] for category in categories],
        departments={d.code: d for d in Department.objects.filter(subdistrict=subdistrict)},
        zone=local_zone(),
    )


def _working_days(start: date, end: date) -> list[date]:
    days = []
    day = start
    while day <= end:
        if workcalendar.is_workday(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _moment(world: DemoWorld, day: date) -> datetime:
    """A time on ``day`` during patrol hours (08:30–17:00 local)."""
    minutes = world.rng.randrange(8 * 60 + 30, 17 * 60)
    local = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=world.zone)
    return local.replace(second=world.rng.randrange(60))


def _report(
    world: DemoWorld,
    *,
    at: datetime,
    source: str,
    grid: Grid | None = None,
    category: Category | None = None,
    self_resolved: bool = False,
) -> Event:
    rng = world.rng
    grid = grid or rng.choice(world.grids)
    category = category or rng.choices(world.categories, weights=world.weights)[0]
    lat, lng = rng.choice(world.points[grid.code])
    street = rng.choice(STREETS)
    number = rng.randrange(1, 400)
    outcome = event_report(
        actor=SYSTEM,
        category=category,
        description=f"{street}{number}号附近{category.name}{rng.choice(REMARKS)}",
        lat=lat,
        lng=lng,
        address=f"{street}{number}号",
        source=source,
        reporter_name=""
        if source == Source.SENSOR
        else f"{grid.name}网格员"
        if source == Source.GRID_PATROL
        else "市民",
        self_resolved=self_resolved,
        after_photos=[ContentFile(PHOTO, name="after.png")] if self_resolved else (),
        resolution_note="现场已处置" if self_resolved else "",
        at=at,
    )
    return outcome.event


def _step(
    event: Event,
    action: str,
    at: datetime,
    *,
    department: Department | None = None,
    note: str = "",
    reason: str = "",
    working_days: int | None = None,
    approve: bool | None = None,
    satisfaction: int | None = None,
    deadline: date | None = None,
) -> Event:
    return event_transition(
        event=event,
        action=action,
        actor=SYSTEM,
        at=at,
        department=department,
        note=note,
        reason=reason,
        working_days=working_days,
        deadline=deadline,
        approve=approve,
        satisfaction=satisfaction,
    )


def _spread(start: datetime, end: datetime, shares: Sequence[float]) -> list[datetime]:
    """Moments at cumulative ``shares`` (0..1) of the way from ``start`` to ``end``."""
    span = end - start
    return [start + span * share for share in shares]


def _handle_through(
    world: DemoWorld,
    event: Event,
    *,
    reported_at: datetime,
    latest: datetime,
    department: Department | None = None,
) -> Event:
    """Take a reported event all the way to closure, finishing no later than ``latest``."""
    rng = world.rng
    accepted_at = reported_at + timedelta(minutes=rng.randrange(10, 90))
    event = _step(event, Action.ACCEPT, accepted_at)
    due = event.handle_due_at or accepted_at + timedelta(days=1)
    allowed = max(due - accepted_at, timedelta(hours=1))
    late = rng.random() < 0.06  # a few miss the limit: 按期结案率 below 结案率
    done_share = rng.uniform(1.05, 1.4) if late else rng.uniform(0.25, 0.9)
    finish = min(accepted_at + allowed * done_share + timedelta(hours=2), latest)
    finish = max(finish, accepted_at + timedelta(minutes=30))
    rework = rng.random() < 0.04
    extension = not late and rng.random() < 0.05
    times = iter(_spread(accepted_at, finish, [0.05, 0.15, 0.35, 0.5, 0.6, 0.7, 0.8, 1.0]))
    event = _step(event, Action.DISPATCH, next(times), department=department)
    event = _step(event, Action.START_HANDLING, next(times))
    if extension:
        event = _step(
            event,
            Action.REQUEST_EXTENSION,
            next(times),
            reason="涉及多个产权单位，需协调",
            working_days=rng.choice([2, 3, 5]),
        )
        event = _step(event, Action.DECIDE_EXTENSION, next(times), approve=True)
    if rework:
        event = _step(event, Action.REPORT_BACK, next(times), note="已处置，请核查")
        event = _step(event, Action.VERIFY_FAIL, next(times), reason="现场仍有残留，需返工")
    event = _step(event, Action.REPORT_BACK, next(times), note="已处置完毕，附处置后照片")
    event = _step(event, Action.VERIFY_PASS, finish, note="核查通过")
    if rng.random() < 0.4:
        rating = rng.choices([5, 4, 3, 2], weights=[70, 22, 6, 2])[0]
        event = _step(event, Action.RATE, finish, satisfaction=rating)
    return event


def _first_half_2022(world: DemoWorld) -> dict[str, int]:
    rng = world.rng
    days = _working_days(H1_START, H1_END)
    latest = datetime.combine(H1_END, time(20, 0), tzinfo=world.zone)
    last_dispatch_day = date(2022, 6, 24)
    dispatched = set(rng.sample(range(H1_GRID_COLLECTED), H1_GRID_DISPATCHED))
    moments = sorted(_moment(world, rng.choice(days)) for _ in range(H1_GRID_COLLECTED))
    # Dispatched events need days to be handled: keep them off the last few days of June.
    early = [i for i, moment in enumerate(moments) if moment.date() <= last_dispatch_day]
    late_dispatched = [i for i in dispatched if moments[i].date() > last_dispatch_day]
    spare = [i for i in early if i not in dispatched]
    for index in late_dispatched:
        dispatched.discard(index)
        dispatched.add(spare.pop(rng.randrange(len(spare))))
    for position, moment in enumerate(moments):
        grid = world.grids[position % len(world.grids)] if position < len(world.grids) else None
        if position in dispatched:
            event = _report(world, at=moment, source=Source.GRID_PATROL, grid=grid)
            _handle_through(world, event, reported_at=moment, latest=latest)
        else:
            _report(world, at=moment, source=Source.GRID_PATROL, grid=grid, self_resolved=True)
    other = 0
    for source, count in H1_OTHER_SOURCES.items():
        for _ in range(count):
            moment = _moment(world, rng.choice([d for d in days if d <= last_dispatch_day]))
            event = _report(world, at=moment, source=source)
            _handle_through(world, event, reported_at=moment, latest=latest)
            other += 1
    return {
        "grid_collected": H1_GRID_COLLECTED,
        "grid_dispatched": H1_GRID_DISPATCHED,
        "other_sources": other,
    }


def _recent(world: DemoWorld, now: datetime) -> int:
    """Open work of the last days, in every state, so that every inbox has something."""
    rng = world.rng
    home = next(grid for grid in world.grids if grid.code == HOME_GRID)
    city = world.departments.get("city-management")
    created = 0

    def at(hours_ago: float) -> datetime:
        return now - timedelta(hours=hours_ago)

    sources = [Source.GRID_PATROL, Source.RESIDENT, Source.HOTLINE_12345, Source.SENSOR]
    # For the dispatcher: reports waiting for acceptance.
    for n in range(8):
        _report(
            world,
            at=at(1 + n * 2.5),
            source=sources[n % len(sources)],
            grid=home if n < 2 else None,
        )
        created += 1
    # Accepted, waiting to be dispatched; the first was returned by the department it went to.
    for n in range(4):
        event = _report(world, at=at(30 + n * 5), source=sources[n % len(sources)])
        event = _step(event, Action.ACCEPT, at(29 + n * 5))
        if n == 0:
            event = _step(event, Action.DISPATCH, at(28.5), department=city)
            _step(event, Action.RETURN, at(27), reason="该路段属于执法队管辖，非本部门职责")
        created += 1
    # For chengguan: dispatched to city management, some being handled, one overdue.
    city_categories = [c for c in world.categories if c.code in {"E0101", "E0102", "E0106"}]
    for n in range(6):
        reported = at(20 + n * 9 if n < 5 else 24 * 6)
        event = _report(
            world,
            at=reported,
            source=sources[n % 3],
            category=rng.choice(city_categories),
            grid=home if n % 2 else None,
        )
        event = _step(event, Action.ACCEPT, reported + timedelta(minutes=20))
        event = _step(event, Action.DISPATCH, reported + timedelta(minutes=40), department=city)
        if n in (1, 3):
            _step(event, Action.START_HANDLING, reported + timedelta(hours=2))
        if n == 5:
            # The overdue one is supervised (督办), to be answered within two days.
            supervised = at(4)
            _step(
                event,
                Action.SUPERVISE,
                supervised,
                note="居民反映强烈，请尽快处置",
                deadline=local_time(supervised).date() + timedelta(days=2),
            )
        created += 1
    # An extension request for the dispatcher to decide.
    event = _report(world, at=at(50), source=Source.GRID_PATROL, category=city_categories[1])
    event = _step(event, Action.ACCEPT, at(49))
    event = _step(event, Action.DISPATCH, at(48.5), department=city)
    event = _step(event, Action.START_HANDLING, at(46))
    _step(event, Action.REQUEST_EXTENSION, at(3), reason="需协调物业清运", working_days=2)
    created += 1
    # For wangge: reported back in the home grid, to verify.
    for n in range(3):
        reported = at(28 + n * 7)
        event = _report(
            world,
            at=reported,
            source=Source.GRID_PATROL,
            grid=home,
            category=city_categories[n % len(city_categories)],
        )
        event = _step(event, Action.ACCEPT, reported + timedelta(minutes=15))
        event = _step(event, Action.DISPATCH, reported + timedelta(minutes=30), department=city)
        event = _step(event, Action.START_HANDLING, reported + timedelta(hours=1))
        _step(event, Action.REPORT_BACK, reported + timedelta(hours=3), note="已清理完毕")
        created += 1
    # Other departments at work, a suspended long-term case, and some closed recently.
    for n in range(6):
        reported = at(12 + n * 11)
        event = _report(world, at=reported, source=sources[n % len(sources)])
        created += 1
        if n >= 4:
            latest = min(reported + timedelta(hours=8), at(0.5))
            _handle_through(world, event, reported_at=reported, latest=latest)
            continue
        event = _step(event, Action.ACCEPT, reported + timedelta(minutes=25))
        event = _step(event, Action.DISPATCH, reported + timedelta(minutes=50))
        if n == 0:
            _step(event, Action.SUSPEND, reported + timedelta(hours=3), reason="待征迁后处置")
        else:
            _step(event, Action.START_HANDLING, reported + timedelta(hours=2))
    for n in range(10):
        _report(world, at=at(5 + n * 13), source=Source.GRID_PATROL, self_resolved=True)
        created += 1
    return created


def demo_events_load(
    *, subdistrict: Subdistrict, now: datetime | None = None, history: bool = True
) -> dict[str, int]:
    """Create Wenyan's demo events through the services (see the module docstring). Returns
    how many were created. Meant to run once, right after the demo's users exist. Without
    ``history`` only the open work of the last days is made (what every inbox needs), not the
    4,234 events of 2022's first half."""
    if Event.objects.filter(subdistrict=subdistrict).exists():
        return {"events": 0}
    now = now or timezone.now()
    world = _world(subdistrict)
    counts = _first_half_2022(world) if history else {}
    counts["recent"] = _recent(world, now - timedelta(minutes=10))
    counts["events"] = Event.objects.filter(subdistrict=subdistrict).count()
    return counts


def demo_open_statuses(*, subdistrict: Subdistrict) -> dict[str, int]:
    """How many open events of each status the demo left (for the loader's summary)."""
    counts: dict[str, int] = {}
    for status in (
        Event.objects.filter(subdistrict=subdistrict).open().values_list("status", flat=True)
    ):
        counts[status] = counts.get(status, 0) + 1
    return {key: counts[key] for key in Status.values if key in counts}
