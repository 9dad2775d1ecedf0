"""Wenyan's enforcement work for the demo, made through the services as the work would have
made it.

* **The catalogue** of inspection matters (检查事项清单) of the enforcement team, the market
  regulation office and the safety office, and the repeat-inspection guard's rules.
* **Targets**: 60 businesses and premises and 4 persons, **invented** (``is_synthetic``): the
  seeds name none. Their 统一社会信用代码 and ID numbers are well formed (check characters
  computed) but belong to nobody; each lies inside a grid of the demo.
* **2022 first half** — seed 000 reports 134 joint actions and 综合查一次 inspections and 197
  problems found and rectified. The demo holds all 134 actions (each with one joint visit of the
  enforcement team and the market or safety office) and their 197 findings, every one re-checked
  and closed before the end of June; the seed's 21 cases opened, 50 closed and 3 penalty
  decisions come from :mod:`jiedao.enforcement.demo_cases`. Loaded only with the large demo
  (``settings.DEMO_EVENTS``), which the test settings leave out.
* **Current work** for ``zhifa``: a 综合查一次 round with inspections planned today (one
  started), a 双随机 draw for next week with its seed, and a completed inspection of last month
  whose rectification items are due, one of them late and escalated to a case, and two more
  cases with running clocks (:mod:`jiedao.enforcement.demo_cases`).

History is back-dated through the services' ``now`` argument, which only
:data:`~jiedao.accounts.permissions.SYSTEM` may pass; the steps carry the system as actor.
"""

import random
from datetime import date, datetime, time, timedelta

from django.conf import settings

from jiedao.accounts.permissions import SYSTEM
from jiedao.core import workcalendar
from jiedao.core.localtime import local_today, local_zone
from jiedao.events.models import Event
from jiedao.geo.geometry import parse_boundary
from jiedao.geo.models import Department, Grid, Subdistrict

from .codes import credit_code_check_character, id_number_check_character
from .demo_cases import case_history, current_cases
from .models import Action, ChecklistItem, Inspection, RiskLevel, Target
from .services import (
    action_create,
    action_draw,
    finding_create,
    guard_rule_set,
    inspection_plan,
    inspection_transition,
    item_record,
    matter_create,
    rectification_recheck,
    target_create,
)
from .workflow import ActionKind, ItemResult

SEED = 2022
H1_START = date(2022, 1, 4)
H1_LAST_VISIT = date(2022, 6, 10)
# Seed 000: 134 joint actions and inspections, 197 problems found and rectified in 2022 H1.
H1_ACTIONS = 134
H1_PROBLEMS = 197
# How the 134 actions divide by kind (complaints and assignments are exempt from the guard).
H1_KINDS = (
    [ActionKind.JOINT] * 90
    + [ActionKind.CAMPAIGN] * 20
    + [ActionKind.COMPLAINT] * 14
    + [ActionKind.ASSIGNED] * 10
)
SYNTHETIC = "（示例数据）"

