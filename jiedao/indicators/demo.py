"""Wenyan's indicators for the demo.

The 2022 first-half figures are the real ones of seed 000 (Wenyan's half-year report, copied with
its damage to ``data/wenyan_2022_h1.txt``): the report is uploaded to the review queue as a
supervisor would and read by the extraction; each figure the reviewer decided on
(:data:`REVIEWED`, which maps the report's names to the catalogue's) is confirmed as that
indicator's 2022 H1 value, and the others stay in the queue for the demo's reviewer.
**Synthesised**, and flagged as such (``is_synthetic``, ``target_is_synthetic``): the 2021 H1
values of the indicators whose change the report does not state, so that the table can compute
one, and the 2022 H1 targets of the key indicators.
"""

from decimal import Decimal
from pathlib import Path

from jiedao.accounts.permissions import SYSTEM
from jiedao.geo.models import Department, Subdistrict

from .models import Figure, Indicator
from .periods import PeriodKey, PeriodKind
from .services import entry_clean, figure_confirm, indicator_create, report_upload, value_record

SEED_FILE = Path(__file__).parent / "data" / "wenyan_2022_h1.txt"
H1_2022 = PeriodKey(2022, PeriodKind.HALF, 1)

A, C, R = Indicator.Kind.AMOUNT, Indicator.Kind.COUNT, Indicator.Kind.RATE
# (code, name, kind, unit, display unit, aggregation, department code, key, definition)
CATALOGUE: list[tuple[str, str, str, str, str, str, str, bool, str]] = [
    (
        "industrial-output",
        "规上工业总产值",
        A,
        "元",
        "亿元",
        "sum",
        "economy",
        True,
        "规模以上工业企业在报告期内生产的工业产品总量，按当年价格计算。",
    ),
    (
        "industrial-added-value",
        "规上工业增加值",
        A,
        "元",
        "亿元",
        "sum",
        "economy",
        True,
        "规模以上工业企业生产活动的最终成果，按可比价计算增长。",
    ),
    (
        "digital-core-added-value",
        "规上数字经济核心产业增加值",
        A,
        "元",
        "万元",
        "sum",
        "economy",
        True,
        "规模以上数字经济核心产业企业的增加值。",
    ),
    (
        "retail-sales",
        "社会消费品零售总额",
        A,
        "元",
        "亿元",
        "sum",
        "economy",
        True,
        "企业（单位、个体户）售予个人和社会集团的非生产、非经营用实物商品及餐饮收入。",
    ),
    (
        "grid-events",
        "网格采集事件",
        C,
        "件",
        "件",
        "sum",
        "command-centre",
        False,
        "网格员在巡查中采集的事件数。",
    ),
    (
        "dispatched-events",
        "流转处置一网统管事件",
        C,
        "条",
        "条",
        "sum",
        "command-centre",
        False,
        "经一网统管流转派遣处置的事件数。",
    ),
    (
        "closed-events",
        "一网统管事件办结数",
        C,
        "条",
        "条",
        "sum",
        "command-centre",
        False,
        "流转处置的一网统管事件中已办结的数量。",
    ),
    (
        "joint-inspections",
        "综合查一次行动",
        C,
        "次",
        "次",
        "sum",
        "enforcement",
        False,
        "组织开展的各类综合整治和“综合查一次”行动次数。",
    ),
    ("cases-opened", "立案", C, "件", "件", "sum", "enforcement", False, "行政执法立案数。"),
    (
        "needs",
        "需求清单",
        C,
        "项",
        "项",
        "last",
        "community-service",
        False,
        "梳理的居民需求清单项数（累计）。",
    ),
    (
        "river-dredging",
        "清除龙山河淤泥及河床垃圾",
        A,
        "立方米",
        "万立方米",
        "sum",
        "city-management",
        False,
        "河道清淤清除的淤泥及河床垃圾方量。",
    ),
]
# The closure rate: closed over dispatched, of the two counts above.
RATE = ("closure-rate", "事件办结率", "closed-events", "dispatched-events", "command-centre")
# The reviewer's decisions: a figure as the report names it (and its unit) → the indicator it
# is confirmed as. The report writes several names shorter than the catalogue does (事件 for the
# events the grids collected), which is what a person reviewing it knows.
REVIEWED: dict[tuple[str, str], str] = {
    ("规上工业总产值", "元"): "industrial-output",
    ("规上工业增加值", "元"): "industrial-added-value",
    ("规上数字经济核心产业增加值", "元"): "digital-core-added-value",
    ("社会消费品零售总额", "元"): "retail-sales",
    ("事件", "件"): "grid-events",
    ("一网统管事件", "条"): "dispatched-events",
    ("事件办结率", "%"): "closure-rate",
    ("各类综合整治和“综合查一次”行动", "次"): "joint-inspections",
    ("立案", "件"): "cases-opened",
    ("需求清单", "项"): "needs",
    ("龙山河淤泥及河床垃圾", "立方米"): "river-dredging",
}
# Synthesised 2021 H1 values (base units), where the report states no change for 2022.
LAST_YEAR = {
    "industrial-output": Decimal(1380000000),
    "industrial-added-value": Decimal(251000000),
}
# Synthesised 2022 H1 targets of the key indicators (base units).
TARGETS = {
    "industrial-output": Decimal(1500000000),
    "industrial-added-value": Decimal(280000000),
    "digital-core-added-value": Decimal(21000000),
    "retail-sales": Decimal(190000000),
    "closure-rate": Decimal(98),
}


