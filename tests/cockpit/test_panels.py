"""Each app's cockpit panel and map layer: exact figures against records made here through the
services, in a constant number of statements."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from jiedao.accounts.permissions import SYSTEM
from jiedao.community import cockpit as community_cockpit
from jiedao.community.ledger import fund_create, fund_entry_book
from jiedao.community.models import FundEntry, NeedGroup
from jiedao.community.services import need_groups_ensure, need_raise, need_transition
from jiedao.core.localtime import local_today
from jiedao.enforcement import cockpit as enforcement_cockpit
from jiedao.enforcement.models import ChecklistItem, Rectification
from jiedao.enforcement.services import (
    action_create,
    inspection_plan,
    inspection_transition,
    item_record,
    rectification_recheck,
)
from jiedao.enforcement.workflow import ActionKind, ItemResult
from jiedao.events import cockpit as events_cockpit
from jiedao.geo.models import Community, Department, Grid, Subdistrict
from jiedao.sensors import cockpit as sensors_cockpit
from jiedao.sensors.models import Device
from jiedao.sensors.services import messages_ingest
from jiedao.supervision import cockpit as supervision_cockpit
from jiedao.supervision.models import Plan
from jiedao.supervision.selectors import period_list, status_counts, task_rows
from tests.events.conftest import HOME_GRID, OTHER_GRID, report
from tests.events.figures_scenario import march_events  # noqa: F401 - the "march" fixture
from tests.sensors.helpers import message, probes_create

SHANGHAI = ZoneInfo("Asia/Shanghai")


def kpis(panel: Any) -> dict[str, Any]:
    return {kpi.key: kpi.value for kpi in panel.kpis}


def test_events_panel_counts_the_march_scenario(march: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(4):
        panel = events_cockpit.cockpit_panel(date(2022, 3, 31))

    # Open: D (extended, handling), F (accepted on the 31st), G (February, never accepted).
    # Overdue at the end of March: D past its extended limit, G past its acceptance limit.
    # Closed in March: A (on the spot), B, C. The 30 days are 2 to 31 March: B, C, D, E, F;
    # due are B (on time), C (late) and D (overdue): 1 of 3 on time.
    assert kpis(panel) == {
        "events.open": 3,
        "events.overdue": 2,
        "events.reported_today": 1,
        "events.closed_this_month": 3,
        "events.on_time_rate": 33.3,
    }
    assert [(str(label), value) for label, value in panel.rankings[0].rows] == [
        ("三江社区", 100.0),
        ("南岸社区", 0.0),
    ]
    trend = panel.trends[0]
    assert (trend.labels[0], trend.labels[-1], len(trend.labels)) == ("03-02", "03-31", 30)
    reported, closed = (list(series.values) for series in trend.series)
    assert {trend.labels[i]: n for i, n in enumerate(reported) if n} == {
        "03-02": 1,
        "03-03": 1,
        "03-04": 1,
        "03-05": 1,
        "03-31": 1,
    }
    assert {trend.labels[i]: n for i, n in enumerate(closed) if n} == {"03-02": 1, "03-10": 1}


def test_events_layer_counts_open_events_per_grid(
    march: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        layer = events_cockpit.open_events_by_grid(date(2022, 3, 31))

    grids = dict(Grid.objects.filter(code__in=[HOME_GRID, OTHER_GRID]).values_list("code", "pk"))
    assert layer.key == "events.open"
    assert layer.by_grid == {grids[HOME_GRID]: 2, grids[OTHER_GRID]: 1}


def test_events_statements_do_not_grow_with_the_events(
    users: Any, django_assert_num_queries: Any
) -> None:
    for hour in range(9, 15):
        report(at=datetime(2022, 3, 31, hour, tzinfo=SHANGHAI))

    with django_assert_num_queries(4):
        panel = events_cockpit.cockpit_panel(date(2022, 3, 31))

    assert kpis(panel)["events.reported_today"] == 6


def test_key_tasks_panel_of_the_demo_plan(wenyan_demo: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(5):
        panel = supervision_cockpit.cockpit_panel(date(2023, 9, 30))

    assert str(panel.title) == "2023年重点任务"
    assert kpis(panel) == {
        "supervision.running": 17,
        "supervision.overdue": 0,
        "supervision.done": 2,
    }
    assert str(panel.kpis[0].note) == "其中未达序时进度 6"
    assert panel.kpis[2].target == 19
    # The supervision page's own counts on the same day.
    plan = Plan.objects.get(year=2023)
    rows = task_rows(user=SYSTEM, plan=plan, as_of=date(2023, 9, 30))
    assert {status: n for status, _label, n in status_counts(rows)} == {
        "done": 2,
        "on_schedule": 11,
        "behind": 6,
        "not_started": 0,
        "overdue": 0,
    }
    assert len(period_list(plan)) == 4


def test_key_tasks_after_the_plan_year_are_judged_at_its_end(wenyan_demo: Any) -> None:
    panel = supervision_cockpit.cockpit_panel(date(2026, 3, 1))

    assert kpis(panel) == {
        "supervision.running": 0,
        "supervision.overdue": 17,
        "supervision.done": 2,
    }


def test_no_key_tasks_panel_before_any_plan(wenyan_demo: Any) -> None:
    assert supervision_cockpit.cockpit_panel(date(2022, 6, 30)) is None


def _visit(day: date, failures: list[int]) -> list[Rectification]:
    """A joint visit on ``day``: one failed item per entry of ``failures`` (its working days)."""
    enforcement = Department.objects.get(code="enforcement")
    action = action_create(
        actor=SYSTEM,
        kind=ActionKind.JOINT,
        title="测试综合查一次",
        starts_on=day,
        ends_on=day,
        lead_department_id=enforcement.pk,
    )
    target = action.subdistrict.enforcement_targets.order_by("pk").last()
    inspection = inspection_plan(
        actor=SYSTEM, action_id=action.pk, target_id=target.pk, planned_on=day
    )
    moment = datetime.combine(day, datetime.min.time(), tzinfo=SHANGHAI)
    inspection_transition(
        actor=SYSTEM,
        inspection_id=inspection.pk,
        action="start",
        now=moment + timedelta(hours=9),
    )
    items = list(ChecklistItem.objects.filter(inspection=inspection).order_by("pk"))
    for index, item in enumerate(items):
        days = failures[index] if index < len(failures) else None
        item_record(
            actor=SYSTEM,
            item_id=item.pk,
            result=ItemResult.FAIL if days else ItemResult.PASS,
            notes="现场发现问题" if days else "",
            working_days=days,
            now=moment + timedelta(hours=10, minutes=index),
        )
    inspection_transition(
        actor=SYSTEM,
        inspection_id=inspection.pk,
        action="complete",
        text="检查发现问题，已责令限期整改。",
        now=moment + timedelta(hours=11),
    )
    return list(Rectification.objects.filter(inspection=inspection).order_by("pk"))


def test_enforcement_panel(wenyan_demo: Any, django_assert_num_queries: Any) -> None:
    # The demo's own work is of today: one item being rectified (its late one was escalated to a
    # case), not due in 2024.
    short, long, fixed = _visit(date(2024, 5, 6), failures=[3, 30, 5])
    rectification_recheck(
        actor=SYSTEM,
        rectification_id=fixed.pk,
        passed=True,
        notes="已整改到位",
        now=datetime(2024, 5, 20, 15, tzinfo=SHANGHAI),
    )

    with django_assert_num_queries(2):
        panel = enforcement_cockpit.cockpit_panel(date(2024, 5, 31))

    assert kpis(panel) == {
        "enforcement.inspections_this_month": 1,
        "enforcement.rectifications_open": 3,
        "enforcement.rectifications_overdue": 1,
    }
    assert [str(kpi.note) for kpi in panel.kpis[:2]] == ["另有待检查 0", "本月已整改 1"]
    assert (short.deadline < datetime(2024, 6, 1, tzinfo=SHANGHAI)) is True
    assert (long.deadline > datetime(2024, 6, 1, tzinfo=SHANGHAI)) is True


def test_community_panel(wenyan_demo: Any, django_assert_num_queries: Any) -> None:
    need_groups_ensure(actor=SYSTEM)
    community = Community.objects.get(name="三江社区")
    group = NeedGroup.objects.order_by("position").first()
    needs = [
        need_raise(actor=SYSTEM, community=community, group=group, source="visit", title=f"需求{n}")
        for n in range(5)
    ]
    for need in needs[1:]:
        need_transition(actor=SYSTEM, need=need, action="assess")
    organisation_department = Department.objects.get(code="agriculture")
    for need in needs[2:]:
        need_transition(
            actor=SYSTEM,
            need=need,
            action="match",
            match_kind="department",
            department=organisation_department,
        )
    need_transition(actor=SYSTEM, need=needs[4], action="meet")
    subdistrict = Subdistrict.objects.get()
    fund = fund_create(
        actor=SYSTEM, subdistrict_id=subdistrict.pk, name="安居乐堰", size=Decimal(10_000_000)
    )
    fund_entry_book(
        actor=SYSTEM,
        fund=fund,
        kind=FundEntry.Kind.INJECTION,
        amount=Decimal(2_000_000),
        description="首期注资",
        booked_on=date(2024, 1, 5),
    )

    with django_assert_num_queries(3):
        panel = community_cockpit.cockpit_panel(date(2024, 5, 31))

    assert kpis(panel) == {
        "community.needs_open": 2,
        "community.needs_claimed": 2,
        "community.needs_met": 1,
        "community.fund_available": Decimal("200.00"),
    }


def test_community_panel_without_a_fund_says_unknown(wenyan_demo: Any) -> None:
    panel = community_cockpit.cockpit_panel(date(2024, 5, 31))

    assert kpis(panel)["community.fund_available"] is None


def test_sensors_panel_and_layer(wenyan_demo: Any, django_assert_num_queries: Any) -> None:
    codes = probes_create(3)
    now = timezone.now()
    messages_ingest(
        messages=[
            message("m1", codes[0], "leak", at=now - timedelta(minutes=3)),
            message("m2", codes[1], "leak", at=now - timedelta(minutes=2)),
        ]
    )
    # The third probe has been heard of once, long ago: silent.
    Device.objects.filter(code__in=codes[:2]).update(last_seen_at=now)
    Device.objects.filter(code=codes[2]).update(last_seen_at=now - timedelta(days=3))

    with django_assert_num_queries(2):
        panel = sensors_cockpit.cockpit_panel(local_today())
    with django_assert_num_queries(1):
        layer = sensors_cockpit.active_alarms_by_grid(local_today())

    assert kpis(panel) == {"sensors.alarms_active": 2, "sensors.devices_offline": 1}
    assert str(panel.kpis[0].note) == "其中未确认 2"
    grids = dict(Device.objects.filter(code__in=codes).values_list("code", "grid_id"))
    assert layer.by_grid == {grids[codes[0]]: 1, grids[codes[1]]: 1}