# department code → (matter code, title, legal basis)
MATTERS = {
    "enforcement": [
        (
            "ZF-01",
            "门前三包责任落实（市容环境卫生责任区）",
            "《浙江省城市市容和环境卫生管理条例》第十五条",
        ),
        ("ZF-02", "占道经营、店外经营", "《浙江省城市市容和环境卫生管理条例》第二十二条"),
        ("ZF-03", "户外广告、店招店牌设置", "《杭州市户外广告设施和招牌指示牌管理条例》"),
    ],
    "market": [
        ("SC-01", "营业执照、许可证亮照经营", "《无证无照经营查处办法》第二条"),
        (
            "SC-02",
            "食品从业人员健康证明、进货查验记录",
            "《中华人民共和国食品安全法》第四十五条、第五十三条",
        ),
        ("SC-03", "明码标价", "《中华人民共和国价格法》第十三条"),
    ],
    "safety": [
        ("AQ-01", "消防设施、器材完好有效", "《中华人民共和国消防法》第二十八条"),
        ("AQ-02", "疏散通道、安全出口畅通", "《中华人民共和国消防法》第二十八条"),
        ("AQ-03", "电动自行车违规停放、充电", "《高层民用建筑消防安全管理规定》第三十七条"),
    ],
}
GUARD_RULES = {RiskLevel.LOW: (1, 180), RiskLevel.MEDIUM: (2, 90), RiskLevel.HIGH: (4, 30)}
TRADES = [
    "餐饮服务",
    "食品销售",
    "住宿",
    "汽车维修",
    "美容美发",
    "五金建材",
    "小型加工",
    "物流仓储",
]
PLACES = ["闻堰", "湘湖", "三江", "长安", "黄山", "山河", "相墅", "老虎洞", "东汪", "王家里"]
SHOP_WORDS = {
    "餐饮服务": "小吃店",
    "食品销售": "副食品商店",
    "住宿": "宾馆",
    "汽车维修": "汽车修理厂",
    "美容美发": "美发店",
    "五金建材": "五金建材商行",
    "小型加工": "机械加工厂",
    "物流仓储": "物流仓库",
}
ROADS = ["闻兴路", "湘湖路", "三江路", "长安路", "闻堰路", "山河路"]
PERSONS = ["王建国", "李秀英", "陈志强", "张丽华"]
FINDINGS = {
    "ZF-01": "门前堆放杂物，责任区保洁不到位",
    "ZF-02": "店外摆放桌椅经营",
    "ZF-03": "店招破损未及时修复",
    "SC-01": "营业执照未悬挂在显著位置",
    "SC-02": "一名从业人员健康证明过期",
    "SC-03": "部分商品未明码标价",
    "AQ-01": "灭火器压力不足",
    "AQ-02": "后门安全出口堆放纸箱",
    "AQ-03": "楼道内停放电动自行车充电",
}


