"""The demo's penalty cases, made through the services (back-dated by the installation).

* **History** (with the large demo, as the rest of 2022 H1): seed 000 reports 21 cases opened,
  50 closed and 3 penalty decisions in 2022 H1. 29 cases filed in late 2021 were decided that
  year and closed in 2022's first quarter; the 21 filed in 2022 H1 were all closed by June —
  three with a fine, the others not punished (首违不罚, Art. 33), so 29 + 21 = 50 closed.
  The penalty decisions are published (双公示): 2021's and two of 2022's three within the
  seven working days, the third of 2022 late.
  Every decision takes its number (文号) in the decide step: 2022's fines are
  萧闻综执罚〔2022〕1号 to 3号, its decisions not to punish 萧闻综执不罚〔2022〕1号 to 18号.
* **Current work** for ``zhifa``: a lead from the late rectification item (the 立案 clock
  running), a case under legal review 80 days after filing (the decision clock yellow), a
  decision of last month not yet served (the service clock red) nor published (公示超期), a
  case that passed its legal review today and one sent back for more evidence today.
* **The legal reviewer** ``fazhi`` (法制审核员 of the enforcement team), designated by ``lingdao``
  through the service: the case under review waits for him (his home card shows it), and he
  passed and sent back today's two. The history's reviews are the installation's: it records
  them back-dated, before anyone was designated.
"""

import random
from datetime import date, datetime, time, timedelta

from jiedao.accounts.models import User
from jiedao.accounts.permissions import SYSTEM
from jiedao.core import workcalendar
from jiedao.core.localtime import local_today, local_zone
from jiedao.geo.models import Department

from .models import Case, Rectification, Target
from .services import case_open, case_transition, disclosure_publish, legal_reviewer_designate

SYNTHETIC = "（示例数据）"
H1_OPENED = 21
H1_PENALTIES = 3
CARRIED_OVER = 29  # filed in 2021, closed in 2022 H1: 29 + 21 = the seed's 50 closed
ON_TIME_PUBLICATION = 3  # working days after the decision (7 allowed)
LATE_PUBLICATION = 9  # two working days past the 7 allowed
VIOLATIONS = [
    ("店外经营", "《浙江省城市市容和环境卫生管理条例》第二十二条"),
    ("擅自设置户外广告", "《杭州市户外广告设施和招牌指示牌管理条例》第三十六条"),
    ("未按规定明码标价", "《明码标价和禁止价格欺诈规定》第二十一条"),
    ("占用、堵塞疏散通道", "《中华人民共和国消防法》第六十条"),
]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=local_zone())


def _workday_after(day: date, days: int) -> date:
    return workcalendar.add_working_days(_at(day), days).date()


def _case(
    *, target: Target, department: Department, lead_on: date, number: int, **open_args: object
) -> Case:
    violation = VIOLATIONS[number % len(VIOLATIONS)][0]
    return case_open(
        actor=SYSTEM,
        title=f"{SYNTHETIC}{target.name.removeprefix(SYNTHETIC)}{violation}案",
        target_id=target.pk,
        department_id=department.pk,
        is_synthetic=True,
        now=_at(lead_on),
        **open_args,  # type: ignore[arg-type]
    )


def _run(case: Case, steps: list[tuple[str, date, dict[str, object]]]) -> Case:
    for action, day, inputs in steps:
        case = case_transition(
            actor=SYSTEM,
            case_id=case.pk,
            action=action,
            now=_at(day, 15 if action == "decide" else 10),
            **inputs,  # type: ignore[arg-type]
        )
    return case


def _decided_case(
    target: Target, department: Department, lead_on: date, number: int, fine: int | None
) -> tuple[Case, date]:
    """A case from its lead to its decision, each step a few working days after the last."""
    violation, basis = VIOLATIONS[number % len(VIOLATIONS)]
    case = _case(target=target, department=department, lead_on=lead_on, number=number)
    filed = _workday_after(lead_on, 3)
    review = _workday_after(filed, 10)
    approved = _workday_after(review, 3)
    decided = _workday_after(approved, 4)
    outcome: dict[str, object] = (
        {"outcome": "penalty", "penalty_kind": "fine", "fine": str(fine)}
        if fine
        else {"outcome": "no_penalty"}
    )
    case = _run(
        case,
        [
            ("file", filed, {"occurred_on": lead_on - timedelta(days=2)}),
            (
                "submit_review",
                review,
                {
                    "facts": f"{SYNTHETIC}当事人{violation}，经调查属实。",
                    "basis": basis,
                    "violation_type": violation,
                    "proposed_fine": str(fine) if fine else None,
                },
            ),
            ("approve", approved, {"note": "事实清楚，证据确凿，程序合法，同意。"}),
            ("decide", decided, outcome),
        ],
    )
    return case, decided


