from decimal import Decimal

import pytest

from jiedao.supervision.targets import parse_targets, values_reached

# Phrases from seed 003's task contents → (quantity, unit, subject, comparator).
SEED_TARGETS = [
    (
        "推进“浙有善育”民生实事,新增40个托位,创建示范型婴幼儿成长驿站1个。",
        [
            (Decimal(40), "个", "托位", "="),
            (Decimal(1), "个", "示范型婴幼儿成长驿站", "="),
        ],
    ),
    (
        (
            "力争2023年规上企业研发费用同比增长5%以上,新增科技备案企业5家以上,新增国家高新技术"
            "企业5家以上,省级科技型中小企业10家以上。"
        ),
        [
            (Decimal(5), "%", "规上企业研发费用同比增长", ">="),
            (Decimal(5), "家", "科技备案企业", ">="),
            (Decimal(5), "家", "国家高新技术企业", ">="),
            (Decimal(10), "家", "省级科技型中小企业", ">="),
        ],
    ),
    (
        "建好“15分钟品质文化生活圈”和“10分钟健身圈”,开展各类文体活动200场以上。",
        [
            (Decimal(200), "场", "各类文体活动", ">="),
        ],
    ),
    (
        "推进三江未来社区环境整体提升和智慧化改造,增设公共停车位350个,加装一批电梯。",
        [
            (Decimal(350), "个", "公共停车位", "="),
        ],
    ),
    (
        "完成4个微型消防中心站和1个小区智慧消防建设,新增300孔电动自行车智能充电桩。",
        [
            (Decimal(4), "个", "微型消防中心站", "="),
            (Decimal(1), "个", "小区智慧消防建设", "="),
            (Decimal(300), "孔", "电动自行车智能充电桩", "="),
        ],
    ),
    (
        "增设道路违停自动抓拍监控15个,增加闯红灯电子警察系统2套。",
        [
            (Decimal(15), "个", "道路违停自动抓拍监控", "="),
            (Decimal(2), "套", "闯红灯电子警察系统", "="),
        ],
    ),
    ("做好1万名退休职工体检工作。", [(Decimal(10000), "名", "退休职工体检工作", "=")]),
    ("新建康养联合体1家。", [(Decimal(1), "家", "康养联合体", "=")]),
    ("为重点项目落地腾出发展空间100亩。", [(Decimal(100), "亩", "发展空间", "=")]),
    (
        "对集镇内8条道路、15块闲置地块进行景观提升",
        [
            (Decimal(8), "条", "道路", "="),
            (Decimal(15), "块", "闲置地块", "="),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SEED_TARGETS)
def test_parses_the_quantities_of_seed_003(text, expected):
    assert [quantity.as_tuple() for quantity in parse_targets(text)] == expected


def test_the_phrase_is_the_words_that_state_the_target():
    phrases = [q.phrase for q in parse_targets("新增40个托位,创建示范型婴幼儿成长驿站1个。")]
    assert phrases == ["新增40个托位", "创建示范型婴幼儿成长驿站1个"]


@pytest.mark.parametrize(
    "text",
    [
        "力争3月底前完成腾房工作",  # a date
        "建好“15分钟品质文化生活圈”",  # a duration
        "全域环境整治提升工程2.0版",  # a version
        "确保实现2024年秋季招生",  # a year
        "顺利完成70岁以上老年人流感疫苗接种",  # an age
        "江澜社区通过省级第三批未来社区验收",  # an ordinal in words
    ],
)
def test_dates_durations_versions_and_ages_are_not_targets(text):
    assert parse_targets(text) == []


def test_maximum_and_money():
    assert [q.as_tuple() for q in parse_targets("投诉量控制在10件以内,资金58.8万元")] == [
        (Decimal(10), "件", "投诉量", "<="),
        (Decimal("58.8"), "万元", "资金", "="),
    ]


def test_values_reached_reads_results_but_not_restated_goals():
    content = "新增40个托位,创建示范型婴幼儿成长驿站1个。开展各类文体活动200场以上。"
    targets = [(1, "个", "托位"), (2, "个", "示范型婴幼儿成长驿站"), (3, "场", "各类文体活动")]
    progress = "南岸社区新增备案托位40个。江澜社区示范型婴幼儿成长驿站通过验收。开展各类文体活动200场以上。"
    assert values_reached(targets, progress, content=content) == {1: Decimal(40)}