def _organisation_code(rng: random.Random) -> str:
    """An organisation code of GB 11714: 8 digits and their check character."""
    body = "".join(str(rng.randrange(10)) for _ in range(8))
    total = sum(int(c) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(rng: random.Random, kind: str) -> str:
    first17 = kind + "330109" + _organisation_code(rng)
    return first17 + credit_code_check_character(first17)


def id_number(rng: random.Random, born: date) -> str:
    first17 = f"330109{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_number_check_character(first17)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=local_zone())


def _catalogue(subdistrict: Subdistrict, departments: dict[str, Department]) -> None:
    for code, lines in MATTERS.items():
        for position, (matter_code, title, basis) in enumerate(lines, start=1):
            matter_create(
                actor=SYSTEM,
                department_id=departments[code].pk,
                code=matter_code,
                title=title,
                basis=basis,
                position=position,
            )
    for level, (per_year, interval) in GUARD_RULES.items():
        guard_rule_set(
            actor=SYSTEM,
            subdistrict_id=subdistrict.pk,
            risk_level=level,
            max_per_year=per_year,
            min_interval_days=interval,
        )


def _targets(subdistrict: Subdistrict, rng: random.Random) -> list[Target]:
    grids = list(Grid.objects.filter(community__subdistrict=subdistrict).order_by("code"))
    levels = [RiskLevel.HIGH] * 20 + [RiskLevel.MEDIUM] * 20 + [RiskLevel.LOW] * 20
    targets = []
    for number, level in enumerate(levels):
        trade = TRADES[number % len(TRADES)]
        place = PLACES[number % len(PLACES)]
        grid = grids[(number * 7) % len(grids)]
        point = parse_boundary(grid.boundary).representative_point()
        business_kind = "92" if trade in ("餐饮服务", "美容美发", "食品销售") else "91"
        targets.append(
            target_create(
                actor=SYSTEM,
                subdistrict=subdistrict,
                is_synthetic=True,
                kind=Target.Kind.BUSINESS,
                name=f"{SYNTHETIC}杭州萧山{place}{SHOP_WORDS[trade]}{number + 1:02d}",
                credit_code=credit_code(rng, business_kind),
                address=f"杭州市萧山区闻堰街道{ROADS[number % len(ROADS)]}{number * 3 + 1}号",
                lat=point.y,
                lng=point.x,
                trade=trade,
                risk_level=level,
            )
        )
    for number, name in enumerate(PERSONS):
        born = date(1960 + number * 7, 1 + number * 2, 5 + number)
        target_create(
            actor=SYSTEM,
            subdistrict=subdistrict,
            is_synthetic=True,
            kind=Target.Kind.PERSON,
            name=name,
            id_number=id_number(rng, born),
            address=f"杭州市萧山区闻堰街道{ROADS[number]}{100 + number}号（流动摊贩）",
            trade="流动摊贩",
            risk_level=RiskLevel.LOW,
        )
    return targets


def _visit(
    *,
    action: Action,
    target: Target,
    day: date,
    joining: Department,
    failures: int,
    rng: random.Random,
    working_days: tuple[int, ...] = (),
) -> Inspection:
    """One joint visit: planned, started, every item recorded (``failures`` of them 不合格,
    each becoming a rectification item), and completed."""
    inspection = inspection_plan(
        actor=SYSTEM,
        action_id=action.pk,
        target_id=target.pk,
        planned_on=day,
        joining_department_ids=[joining.pk],
    )
    inspection_transition(
        actor=SYSTEM, inspection_id=inspection.pk, action="start", now=_at(day, 9)
    )
    items = list(ChecklistItem.objects.filter(inspection=inspection).select_related("matter"))
    failing = set(rng.sample(range(len(items)), failures))
    days = iter(working_days)
    for index, item in enumerate(items):
        if index in failing:
            item_record(
                actor=SYSTEM,
                item_id=item.pk,
                result=ItemResult.FAIL,
                notes=FINDINGS[item.matter.code],
                working_days=next(days, None) or rng.choice((5, 7, 10)),
                now=_at(day, 10, index),
            )
        else:
            result = ItemResult.NOT_APPLICABLE if index % 5 == 4 else ItemResult.PASS
            item_record(actor=SYSTEM, item_id=item.pk, result=result, now=_at(day, 10, index))
    inspection_transition(
        actor=SYSTEM,
        inspection_id=inspection.pk,
        action="complete",
        text=f"{SYNTHETIC}检查发现问题{failures}处，已当场责令限期整改。",
        now=_at(day, 11, 30),
    )
    return inspection


def _history(
    subdistrict: Subdistrict,
    departments: dict[str, Department],
    targets: list[Target],
    rng: random.Random,
) -> None:
    """2022 H1: the seed's 134 actions and 197 problems, every problem re-checked and closed."""
    from .guard import guard_check

    days = []
    day = H1_START
    while day <= H1_LAST_VISIT:
        if workcalendar.is_workday(day):
            days.append(day)
        day += timedelta(days=1)
    kinds = list(H1_KINDS)
    rng.shuffle(kinds)
    # 63 visits find two problems, 71 find one: 126 + 71 = 197.
    doubles = H1_PROBLEMS - H1_ACTIONS
    enforcement = departments["enforcement"]
    rotation = 0
    for number, kind in enumerate(kinds):
        day = days[number * len(days) // H1_ACTIONS]
        target = targets[rotation % len(targets)]
        if kind not in (ActionKind.COMPLAINT, ActionKind.ASSIGNED):
            # The next target the guard lets be inspected that day.
            for step in range(len(targets)):
                candidate = targets[(rotation + step) % len(targets)]
                if guard_check(target=candidate, kind=kind, planned_on=day).passed:
                    target = candidate
                    rotation += step
                    break
        rotation += 1
        joining = departments["market" if number % 2 == 0 else "safety"]
        label = ActionKind(kind).label.split(" (")[0]
        action = action_create(
            actor=SYSTEM,
            kind=kind,
            title=f"{SYNTHETIC}{day:%Y年%-m月%-d日}{label}：{target.name.removeprefix(SYNTHETIC)}",
            starts_on=day,
            ends_on=day,
            lead_department_id=enforcement.pk,
            is_synthetic=True,
        )
        failures = 2 if number < doubles else 1
        inspection = _visit(
            action=action, target=target, day=day, joining=joining, failures=failures, rng=rng
        )
        for rectification in inspection.rectifications.all():
            recheck_day = workcalendar.add_working_days(
                rectification.found_at, min(rectification.working_days, 5)
            ).date()
            rectification_recheck(
                actor=SYSTEM,
                rectification_id=rectification.pk,
                passed=True,
                notes=f"{SYNTHETIC}复查已整改到位。",
                now=_at(recheck_day, 14),
            )


def _current_work(
    subdistrict: Subdistrict,
    departments: dict[str, Department],
    targets: list[Target],
    rng: random.Random,
) -> None:
    today = local_today()
    enforcement = departments["enforcement"]
    # A completed visit of two weeks ago: rectification items due, the 3-day one late (two
    # weeks hold three working days even across the Spring Festival).
    earlier = today - timedelta(days=14)
    past = action_create(
        actor=SYSTEM,
        kind=ActionKind.COMPLAINT,
        title=f"{SYNTHETIC}投诉核查：{targets[1].name.removeprefix(SYNTHETIC)}",
        starts_on=earlier,
        ends_on=earlier,
        lead_department_id=enforcement.pk,
        is_synthetic=True,
    )
    _visit(
        action=past,
        target=targets[1],
        day=earlier,
        joining=departments["market"],
        failures=2,
        rng=rng,
        working_days=(3, 30),
    )
    # A finding that starts from an event, where the demo has events.
    event = Event.objects.filter(grid__community__subdistrict=subdistrict).order_by("pk").first()
    inspection = past.inspections.get()
    if event is not None:
        finding_create(
            actor=SYSTEM,
            inspection_id=inspection.pk,
            description=f"{SYNTHETIC}事件{event.number}反映的问题经现场核实属实",
            working_days=20,
            event_number=event.number,
            now=_at(earlier, 11, 40),
        )
    # Today's 综合查一次 round: three visits, the first one under way.
    round_ = action_create(
        actor=SYSTEM,
        kind=ActionKind.JOINT,
        title=f"{SYNTHETIC}{today:%Y年%-m月}综合查一次：闻堰餐饮场所",
        starts_on=today,
        ends_on=today + timedelta(days=30),
        lead_department_id=enforcement.pk,
        is_synthetic=True,
    )
    for number, target in enumerate(t for t in targets if t.trade == "餐饮服务"):
        if number == 3:
            break
        inspection = inspection_plan(
            actor=SYSTEM,
            action_id=round_.pk,
            target_id=target.pk,
            planned_on=today,
            joining_department_ids=[departments["market"].pk, departments["safety"].pk],
        )
        if number == 0:
            inspection_transition(actor=SYSTEM, inspection_id=inspection.pk, action="start")
    # Next week's 双随机 draw among the low-risk targets, with a recorded seed.
    action_draw(
        actor=SYSTEM,
        title=f"{SYNTHETIC}{today:%Y}年双随机抽查（低风险）",
        starts_on=today + timedelta(days=7),
        ends_on=today + timedelta(days=21),
        size=3,
        risk_level=RiskLevel.LOW,
        joining_department_ids=[departments["market"].pk],
        seed="wenyan-demo",
        lead_department_id=enforcement.pk,
        is_synthetic=True,
    )


def enforcement_demo_load(
    *, subdistrict: Subdistrict, history: bool | None = None
) -> dict[str, int]:
    """The catalogue, the targets, the 2022 H1 history (with the large demo) and today's work.
    Loading twice changes nothing."""
    if Target.objects.filter(subdistrict=subdistrict).exists():
        return {"targets": 0, "actions": 0}
    rng = random.Random(SEED)  # noqa: S311 - the demo is the same on every load
    departments = {d.code: d for d in Department.objects.filter(subdistrict=subdistrict)}
    _catalogue(subdistrict, departments)
    targets = _targets(subdistrict, rng)
    if settings.DEMO_EVENTS if history is None else history:
        _history(subdistrict, departments, targets, rng)
        case_history(targets, departments)
    _current_work(subdistrict, departments, targets, rng)
    current_cases(departments)
    return {
        "targets": Target.objects.filter(subdistrict=subdistrict).count(),
        "actions": Action.objects.filter(subdistrict=subdistrict).count(),
    }