def indicators_demo_load(*, subdistrict: Subdistrict) -> dict[str, int]:
    """The catalogue, seed 000 reviewed into 2022 H1 values, and the synthesised values.
    Loading twice changes nothing."""
    if Indicator.objects.filter(subdistrict=subdistrict).exists():
        return {"indicators": 0, "confirmed": 0}
    departments = {d.code: d for d in Department.objects.filter(subdistrict=subdistrict)}
    indicators: dict[str, Indicator] = {}
    for position, (
        code,
        name,
        kind,
        unit,
        shown,
        aggregation,
        department,
        key,
        definition,
    ) in enumerate(CATALOGUE, start=1):
        indicators[code] = indicator_create(
            actor=SYSTEM,
            subdistrict=subdistrict,
            code=code,
            name=name,
            kind=kind,
            unit=unit,
            display_unit=shown,
            aggregation=aggregation,
            department=departments[department],
            definition=definition,
            is_key=key,
            position=position * 10,
        )
    code, name, numerator, denominator, department = RATE
    indicators[code] = indicator_create(
        actor=SYSTEM,
        subdistrict=subdistrict,
        code=code,
        name=name,
        kind=Indicator.Kind.RATE,
        unit="%",
        aggregation=Indicator.Aggregation.RATIO,
        numerator=indicators[numerator],
        denominator=indicators[denominator],
        department=departments[department],
        definition="办结的一网统管事件数占流转处置事件数的比例。",
        is_key=True,
        position=(len(CATALOGUE) + 1) * 10,
    )
    report = report_upload(
        actor=SYSTEM,
        file_name=SEED_FILE.name,
        data=SEED_FILE.read_bytes(),
        subdistrict=subdistrict,
    )
    confirmed = 0
    taken: set[str] = set()
    # The figures nobody decided on stay in the queue, for the demo's reviewer.
    for figure in report.figures.filter(status=Figure.Status.PENDING).order_by("position"):
        decided = REVIEWED.get((figure.name, figure.unit))
        if decided is None or decided in taken:
            continue
        figure_confirm(
            actor=SYSTEM, figure_id=figure.pk, indicator_id=indicators[decided].pk, period=H1_2022
        )
        taken.add(decided)
        confirmed += 1
    for code, value in LAST_YEAR.items():
        entry = entry_clean(
            indicator=indicators[code], period=H1_2022.last_year(), value=value, base_units=True
        )
        value_record(actor=SYSTEM, entry=entry, source="demo", is_synthetic=True)
    for code, target in TARGETS.items():
        entry = entry_clean(
            indicator=indicators[code], period=H1_2022, value=None, target=target, base_units=True
        )
        value_record(actor=SYSTEM, entry=entry, source="demo", target_is_synthetic=True)
    return {"indicators": len(indicators), "confirmed": confirmed}
