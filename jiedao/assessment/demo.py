"""The Wenyan team for the demo: 城市综合管理队 (the city-management team), assessed under Wenyan's
《城市综合管理队队员考核办法》 (seed 000), and this month's work of its members.

The team is the demo's own 城管 and 执法 users (``chengguan``, its leader, and ``zhifa``) and four
members made up for the demo, whose names say so (“（示例数据）”) and whose membership is flagged
``is_synthetic``. Their work is made through the events and enforcement services **as the members
themselves**, today: events dispatched to city management that each member handles, some late
(their deadline passed while they waited), some sent back for rework by the grid worker
``wangge`` or returned to the dispatcher, rated by the dispatcher; inspections completed and
rectification items re-checked by the enforcement officers. The scores of the month are then
computed from these records like any other — nothing is typed in. (The events demo's back-dated
history is recorded by the system, not by a person, so it counts for no member.)
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from jiedao.accounts.models import User
from jiedao.accounts.permissions import SYSTEM
from jiedao.accounts.services import user_create
from jiedao.core.localtime import local_today
from jiedao.demo import wenyan
from jiedao.enforcement.models import ChecklistItem, Rectification, Target
from jiedao.enforcement.services import (
    action_create,
    inspection_plan,
    inspection_transition,
    item_record,
    rectification_recheck,
)
from jiedao.enforcement.workflow import ActionKind, ItemResult, RectificationStatus
from jiedao.events.models import Category, Event
from jiedao.events.services import event_report, event_transition
from jiedao.events.workflow import Action, Source
from jiedao.geo.geometry import parse_boundary
from jiedao.geo.models import Department, Grid, Subdistrict

from .models import Team
from .services import team_create, team_member_add

SYNTHETIC = "（示例数据）"
TEAM_NAME = "城市综合管理队"
HOME_GRID = "330109012001001"
# username, full name, role, department code
SYNTHETIC_MEMBERS = [
    ("cg-qian", f"钱志远{SYNTHETIC}", "department_handler", "city-management"),
    ("cg-sun", f"孙海燕{SYNTHETIC}", "department_handler", "city-management"),
    ("cg-li", f"李建国{SYNTHETIC}", "department_handler", "city-management"),
    ("zf-wu", f"吴晓东{SYNTHETIC}", "enforcement_officer", "enforcement"),
]


@dataclass(frozen=True)
class Case:
    """One event a member works on this month."""

    late: bool = False  # reported and dispatched three weeks ago: its deadline has passed
    rework: bool = False  # the grid worker sends it back once (返工)
    returned: bool = False  # the member returns it to the dispatcher (退回)
    rating: int | None = None  # the dispatcher's rating after closure


OK, LATE, REWORK, RETURN = Case(), Case(late=True), Case(rework=True), Case(returned=True)
# username → the events they work on this month (different mixes give a ranking to read).
EVENT_WORK: dict[str, list[Case]] = {
    "chengguan": [Case(rating=5), OK, REWORK, Case(late=True, rating=4)],
    "cg-qian": [Case(rating=5), Case(rating=4), OK, RETURN],
    "cg-sun": [OK, LATE, Case(late=True, rating=2)],
    "cg-li": [Case(rating=4), Case(rework=True, rating=2), RETURN, OK, OK],
}
# username → (inspections completed, rectification items re-checked) this month
ENFORCEMENT_WORK = {"zhifa": (2, 1), "zf-wu": (1, 1)}
CATEGORIES = ("E0101", "E0102", "E0106")


def _members(subdistrict: Subdistrict) -> dict[str, User]:
    departments = {d.code: d for d in Department.objects.filter(subdistrict=subdistrict)}
    for username, full_name, role, department in SYNTHETIC_MEMBERS:
        user_create(
            actor=SYSTEM,
            username=username,
            password=wenyan.DEMO_PASSWORD,
            role=role,
            full_name=full_name,
            phone="13800138000",
            subdistrict=subdistrict,
            department=departments[department],
        )
    names = ["chengguan", "zhifa", *[member[0] for member in SYNTHETIC_MEMBERS]]
    return {user.username: user for user in User.objects.filter(username__in=names)}


def _event(
    member: User, case: Case, number: int, grid: Grid, point: tuple[float, float], now: datetime
) -> Event:
    category = Category.objects.get(code=CATEGORIES[number % len(CATEGORIES)])
    reported = (
        now - (timedelta(days=21) if case.late else timedelta(hours=3)) + timedelta(minutes=number)
    )
    event = event_report(
        actor=SYSTEM,
        category=category,
        description=f"{SYNTHETIC}三江路{10 + number}号附近{category.name}",
        lat=point[0],
        lng=point[1],
        address=f"三江路{10 + number}号",
        source=Source.GRID_PATROL,
        reporter_name=f"{grid.name}网格员",
        at=reported,
    ).event
    city = Department.objects.get(
        subdistrict_id=grid.community.subdistrict_id, code="city-management"
    )
    event = event_transition(
        event=event, action=Action.ACCEPT, actor=SYSTEM, at=reported + timedelta(minutes=10)
    )
    event = event_transition(
        event=event,
        action=Action.DISPATCH,
        actor=SYSTEM,
        at=reported + timedelta(minutes=20),
        department=city,
    )
    if case.returned:
        return event_transition(
            event=event, action=Action.RETURN, actor=member, reason="属物业管理范围，非本队职责"
        )
    event = event_transition(event=event, action=Action.START_HANDLING, actor=member)
    return event


def _finish(event: Event, member: User, case: Case, verifier: User, dispatcher: User) -> None:
    if case.returned:
        return
    if case.rework:
        event = event_transition(
            event=event, action=Action.REPORT_BACK, actor=member, note="已清理，请核查"
        )
        event = event_transition(
            event=event, action=Action.VERIFY_FAIL, actor=verifier, reason="现场仍有残留，需返工"
        )
    event = event_transition(
        event=event, action=Action.REPORT_BACK, actor=member, note="已处置完毕，附处置后照片"
    )
    event = event_transition(
        event=event, action=Action.VERIFY_PASS, actor=verifier, note="核查通过"
    )
    if case.rating is not None:
        event_transition(
            event=event, action=Action.RATE, actor=dispatcher, satisfaction=case.rating
        )


def _events_work(subdistrict: Subdistrict, members: dict[str, User]) -> int:
    grid = Grid.objects.select_related("community").get(code=HOME_GRID)
    inside = parse_boundary(grid.boundary).representative_point()
    verifier = User.objects.get(username="wangge")
    dispatcher = User.objects.get(username="zhihui")
    now = timezone.now()
    number = 0
    for username, cases in EVENT_WORK.items():
        for case in cases:
            event = _event(members[username], case, number, grid, (inside.y, inside.x), now)
            _finish(event, members[username], case, verifier, dispatcher)
            number += 1
    return number


def _enforcement_work(subdistrict: Subdistrict, members: dict[str, User]) -> int:
    today = local_today()
    targets = list(Target.objects.filter(subdistrict=subdistrict).order_by("pk")[10:20])
    open_items = list(
        Rectification.objects.filter(
            inspection__action__subdistrict=subdistrict, status=RectificationStatus.OPEN
        ).order_by("deadline", "pk")
    )
    done = 0
    for username, (inspections, rechecks) in ENFORCEMENT_WORK.items():
        officer = members[username]
        action = action_create(
            actor=officer,
            kind=ActionKind.COMPLAINT,
            title=f"{SYNTHETIC}{today:%-m月}投诉核查（{officer.display_name}）",
            starts_on=today,
            ends_on=today,
            is_synthetic=True,
        )
        for _ in range(inspections):
            inspection = inspection_plan(
                actor=officer, action_id=action.pk, target_id=targets.pop(0).pk, planned_on=today
            )
            inspection_transition(actor=officer, inspection_id=inspection.pk, action="start")
            for item in ChecklistItem.objects.filter(inspection=inspection).order_by("pk"):
                item_record(actor=officer, item_id=item.pk, result=ItemResult.PASS)
            inspection_transition(
                actor=officer,
                inspection_id=inspection.pk,
                action="complete",
                text=f"{SYNTHETIC}投诉事项经现场核查未发现问题。",
            )
            done += 1
        for _ in range(rechecks):
            if not open_items:
                break
            rectification_recheck(
                actor=officer,
                rectification_id=open_items.pop(0).pk,
                passed=True,
                notes=f"{SYNTHETIC}复查已整改到位。",
            )
            done += 1
    return done


def assessment_demo_load(*, subdistrict: Subdistrict) -> dict[str, int]:
    """The team, its members and this month's work. Loading twice changes nothing."""
    if Team.objects.filter(subdistrict=subdistrict, name=TEAM_NAME).exists():
        return {"created": 0}
    members = _members(subdistrict)
    team = team_create(
        actor=SYSTEM,
        subdistrict_id=subdistrict.pk,
        name=TEAM_NAME,
        leader_id=members["chengguan"].pk,
        department_id=Department.objects.get(subdistrict=subdistrict, code="city-management").pk,
    )
    synthetic = {member[0] for member in SYNTHETIC_MEMBERS}
    for username, user in sorted(members.items()):
        team_member_add(
            actor=SYSTEM, team_id=team.pk, user_id=user.pk, is_synthetic=username in synthetic
        )
    return {
        "created": 1,
        "members": len(members),
        "events": _events_work(subdistrict, members),
        "enforcement": _enforcement_work(subdistrict, members),
    }
