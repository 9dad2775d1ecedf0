"""Fixtures for the team assessment: a team on top of the shared Wenyan demo (whose own team and
its month of work are behind DEMO_ASSESSMENT, off in the test settings), and helpers that make
work records through the events and enforcement services, as the members would."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from jiedao.accounts.permissions import SYSTEM
from jiedao.assessment.models import MemberScore, MonthResult, Team, TeamMember, WeightTable
from jiedao.assessment.services import team_create, team_member_add
from jiedao.audit.models import AuditEntry
from jiedao.core.localtime import local_today
from jiedao.enforcement.models import ChecklistItem, Target
from jiedao.enforcement.services import (
    action_create,
    finding_create,
    inspection_plan,
    inspection_transition,
    item_record,
    rectification_recheck,
)
from jiedao.events.models import Event
from jiedao.events.services import event_report, event_transition
from jiedao.events.workflow import Action
from jiedao.geo.geometry import parse_boundary
from jiedao.geo.models import Department, Grid
from tests.factories import UserFactory

HOME_GRID = "330109012001001"


def state() -> tuple[Any, ...]:
    """What a refused call must leave as it was."""
    return (
        Team.objects.count(),
        TeamMember.objects.count(),
        list(WeightTable.objects.order_by("pk").values()),
        MonthResult.objects.count(),
        MemberScore.objects.count(),
        AuditEntry.objects.count(),
    )


def last_month() -> date:
    return (local_today().replace(day=1) - timedelta(days=1)).replace(day=1)


@pytest.fixture
def team(users: dict[str, Any]) -> Team:
    """城管队: led by chengguan, with chengguan, zhifa and 钱测试 (a second city-management
    handler) as members."""
    city = Department.objects.get(code="city-management")
    colleague = UserFactory(
        username="qian",
        full_name="钱测试",
        role="department_handler",
        subdistrict=users["administrator"].subdistrict,
        department=city,
    )
    created = team_create(
        actor=SYSTEM,
        subdistrict_id=users["administrator"].subdistrict_id,
        name="城管队",
        leader_id=users["department_handler"].pk,
        department_id=city.pk,
    )
    for user in (users["department_handler"], users["enforcement_officer"], colleague):
        team_member_add(actor=SYSTEM, team_id=created.pk, user_id=user.pk)
    return Team.objects.select_related("weights", "leader").get(pk=created.pk)


@pytest.fixture
def qian(team: Team) -> Any:
    return team.members.get(user__username="qian").user


def dispatched(*, hours_ago: float = 3, number: int = 0) -> Event:
    """An event in grid 330109012001001, reported, accepted and dispatched to city management
    by the system ``hours_ago`` (so that its handling deadline has passed when that is long)."""
    grid = Grid.objects.get(code=HOME_GRID)
    point = parse_boundary(grid.boundary).representative_point()
    at = timezone.now() - timedelta(hours=hours_ago)
    event = event_report(
        actor=SYSTEM,
        category="E0101",
        description=f"测试事件{number}：路边暴露垃圾",
        lat=point.y,
        lng=point.x,
        source="grid_patrol",
        at=at,
    ).event
    event = event_transition(
        event=event, action=Action.ACCEPT, actor=SYSTEM, at=at + timedelta(minutes=5)
    )
    return event_transition(
        event=event,
        action=Action.DISPATCH,
        actor=SYSTEM,
        at=at + timedelta(minutes=10),
        department=Department.objects.get(code="city-management"),
    )


def handled(event: Event, member: Any, users: dict[str, Any], *, rework: int = 0) -> Event:
    """The member handles and reports back; the grid worker fails it ``rework`` times, then
    passes it."""
    event = event_transition(event=event, action=Action.START_HANDLING, actor=member)
    for _ in range(rework):
        event = event_transition(event=event, action=Action.REPORT_BACK, actor=member, note="好了")
        event = event_transition(
            event=event, action=Action.VERIFY_FAIL, actor=users["grid_worker"], reason="未清理干净"
        )
    event = event_transition(event=event, action=Action.REPORT_BACK, actor=member, note="已处置")
    return event_transition(event=event, action=Action.VERIFY_PASS, actor=users["grid_worker"])


def rated(event: Event, users: dict[str, Any], satisfaction: int) -> Event:
    return event_transition(
        event=event, action=Action.RATE, actor=users["dispatcher"], satisfaction=satisfaction
    )


def returned(event: Event, member: Any) -> Event:
    return event_transition(event=event, action=Action.RETURN, actor=member, reason="非本队职责")


def inspected(officer: Any, *, target_index: int = 0, finding: bool = False) -> Any:
    """A complaint inspection the officer plans, starts, checks and completes today; with a
    finding, the rectification item it becomes."""
    today = local_today()
    action = action_create(
        actor=officer, kind="complaint", title="测试投诉核查", starts_on=today, ends_on=today
    )
    target = Target.objects.order_by("pk")[30 + target_index]
    inspection = inspection_plan(
        actor=officer, action_id=action.pk, target_id=target.pk, planned_on=today
    )
    inspection_transition(actor=officer, inspection_id=inspection.pk, action="start")
    for item in ChecklistItem.objects.filter(inspection=inspection):
        item_record(actor=officer, item_id=item.pk, result="pass")
    found = None
    if finding:
        found = finding_create(
            actor=officer, inspection_id=inspection.pk, description="消防通道堆放杂物"
        )
    inspection_transition(
        actor=officer, inspection_id=inspection.pk, action="complete", text="检查完毕"
    )
    return found or inspection


def rechecked(officer: Any, rectification: Any) -> Any:
    return rectification_recheck(
        actor=officer, rectification_id=rectification.pk, passed=True, notes="已整改"
    )


def moment_in(month: date, day: int = 10, hour: int = 10) -> datetime:
    """A local time in ``month``, for freezing the clock there."""
    return datetime(month.year, month.month, day, hour, tzinfo=timezone.get_current_timezone())
