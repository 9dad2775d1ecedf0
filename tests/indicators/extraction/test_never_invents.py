"""Whatever span of a report is damaged, and however, the extraction only loses: every character
of the repaired text is the report's, in order, with each loss marked; every figure is one the
report states, with its own name or none, its own change or none."""

import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jiedao.indicators.extraction import extract

from .damage import (
    annotate_pinyin,
    quote_knocked_out_of_step,
    swallowing_gbk_decode,
    to_traditional,
    utf8_read_as_gbk,
    utf8_read_as_gbk_swallowing,
)
from .test_damaged_reports import FIGURES, REPORT

ANNOTATED = annotate_pinyin(REPORT)


def only_lost(repaired: str) -> bool:
    """Whether ``repaired`` is REPORT with some stretches replaced by one marker each."""
    pattern = ".*?".join(re.escape(piece) for piece in repaired.split("\ufffd"))
    return re.fullmatch(pattern, REPORT, flags=re.DOTALL) is not None


def figures_are_the_reports(extraction) -> bool:
    stated = {(value, unit): (name, change) for name, value, unit, change in FIGURES}
    for figure in extraction.figures:
        name, change = stated.get((figure.value, figure.unit), ("—", "—"))
        if figure.name not in {name, None} or figure.yoy_percent not in {change, None}:
            return False
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.integers(min_value=0, max_value=len(ANNOTATED) - 1),
    length=st.integers(min_value=1, max_value=40),
    swallowing=st.booleans(),
)
def test_a_damaged_span_anywhere_only_loses(start, length, swallowing):
    span = ANNOTATED[start : start + length]
    assume(ANNOTATED.count(span) == 1)
    damage = utf8_read_as_gbk_swallowing if swallowing else utf8_read_as_gbk
    extraction = extract(damage(ANNOTATED, span))

    assert only_lost(extraction.text), extraction.text
    assert figures_are_the_reports(extraction)


def test_a_report_read_as_gbk_throughout_only_loses():
    for source in (REPORT, to_traditional(REPORT), ANNOTATED):
        for damaged in (
            source.encode("utf-8").decode("gbk", errors="replace"),
            swallowing_gbk_decode(source.encode("utf-8")),
        ):
            extraction = extract(damaged)
            assert only_lost(extraction.text), extraction.text
            assert figures_are_the_reports(extraction)


def test_the_check_itself_catches_an_invented_character_or_figure():
    assert only_lost(REPORT.replace("东湖", "东�"))
    assert not only_lost(REPORT.replace("东湖", "东河"))
    assert not figures_are_the_reports(extract(REPORT.replace("48.6亿元", "8.6亿元")))


QUOTES = (
    "“我们要把服务做到群众心坎上。”住进新居的老人说。“这是我们对群众的承诺。”15家企业当天签约入驻，"
    "总投资6.8亿元。“环境好了，日子也更有盼头了。”东湖街道党工委书记介绍说。“项目进展顺利。”3月完成"
    "主体工程。“请放心。”街道新增养老床位120张。“我们会继续努力。”(记者 王明)全年完成绿化提升工程4项。"
)
QUOTES_FIGURES = {
    (Decimal(15), "家"): "企业当天签约入驻",
    (Decimal(680000000), "元"): "总投资",
    (Decimal(120), "张"): "养老床位",
    (Decimal(4), "项"): "绿化提升工程",
}
QUOTES_ANNOTATED = annotate_pinyin(QUOTES)


@pytest.mark.parametrize("quote", range(QUOTES_ANNOTATED.count("。”")))
def test_a_quote_knocked_out_of_step_anywhere_only_loses(quote):
    position = [match.start() for match in re.finditer("。”", QUOTES_ANNOTATED)][quote]
    damaged = quote_knocked_out_of_step(QUOTES_ANNOTATED, QUOTES_ANNOTATED[position - 6 : position])
    assert "?!" in damaged

    extraction = extract(damaged)

    pattern = ".*?".join(re.escape(piece) for piece in extraction.text.split("\ufffd"))
    assert re.fullmatch(pattern, QUOTES, flags=re.DOTALL), extraction.text
    assert len(extraction.unreadable) == 1
    for figure in extraction.figures:
        assert figure.name in {QUOTES_FIGURES[(figure.value, figure.unit)], None}
