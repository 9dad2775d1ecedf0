"""Key-task supervision on the leaders' cockpit (registered from ``SupervisionConfig.ready()``).

The tasks of the current year's plans — the latest year with a plan, up to the cockpit's day — with
the status the supervision pages derive (:func:`jiedao.supervision.selectors.task_status`), taken
on the cockpit's day or, for a year that has ended, on the day after it. Five statements whatever
the number of tasks: the tasks, their targets, their reports, the reports' values, the periods.
"""

from collections import defaultdict
from datetime import date

from django.db.models import Prefetch, Subquery
from django.utils.translation import pgettext_lazy

from jiedao.accounts.permissions import SYSTEM, scoped
from jiedao.web.cockpit import Kpi, Panel, Ranking

from .models import Period, Plan, ProgressReport, Task
from .selectors import task_status
from .status import TaskStatus

RUNNING = frozenset({TaskStatus.ON_SCHEDULE, TaskStatus.BEHIND, TaskStatus.NOT_STARTED})
# Moving as the plan wants: finished, or not behind the elapsed share of the year.
ON_TRACK = frozenset({TaskStatus.DONE, TaskStatus.ON_SCHEDULE})


def _tasks(today: date) -> list[Task]:
    latest_year = (
        scoped(SYSTEM, Plan.objects.filter(year__lte=today.year))
        .order_by("-year")
        .values("year")[:1]
    )
    return list(
        scoped(SYSTEM, Task.objects.filter(plan__year=Subquery(latest_year)))
        .select_related("plan", "lead_unit")
        .prefetch_related(
            "targets",
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.prefetch_related("values").order_by(
                    "period__number", "reported_at", "pk"
                ),
            ),
        )
        .order_by("plan_id", "sequence")
    )


def cockpit_panel(today: date) -> Panel | None:
    """Tasks under way (of which behind schedule), overdue and done, and the lead units ranked
    by the share of their tasks on track; nothing when no plan has begun by ``today``'s year."""
    tasks = _tasks(today)
    if not tasks:
        return None
    plan_ids = {task.plan_id for task in tasks}
    periods: dict[int, list[Period]] = defaultdict(list)
    for period in Period.objects.filter(plan_id__in=plan_ids).order_by("number"):
        periods[period.plan_id].append(period)
    statuses: list[tuple[Task, TaskStatus]] = []
    for task in tasks:
        # After its year, a plan is judged the day after: what is not done by then is overdue.
        as_of = min(today, date(task.plan.year + 1, 1, 1))
        result = task_status(
            task, periods=periods[task.plan_id], reports=list(task.reports.all()), as_of=as_of
        )
        statuses.append((task, result.status))
    by_unit: dict[str, list[TaskStatus]] = defaultdict(list)
    for task, status in statuses:
        unit = task.lead_unit.name if task.lead_unit else task.lead_unit_name
        by_unit[unit or str(pgettext_lazy("cockpit", "(no lead unit)"))].append(status)
    shares = [
        (unit, round(100 * sum(1 for s in found if s in ON_TRACK) / len(found), 1), len(found))
        for unit, found in by_unit.items()
    ]
    shares.sort(key=lambda row: (-row[1], -row[2], row[0]))
    year = tasks[0].plan.year

    def count(wanted: frozenset[TaskStatus]) -> int:
        return sum(1 for _task, status in statuses if status in wanted)

    return Panel(
        title=pgettext_lazy("cockpit", "Key tasks %(year)s") % {"year": year},
        order=20,
        kpis=[
            Kpi(
                key="supervision.running",
                label=pgettext_lazy("cockpit", "Tasks under way"),
                value=count(RUNNING),
                unit=pgettext_lazy("cockpit", "tasks"),
                note=pgettext_lazy("cockpit", "behind schedule %(count)s")
                % {"count": count(frozenset({TaskStatus.BEHIND}))},
                url_name="supervision:plans",
            ),
            Kpi(
                key="supervision.overdue",
                label=pgettext_lazy("cockpit", "Tasks overdue"),
                value=count(frozenset({TaskStatus.OVERDUE})),
                unit=pgettext_lazy("cockpit", "tasks"),
                better="lower",
            ),
            Kpi(
                key="supervision.done",
                label=pgettext_lazy("cockpit", "Tasks done"),
                value=count(frozenset({TaskStatus.DONE})),
                unit=pgettext_lazy("cockpit", "tasks"),
                target=len(statuses),
            ),
        ],
        rankings=[
            Ranking(
                title=pgettext_lazy("cockpit", "Lead units by tasks on track"),
                rows=[(unit, share) for unit, share, _count in shares],
                unit="%",
            )
        ],
    )
