"""Figures one by one: base units, the units reports use, stated changes and their signs, what
is not a figure, and names that cannot be tied."""

from decimal import Decimal

import pytest

from jiedao.indicators.extraction import extract


def rows(text):
    return [
        (figure.name, figure.value, figure.unit, figure.yoy_percent)
        for figure in extract(text).figures
    ]


@pytest.mark.parametrize(
    ("text", "row"),
    [
        ("规上工业总产值15.3亿元。", ("规上工业总产值", Decimal(1530000000), "元", None)),
        ("核心产业增加值2237万元。", ("核心产业增加值", Decimal(22370000), "元", None)),
        ("清除淤泥1.35万立方米。", ("淤泥", Decimal(13500), "立方米", None)),
        ("发放奖励资金5千元。", ("发放奖励资金", Decimal(5000), "元", None)),
        ("全市债务余额0.25万亿元。", ("全市债务余额", Decimal(250000000000), "元", None)),
        ("排查数据3.8万余条。", ("数据", Decimal(38000), "条", None)),
        ("基金规模达1,234.5万元。", ("基金规模", Decimal(12345000), "元", None)),
        ("事件办结率为100%。", ("事件办结率", Decimal(100), "%", None)),
        ("覆盖率达到99.5％。", ("覆盖率", Decimal("99.5"), "%", None)),
        ("办结率较上年提高1.5个百分点。", ("办结率较上年提高", Decimal("1.5"), "百分点", None)),
        ("正式启动22万方的商品楼盘。", ("商品楼盘", Decimal(220000), "方", None)),
        ("设立了规模达1000万的基金。", ("规模", Decimal(10000000), "", None)),
        ("占地面积68.32亩。", ("占地面积", Decimal("68.32"), "亩", None)),
        ("接收境外返浙人员65名。", ("境外返浙人员", Decimal(65), "名", None)),
        ("新增普惠性托育机构5家。", ("普惠性托育机构", Decimal(5), "家", None)),
        ("累计处置各类违法用地7宗。", ("各类违法用地", Decimal(7), "宗", None)),
        ("服务群众3200人次。", ("服务群众", Decimal(3200), "人次", None)),
        ("完成11个公益创投项目。", ("公益创投项目", Decimal(11), "个", None)),
        ("对6条主干道路进行重塑提升。", ("主干道路", Decimal(6), "条", None)),
    ],
)
def test_a_figure_in_base_units_with_its_unit_and_name(text, row):
    assert rows(text) == [row]


def test_values_are_exact_decimals():
    (figure,) = extract("补助资金0.1亿元。").figures
    assert figure.value == Decimal(10000000)
    assert type(figure.value) is Decimal
    assert str(figure.value) == "10000000"


@pytest.mark.parametrize(
    ("text", "change"),
    [
        ("销售额5亿元，同比增长3.5%。", Decimal("3.5")),
        ("销售额5亿元，增长3.5%。", Decimal("3.5")),
        ("销售额5亿元，比增3.5%。", Decimal("3.5")),
        ("销售额5亿元，累计可比价增长3.5%。", Decimal("3.5")),
        ("销售额5亿元，同比提高3.5%。", Decimal("3.5")),
        ("销售额5亿元，同比下降3.5%。", Decimal("-3.5")),
        ("销售额5亿元，比上年减少3.5%。", Decimal("-3.5")),
        ("销售额5亿元，较去年同期降低3.5%。", Decimal("-3.5")),
    ],
)
def test_a_stated_change_is_the_figures_signed_percentage(text, change):
    (figure,) = extract(text).figures
    assert (figure.name, figure.value, figure.yoy_percent, figure.yoy_stated) == (
        "销售额",
        Decimal(500000000),
        change,
        True,
    )
    assert figure.sentence == text


def test_a_change_in_percentage_points_is_not_a_percentage():
    assert rows("事件办结率为98.6%，较上年提高1.5个百分点。") == [
        ("事件办结率", Decimal("98.6"), "%", None),
        (None, Decimal("1.5"), "百分点", None),
    ]
    assert rows("销售额5亿元，同比提高1.5个百分点。") == [
        ("销售额", Decimal(500000000), "元", None),
        (None, Decimal("1.5"), "百分点", None),
    ]


def test_a_change_written_alone_keeps_its_verb_in_the_name():
    # Not the level of R&D spending: how much it is to grow.
    assert rows("力争研发费用同比增长5%以上。") == [
        ("力争研发费用同比增长", Decimal(5), "%", None),
    ]


def test_dates_ordinals_ranges_and_codes_are_not_figures():
    text = (
        "2月28日上午正式开工，1-6月累计推进，计划于2023年底前建成，列入第3批名单，"
        "打赢“1.27”疫情防控遭遇战，启动“12619”计划，招引4S旗舰店，水质稳定在IV类，"
        "三季度完成，下午3点召开，2.0项目启动。"
    )
    assert rows(text) == []


def test_a_figure_whose_name_is_not_written_is_listed_without_one():
    assert rows("两处安置房分别完成总工程量的85%和18%。") == [
        ("总工程量", Decimal(85), "%", None),
        (None, Decimal(18), "%", None),
    ]
    assert rows("其中和平村5个。") == [("和平村", Decimal(5), "个", None)]
    assert rows("共5个。") == [(None, Decimal(5), "个", None)]


def test_names_before_and_after_the_number_in_one_clause():
    assert rows("正式启动22万方的商品楼盘和10万方的商业综合体项目。") == [
        ("商品楼盘", Decimal(220000), "方", None),
        ("商业综合体项目", Decimal(100000), "方", None),
    ]
    assert rows("立案21件、结案50件。") == [
        ("立案", Decimal(21), "件", None),
        ("结案", Decimal(50), "件", None),
    ]


def test_each_figure_carries_its_sentence_and_place():
    text = "上半年街道走访企业70家。事件办结率为100%；全年新增托位40个。"
    extraction = extract(text)
    assert [
        (figure.sentence, text[figure.start : figure.end]) for figure in extraction.figures
    ] == [
        ("上半年街道走访企业70家。", "70家"),
        ("事件办结率为100%；", "100%"),
        ("全年新增托位40个。", "40个"),
    ]
