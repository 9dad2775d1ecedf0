"""Quantities in the Chinese text of a task: 新增40个托位 → 40 个 托位.

Two word orders occur in government plans, and both are read:

* number, unit, subject — ``新增40个托位``, ``新增300孔电动自行车智能充电桩``;
* subject, number, unit — ``增设公共停车位350个``, ``研发费用同比增长5%以上``.

``以上`` / ``不少于`` make the target a minimum (``>=``), ``以内`` / ``不超过`` a maximum
(``<=``); anything else is an exact target (``=``). Only Arabic numerals are read; dates and
durations (年, 月, 分钟, 岁) are not quantities because their units are not in ``UNITS``.
``1万名`` is 10000 名, while money keeps its written unit (58.8 万元).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

# Longest first, so that 人次 wins over 人 and 平方米 over 米.
UNITS = sorted(
    [
        "平方米", "公里", "人次", "%", "％", "个", "家", "场", "孔", "条", "块", "台", "套",
        "亩", "名", "人", "户", "座", "处", "所", "项", "批", "间", "张", "辆", "米", "元",
        "床", "次", "支", "栋", "幢", "根", "盏", "只", "部", "件", "篇", "吨", "公顷",
    ],
    key=len,
    reverse=True,
)  # fmt: skip
MONEY_UNITS = ["万元", "亿元"]

QUANTITY = re.compile(
    r"(?<![\d.A-Za-z/第])(?P<number>\d+(?:\.\d+)?)"
    r"(?:(?P<money>" + "|".join(MONEY_UNITS) + r")"
    r"|(?P<multiplier>万|亿)?(?P<unit>" + "|".join(re.escape(unit) for unit in UNITS) + r"))"
    # 2.0项目, 3人民: the "unit" is the start of another word.
    r"(?!目|民|性)"
)
AT_LEAST_AFTER = ("及以上", "以上", "多", "余")
AT_MOST_AFTER = ("以内", "以下")
AT_LEAST_BEFORE = ("不少于", "不低于", "至少", "超过", "达到", "达", "超")
AT_MOST_BEFORE = ("不超过", "不高于", "控制在")

# Where a phrase ends.
DELIMITERS = set("，,。；;、：:！!？?（）()《》“”\"'\n\t ")
# Words that end a subject written after the unit: 4家金属加工企业的数字化改造 → 金属加工企业.
SUBJECT_STOPS = ("的", "和", "及", "与", "进行", "以上", "以内", "以下", "在", "已", "正在")
# Verbs that introduce a subject written before the number: 新增科技备案企业5家 → 科技备案企业.
VERBS = (
    "新增", "增设", "增加", "新建", "创建", "开展", "完成", "腾出", "实现", "培育", "打造",
    "做好", "举办", "举行", "提供", "建成", "引进", "改造", "安装", "加装", "争创",
)  # fmt: skip
LEADING_WORDS = re.compile(r"(?:力争|确保|全年|年内|(?:19|20)\d{2}年(?:底|内|前)?)+")
MULTIPLIERS = {"万": Decimal(10000), "亿": Decimal(100000000)}


@dataclass(frozen=True)
class Quantity:
    quantity: Decimal
    unit: str
    subject: str
    comparator: str
    phrase: str

    def as_tuple(self) -> tuple[Decimal, str, str, str]:
        return (self.quantity, self.unit, self.subject, self.comparator)


def _subject_after(text: str, start: int) -> str:
    end = start
    while end < len(text) and text[end] not in DELIMITERS and not text[end].isdigit():
        if any(text.startswith(stop, end) for stop in SUBJECT_STOPS):
            break
        end += 1
    return text[start:end]


def _subject_before(text: str, segment_start: int, number_start: int) -> tuple[str, int]:
    """The subject written before the number, and where it starts in ``text``."""
    end = number_start
    for word in (*AT_LEAST_BEFORE, *AT_MOST_BEFORE):
        if text[segment_start:end].endswith(word):
            end -= len(word)
            break
    start = segment_start
    for verb in VERBS:
        position = text.rfind(verb, segment_start, end)
        if position >= 0:
            start = max(start, position + len(verb))
    leading = LEADING_WORDS.match(text, start, end)
    if leading:
        start = leading.end()
    subject = text[start:end]
    subject = subject.removesuffix("的")
    return subject, start


def _comparator(text: str, number_start: int, unit_end: int) -> tuple[str, int]:
    for word in AT_LEAST_AFTER:
        if text.startswith(word, unit_end):
            return ">=", unit_end + len(word)
    for word in AT_MOST_AFTER:
        if text.startswith(word, unit_end):
            return "<=", unit_end + len(word)
    before = text[max(0, number_start - 3) : number_start]
    if any(before.endswith(word) for word in AT_MOST_BEFORE):
        return "<=", unit_end
    if any(before.endswith(word) for word in AT_LEAST_BEFORE):
        return ">=", unit_end
    return "=", unit_end


def parse_targets(text: str) -> list[Quantity]:
    """Every quantity that ``text`` states, in the order they appear."""
    found: list[Quantity] = []
    previous_end = 0
    for match in QUANTITY.finditer(text):
        number = Decimal(match.group("number"))
        if match.group("money"):
            unit = match.group("money")
        else:
            unit = match.group("unit").replace("％", "%")
            if match.group("multiplier"):
                number *= MULTIPLIERS[match.group("multiplier")]
        comparator, end = _comparator(text, match.start(), match.end())
        following = text[match.end() : match.end() + 1]
        subject = ""
        phrase_start = match.start()
        if end == match.end() and following and following not in DELIMITERS:
            subject = _subject_after(text, match.end())
            end = match.end() + len(subject)
        if not subject:
            segment_start = previous_end
            for position in range(match.start() - 1, previous_end - 1, -1):
                if text[position] in DELIMITERS:
                    segment_start = position + 1
                    break
            subject, phrase_start = _subject_before(text, segment_start, match.start())
        verb_start = phrase_start
        for verb in VERBS:
            if text[max(0, phrase_start - len(verb)) : phrase_start] == verb:
                verb_start = phrase_start - len(verb)
                break
        found.append(
            Quantity(
                quantity=_plain(number),
                unit=unit,
                subject=subject,
                comparator=comparator,
                phrase=text[verb_start:end].strip(),
            )
        )
        previous_end = end
    return found


def _plain(value: Decimal) -> Decimal:
    """40 rather than 4E+1."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value


def values_reached(
    targets: list[tuple[int, str, str]], text: str, *, content: str = ""
) -> dict[int, Decimal]:
    """The values a progress text states for the given targets ``(key, unit, subject)``.

    A quantity in the text counts for a target when the units are the same and the last two
    characters of the target's subject (托位, 活动) appear in the quantity's subject, so that
    南岸社区新增备案托位40个 reports 40 for 新增40个托位. A phrase copied word for word from the
    task's ``content`` restates the goal (推进…等3个有机更新项目竣工投产) and is not a result.
    Anything less certain is left for the lead unit to enter.
    """
    reached: dict[int, Decimal] = {}
    quantities = [q for q in parse_targets(text) if not (content and q.phrase in content)]
    for key, unit, subject in targets:
        tail = subject[-2:]
        if not tail:
            continue
        for quantity in quantities:
            if quantity.unit == unit and tail in quantity.subject:
                reached[key] = quantity.quantity
                break
    return reached