def _publish(case: Case, decided: date, working_days: int) -> None:
    published_on = _workday_after(decided, working_days)
    disclosure_publish(actor=SYSTEM, case_id=case.pk, now=_at(published_on, 16))


def _finish(case: Case, decided: date, closes_on: date) -> None:
    served = _workday_after(decided, 2)
    steps: list[tuple[str, date, dict[str, object]]] = [("serve", served, {})]
    if case.outcome == "penalty" and case.penalty_kind == "fine":
        paid = _workday_after(served, 5)
        steps.append(("execute", paid, {"paid_on": paid}))
        closes_on = max(closes_on, _workday_after(paid, 1))
    steps.append(("close", closes_on, {"note": f"{SYNTHETIC}处理完毕，予以结案。"}))
    _run(case, steps)


def case_history(targets: list[Target], departments: dict[str, Department]) -> None:
    """29 cases carried over from 2021 and 21 cases of 2022 H1 (see the module's docstring)."""
    rng = random.Random(2021)  # noqa: S311 - the demo is the same on every load
    enforcement = departments["enforcement"]
    for number in range(CARRIED_OVER):
        lead_on = _workday_after(date(2021, 9, 1), number * 2)
        fine = rng.choice((None, 200, 500, 1000))
        case, decided = _decided_case(targets[number], enforcement, lead_on, number, fine)
        if fine:
            _publish(case, decided, ON_TIME_PUBLICATION)
        # Closed in 2022 H1: January to March, one or two a few days apart.
        _finish(case, decided, _workday_after(date(2022, 1, 4), number * 2))
    published = 0
    for number in range(H1_OPENED):
        lead_on = _workday_after(date(2022, 1, 4), number * 4)
        fine = (2000, 5000, 800)[number // 7] if number % 7 == 3 else None
        target = targets[(CARRIED_OVER + number) % len(targets)]
        case, decided = _decided_case(target, enforcement, lead_on, number, fine)
        if fine:
            # 双公示: two published within the seven working days, the last one late.
            late = published == H1_PENALTIES - 1
            _publish(case, decided, LATE_PUBLICATION if late else ON_TIME_PUBLICATION)
            published += 1
        _finish(case, decided, _workday_after(decided, 5))


def _reviewed_today(
    target: Target, department: Department, reviewer: User, number: int, action: str, note: str
) -> Case:
    """A case filed four weeks ago and sent for review three days ago, which ``reviewer``
    passes or sends back now."""
    today = local_today()
    violation, basis = VIOLATIONS[number % len(VIOLATIONS)]
    case = _case(
        target=target, department=department, lead_on=today - timedelta(days=30), number=number
    )
    _run(
        case,
        [
            ("file", today - timedelta(days=28), {"occurred_on": today - timedelta(days=31)}),
            (
                "submit_review",
                today - timedelta(days=3),
                {"facts": f"{SYNTHETIC}当事人{violation}，经调查属实。", "basis": basis},
            ),
        ],
    )
    return case_transition(actor=reviewer, case_id=case.pk, action=action, note=note)


def current_cases(departments: dict[str, Department]) -> None:
    """Five open cases for zhifa, each with a clock running, and fazhi's reviews (see the
    module's docstring)."""
    today = local_today()
    fazhi = User.objects.get(username="fazhi")
    legal_reviewer_designate(
        actor=User.objects.get(username="lingdao"),
        user_id=fazhi.pk,
        certificate="A20213301090001",
    )
    enforcement = departments["enforcement"]
    businesses = list(Target.objects.filter(kind=Target.Kind.BUSINESS).order_by("-pk")[:2])
    late = Rectification.objects.filter(status="open", working_days=3).order_by("pk").first()
    if late is not None:
        _case(
            target=late.inspection.target,
            department=enforcement,
            lead_on=today - timedelta(days=2),
            number=0,
            rectification_id=late.pk,
        )
    reviewing = _case(
        target=businesses[0], department=enforcement, lead_on=today - timedelta(days=84), number=1
    )
    _run(
        reviewing,
        [
            ("file", today - timedelta(days=80), {"occurred_on": today - timedelta(days=86)}),
            (
                "submit_review",
                today - timedelta(days=3),
                {
                    "facts": f"{SYNTHETIC}当事人擅自设置户外广告，经调查属实。",
                    "basis": VIOLATIONS[1][1],
                    "proposed_fine": "3000",
                },
            ),
        ],
    )
    # Decided some weeks ago and not served yet: the service is late.
    _decided_case(businesses[1], enforcement, today - timedelta(days=45), 2, 1500)
    _reviewed_today(
        businesses[0],
        enforcement,
        fazhi,
        3,
        "approve",
        "事实清楚，证据确凿，适用依据正确，程序合法，同意。",
    )
    _reviewed_today(
        businesses[1],
        enforcement,
        fazhi,
        0,
        "return",
        "现场照片未显示经营时间，请补充询问笔录及现场检查笔录后重新提交。",
    )
