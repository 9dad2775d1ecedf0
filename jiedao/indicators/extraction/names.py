"""The name of a figure as the report writes it.

Reports name a figure in two ways: before it (``实现社会消费品零售总额2.03亿元``, where the name
follows the verb that introduces it) or, when a verb comes straight before the number, after its
unit (``完成11个公益创投项目``). The name is cut out of the clause as written, never rephrased;
where neither way gives one, the figure has no name.
"""

from __future__ import annotations

import re

from .charclass import LOST, is_han

# Where a clause stops: a name never reaches across one of these (nor across a lost place).
CLAUSE_BREAKS = frozenset(",，。；;：:！!？?\n、()（）" + LOST)

# Verbs and time words after which a report writes the figure's name (实现 规上工业总产值 …).
# Words that also end noun compounds (建设, 服务, 办结 …) are not here: 事件办结率 is a name.
INTRODUCERS = (
    "实现了",
    "实现",
    "完成了",
    "完成",
    "达成",
    "采集",
    "处置",
    "梳理",
    "排查",
    "接收",
    "走访",
    "引进",
    "招引",
    "兑现",
    "清除",
    "清理",
    "恢复",
    "划定",
    "开展",
    "组织",
    "发现",
    "整改",
    "发出",
    "新增",
    "增设",
    "增加",
    "加装",
    "创建",
    "投入",
    "设立了",
    "设立",
    "受理",
    "化解",
    "调解",
    "收集",
    "举办",
    "累计",
    "共计",
    "合计",
    "其中",
    "目前",
    "今年",
    "去年",
    "上半年",
    "下半年",
    "全年",
)

# Verbs that introduce a figure only when the number comes straight after them (正式启动22万方):
# elsewhere they are part of a name (启动区块, 新建小区).
VERBS_BEFORE_NUMBER = ("做好", "启动", "创造", "新建", "建成", "聚焦", "聚力", "带动", "吸引")

CONJUNCTIONS = ("和", "及", "与", "以及")

# Words before a name that are not part of it, and words between a name and its number.
LEADING = (
    "其中",
    "分别",
    "累计",
    "共计",
    "合计",
    "已经",
    "已",
    "共",
    "均",
    "并",
    "还",
    "又",
    "再",
    "有",
    "了",
    "的",
)
TRAILING = (
    "达到",
    "高达",
    "共计",
    "合计",
    "累计",
    "总计",
    "分别",
    "超过",
    "突破",
    "为",
    "达",
    "约",
    "超",
    "近",
    "逾",
    "共",
    "计",
    "是",
    "有",
    "的",
    "已",
    "仅",
    "和",
    "及",
    "与",
)
# A preposition opens the clause: the counted thing is written after the unit (对6条主干道路…).
PREPOSITIONS = ("对", "向", "把", "将", "给", "为")
# Where a name written after the unit ends: the verb of what was done to it, or the next item.
AFTER_NAME_VERBS = (
    "和",
    "及",
    "与",
    "实行",
    "进行",
    "实施",
    "征迁",
    "兑现",
    "落户",
    "入库",
    "列入",
    "完成",
    "开展",
    "参与",
    "获得",
    "达到",
    "实现",
    "已",
    "正",
    "将",
    "于",
    "被",
    "均",
)
LONGEST_NAME = 24
# A rate that says how something changed (办结率较上年提高1.5个百分点) is named with the change,
# as written, so that it is never taken for the rate itself; a change with nothing written
# before it (…98.6%，较上年提高1.5个百分点) has no name.
CHANGE_AT_END = re.compile(
    r"(?:同比|较上年同期|比上年同期|较去年同期|比去年同期|较上年|比上年|较去年|比去年|累计可比价|可比价)?"
    r"(?:增长|增加|提高|上升|上涨|比增|下降|减少|降低|回落|下滑)了?$"
)


def figure_name(
    text: str, start: int, stop: int, after: int, *, is_rate: bool
) -> tuple[str | None, int]:
    """The name of the figure whose number is at ``stop``, its clause starting at ``start``.

    Before the number when the clause names something there; otherwise (nothing left once the
    introducing verb is cut off, a preposition, an enumeration ending in 等) after the unit, which
    ends at ``after``, unless the figure is a rate. None when the clause opens on a lost place:
    its name may have lost its beginning. Also where the figure's words end (past a name after
    it).
    """
    if start > 0 and text[start - 1] == LOST:
        return None, after
    clause = text[start:stop]
    if is_rate:
        change = CHANGE_AT_END.search(clause)
        if change and not _strip(_after_introducer(clause[: change.start()])):
            return None, after
    segment = _strip(_after_introducer(clause)).strip("“”‘’\"'")
    if segment and not segment.startswith(PREPOSITIONS) and not segment.endswith("等"):
        return _tidy(segment), after
    # What follows a rate (以上, 和18%) is never its name.
    return (None, after) if is_rate else name_after(text, after)


def name_after(text: str, start: int) -> tuple[str | None, int]:
    """The name written right after a quantity's unit (``11个公益创投项目``), or None, and
    where it ends."""
    while text.startswith("的", start):
        start += 1
    stop = start
    while stop < len(text) and text[stop] not in CLAUSE_BREAKS and not text[stop].isdigit():
        stop += 1
    segment = text[start:stop]
    cut = len(segment)
    for verb in AFTER_NAME_VERBS:
        found = segment.find(verb, 1)
        if found != -1:
            cut = min(cut, found)
    name = _tidy(_strip(segment[:cut], leading=False))
    return name, (start + cut if name else start)


def _after_introducer(segment: str) -> str:
    """What follows the last introducing verb, unless that leaves a single character: 完成率 is a
    name, not 率 after 完成."""
    if segment.endswith(VERBS_BEFORE_NUMBER):
        return ""
    best = 0
    for word in INTRODUCERS:
        position = segment.rfind(word)
        while position != -1:
            end = position + len(word)
            if len(segment) - end >= 2 or end == len(segment):
                best = max(best, end)
                break
            position = segment.rfind(word, 0, position)
    return segment[best:]


def _strip(segment: str, *, leading: bool = True) -> str:
    segment = segment.strip()
    if segment in CONJUNCTIONS:
        # 和18%: the clause between two figures is only the word that joins them.
        return ""
    changed = True
    while changed and segment:
        changed = False
        for word in LEADING if leading else ():
            if segment.startswith(word):
                segment = segment[len(word) :].strip()
                changed = True
        for word in TRAILING:
            if segment.endswith(word):
                segment = segment[: -len(word)].strip()
                changed = True
    return segment


def _tidy(segment: str) -> str | None:
    segment = segment.strip().strip("”’").rstrip("“‘").strip()
    if not segment or not any(is_han(char) for char in segment) or len(segment) > LONGEST_NAME:
        return None
    return segment
