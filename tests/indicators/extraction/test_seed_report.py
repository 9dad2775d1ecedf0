"""Seed 000, a real report as crawled: traditional characters with pinyin after many of them, and
UTF-8 read as GBK around five closing quotes. Its figures are real and read exactly."""

from decimal import Decimal
from pathlib import Path

import pytest

from jiedao.indicators.extraction import extract, extract_file

SEED = Path(__file__).parent / "data" / "report_000.txt"


@pytest.fixture(scope="module")
def seed():
    return extract_file(SEED)


def rows(extraction):
    return [
        (figure.name, figure.value, figure.unit, figure.yoy_percent)
        for figure in extraction.figures
    ]


def test_the_economic_figures_are_read_exactly_in_base_units(seed):
    assert rows(seed)[:4] == [
        ("规上工业总产值", Decimal(1530000000), "元", None),
        ("规上工业增加值", Decimal(276000000), "元", None),
        ("规上数字经济核心产业增加值", Decimal(22370000), "元", Decimal("16.6")),
        ("社会消费品零售总额", Decimal(203000000), "元", Decimal("26.4")),
    ]
    assert [figure.yoy_stated for figure in seed.figures[:4]] == [False, False, True, True]
    assert seed.figures[3].sentence == "实现社会消费品零售总额2.03亿元,同比增长26.4%。"
    assert all(isinstance(figure.value, Decimal) for figure in seed.figures)


@pytest.mark.parametrize(
    "row",
    [
        ("事件", Decimal(4234), "件", None),
        ("一网统管事件", Decimal(1059), "条", None),
        ("事件办结率", Decimal(100), "%", None),
        ("各类综合整治和“综合查一次”行动", Decimal(134), "次", None),
        ("立案", Decimal(21), "件", None),
        ("结案", Decimal(50), "件", None),
        ("流调数据", Decimal(38000), "条", None),
        ("疫苗接种", Decimal(173000), "针", None),
        ("用房配建缺口", Decimal(592), "平方米", None),
        ("闻堰初中重高上线", Decimal(98), "人", Decimal("3.2")),
        ("龙山河淤泥及河床垃圾", Decimal(13500), "立方米", None),
        ("总投资", Decimal(140000000), "元", None),
        ("耕地面积", Decimal("33.7"), "亩", None),
        ("占地面积", Decimal("68.32"), "亩", None),
        ("年产值", Decimal(7000000000), "元", None),
        ("公益创投项目", Decimal(11), "个", None),
        ("未来产业社区核心区块建设", Decimal("1.48"), "平方公里", None),
        ("规模", Decimal(10000000), "", None),
    ],
)
def test_more_of_the_seeds_figures_with_their_names_as_written(seed, row):
    assert row in rows(seed)


def test_a_figure_whose_name_is_not_written_has_none(seed):
    # 东山陈安置房和裴家里区块安置房分别完成总工程量的85%和18%
    assert ("总工程量", Decimal(85), "%", None) in rows(seed)
    assert (None, Decimal(18), "%", None) in rows(seed)


def test_the_repaired_text_has_no_pinyin_and_is_simplified(seed):
    assert seed.text.startswith("闻堰抢抓“萧滨一体化”机遇 打造现代社区建设实验街区\n")
    assert "(jī)" not in seed.text
    # Real parentheses stay.
    assert "自杭州高新区(滨江)萧山特别合作园揭牌以来" in seed.text


def test_text_knocked_out_of_step_is_read_again_and_lost_bytes_marked(seed):
    assert "不给儿女添麻烦�住进福寿康居家养老服务中心" in seed.text
    assert "吹响全域环境整治号角�工程采用EPC模式" in seed.text
    assert "我们终于抓住了机会�闻堰街道党工委副书记" in seed.text
    assert "探索村级留用地“以地�房”开发合作新模式" in seed.text
    around = [seed.text[place.start - 4 : place.end + 4] for place in seed.unreadable]
    assert around == [
        "进行调研�月27日",
        "女添麻烦�住进福寿",
        "整治号角�工程采用",
        "住了机会�闻堰街道",
        "地“以地�房”开发",
    ]
    assert {place.reason for place in seed.unreadable} == {"lost-bytes"}
    assert seed.unreadable[0].sentence.startswith("“我们根据居民的需求定制清单")


def test_nothing_damaged_is_listed_as_a_figure(seed):
    # The 6 of 6月27日 went with the quote; the 27 left is a date, and no figure comes from a
    # lost place.
    for figure in seed.figures:
        assert "�" not in seed.text[figure.start : figure.end]
        assert not any(
            place.start <= figure.end and figure.start <= place.end for place in seed.unreadable
        )
    assert Decimal(27) not in [figure.value for figure in seed.figures]


def test_bytes_and_text_read_the_same(seed):
    from_text = extract(SEED.read_text(encoding="utf-8"))
    assert (from_text.text, rows(from_text)) == (seed.text, rows(seed))
