"""Wenyan's 2023 key-task plan for the demo.

The plan and its third-quarter progress are the real table published by Wenyan (seed 003,
copied to ``data/wenyan_2023_q3.txt``). The table names no lead units, so the demo assigns each
task to the Wenyan department whose duties match it. The first- and second-quarter reports are
**synthesised**: flagged ``is_synthetic`` and their text starts with 「（示例数据）」.
"""

import random
from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.localtime import local_zone
from jiedao.geo.models import Department, Subdistrict

from .importers import parse_file
from .models import Plan, Task
from .services import plan_import, progress_report_create, task_assign_lead_unit

SEED_FILE = Path(__file__).parent / "data" / "wenyan_2023_q3.txt"
SYNTHETIC_PREFIX = "（示例数据）"

# Task number → department code (jiedao.demo.wenyan.DEPARTMENTS), chosen from their duties.
LEAD_UNITS = {
    1: "economy",
    2: "economy",
    3: "economy",
    4: "economy",
    5: "city-management",
    6: "community-service",
    7: "agriculture",
    8: "construction",
    9: "construction",
    10: "community-service",
    11: "community-service",
    12: "construction",
    13: "community-service",
    14: "community-service",
    15: "enforcement",
    16: "community-service",
    17: "safety",
    18: "community-service",
    19: "community-service",
}
SYNTHETIC_TEXT = {
    1: "{category}：已制定年度工作方案，明确责任分工和时间节点，相关前期工作有序启动。",
    2: "{category}：按计划推进，上半年各项前期工作基本完成，部分事项进入实施阶段。",
}
# Share of each target reached by the end of Q1 and Q2 in the synthesised reports.
Q1_SHARES = (Decimal("0.2"), Decimal("0.25"), Decimal("0.3"))
Q2_SHARES = (Decimal("0.5"), Decimal("0.6"), Decimal("0.8"), Decimal("0.9"))


def _synthetic_value(quantity: Decimal, share: Decimal) -> Decimal:
    """A share of the target; whole numbers for things that are counted (1 个, not 0.9 个)."""
    value = quantity * share
    if quantity == quantity.to_integral_value():
        return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return value.quantize(Decimal("0.01"))


def _reported_at(period_end: object) -> datetime:
    return datetime.combine(period_end, time(17, 0), tzinfo=local_zone())  # type: ignore[arg-type]


def supervision_demo_load(*, subdistrict: Subdistrict) -> dict[str, int]:
    """Import seed 003 as Wenyan's 2023 plan with its Q3 progress, assign lead units and add
    synthesised Q1 and Q2 reports. Loading twice changes nothing."""
    parsed = parse_file(SEED_FILE.name, SEED_FILE.read_bytes())
    if Plan.objects.filter(subdistrict=subdistrict, name=parsed.name).exists():
        return {"plans": 0, "tasks": 0, "reports": 0}
    result = plan_import(
        actor=SYSTEM, parsed=parsed, subdistrict=subdistrict, file_name=SEED_FILE.name
    )
    departments = {d.code: d for d in Department.objects.filter(subdistrict=subdistrict)}
    periods = {period.number: period for period in result.plan.periods.all()}
    synthesised = 0
    tasks = Task.objects.filter(plan=result.plan).prefetch_related("targets").order_by("sequence")
    for task in tasks:
        department = departments.get(LEAD_UNITS.get(task.sequence, ""))
        if department is not None and task.lead_unit_id is None:
            task = task_assign_lead_unit(actor=SYSTEM, task=task, department=department)
        rng = random.Random(task.sequence)  # noqa: S311 - the same demo on every installation
        shares = {1: rng.choice(Q1_SHARES), 2: rng.choice(Q2_SHARES)}
        for number, template in SYNTHETIC_TEXT.items():
            values = {
                target.pk: _synthetic_value(target.quantity, shares[number])
                for target in task.targets.all()
            }
            progress_report_create(
                actor=SYSTEM,
                task=task,
                period=periods[number],
                text=SYNTHETIC_PREFIX + template.format(category=task.category),
                target_values=values,
                is_synthetic=True,
                reported_at=_reported_at(periods[number].ends_on),
            )
            synthesised += 1
    return {
        "plans": 1,
        "tasks": result.tasks_created,
        "reports": result.reports_created + synthesised,
    }
