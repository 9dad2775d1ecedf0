"""Reports written here, damaged here the ways seed 000 was (OpenCC to traditional, pypinyin's
annotations, UTF-8 read as GBK, a quote knocked out of step), read back to the figures written
here: the extraction works on any report damaged the same way, not on the seed alone."""

from decimal import Decimal

from jiedao.indicators.extraction import extract

from .damage import (
    LOST,
    annotate_pinyin,
    quote_knocked_out_of_step,
    utf8_read_as_gbk,
    utf8_read_as_gbk_swallowing,
)

REPORT = (
    "今年以来，东湖街道统筹推进经济社会发展。上半年，街道实现地区生产总值48.6亿元，同比增长7.2%。"
    "完成固定资产投资3.15亿元，同比下降4.5%。实现社会消费品零售总额9870万元，比增12.3%。\n"
    "街道网格采集事件5120件，事件办结率为98.6%，较上年提高1.5个百分点。累计清理河道淤泥约2.4万立方米，"
    "新增公共停车位360个，走访企业85家，恢复耕地面积12.5亩。高新区(滨江)三个社区获评(试点)单位。"
)

FIGURES = [
    ("地区生产总值", Decimal(4860000000), "元", Decimal("7.2")),
    ("固定资产投资", Decimal(315000000), "元", Decimal("-4.5")),
    ("社会消费品零售总额", Decimal(98700000), "元", Decimal("12.3")),
    ("事件", Decimal(5120), "件", None),
    ("事件办结率", Decimal("98.6"), "%", None),
    (None, Decimal("1.5"), "百分点", None),
    ("河道淤泥", Decimal(24000), "立方米", None),
    ("公共停车位", Decimal(360), "个", None),
    ("企业", Decimal(85), "家", None),
    ("耕地面积", Decimal("12.5"), "亩", None),
]


def rows(extraction):
    return [
        (figure.name, figure.value, figure.unit, figure.yoy_percent)
        for figure in extraction.figures
    ]


def places(extraction):
    return [
        (extraction.text[place.start : place.end], place.reason) for place in extraction.unreadable
    ]


def test_the_clean_report_reads_to_the_figures_written():
    extraction = extract(REPORT)
    assert (extraction.text, rows(extraction), extraction.unreadable) == (REPORT, FIGURES, [])


def test_traditional_characters_with_pinyin_read_back_to_the_report():
    damaged = annotate_pinyin(REPORT)
    assert damaged.startswith("今年以來(lái)，東(dōng)湖街道統(tǒng)籌(chóu)推進(jìn)")
    assert "高新區(qū)(濱(bīn)江)" in damaged

    extraction = extract(damaged)

    assert (extraction.text, rows(extraction), extraction.unreadable) == (REPORT, FIGURES, [])


def test_utf8_read_as_gbk_where_every_byte_survives_reads_back_whole():
    damaged = utf8_read_as_gbk(annotate_pinyin(REPORT), "上半年，街道")
    damaged = utf8_read_as_gbk(damaged, "零售")
    assert "涓婂崐骞达紝琛楅亾" in damaged
    assert "消費(fèi)品闆跺敭總(zǒng)額(é)" in damaged
    assert LOST not in damaged

    extraction = extract(damaged.encode("utf-8"))

    assert (extraction.text, rows(extraction), extraction.unreadable) == (REPORT, FIGURES, [])


def test_a_lost_byte_is_marked_and_every_figure_still_read():
    # 個 and 獲 ended on a byte GBK cannot read: those characters are gone, 社區 survives.
    damaged = utf8_read_as_gbk(annotate_pinyin(REPORT), "三個(gè)社區(qū)獲(huò)評(píng)")
    assert "涓夊��(g猫)绀惧崁(q奴)鐛�(hu貌)瑭�(p铆n" in damaged

    extraction = extract(damaged)

    assert extraction.text == REPORT.replace("三个社区获评", "三�社区�")
    assert rows(extraction) == FIGURES
    assert places(extraction) == [("�", "lost-bytes"), ("�", "lost-bytes")]
    assert extraction.unreadable[0].sentence == "高新区(滨江)三�社区�(试点)单位。"


def test_a_number_split_by_mojibake_is_unreadable_never_guessed():
    # 值 lost its last byte and, with it, the 4 of 48.6 (a decoder that swallows the byte after
    # a bad one); 億 and 元 went the same way.
    damaged = utf8_read_as_gbk_swallowing(
        annotate_pinyin(REPORT), "生產(chǎn)總(zǒng)值48.6億(yì)元"
    )
    assert "鍊?8.6鍎?y矛)鍏?" in damaged

    extraction = extract(damaged)

    assert rows(extraction) == FIGURES[1:]
    assert places(extraction) == [("�8.6�，同比增长7.2%", "number-damaged")]
    assert extraction.unreadable[0].sentence == "上半年，街道实现地区生产�8.6�，同比增长7.2%。"
    assert not {Decimal("8.6"), Decimal(860000000), Decimal("7.2")} & {
        value for _, value, _, _ in rows(extraction)
    }


def test_a_number_after_lost_bytes_is_unreadable_even_with_its_digits_intact():
    # Python's decoder keeps the digits, but nothing tells that none went: 網 and the 5 of 5120
    # are both after a replaced byte.
    damaged = utf8_read_as_gbk_swallowing(
        annotate_pinyin(REPORT), "街道網(wǎng)格採(cǎi)集事件5120件"
    )

    extraction = extract(damaged)

    assert rows(extraction) == FIGURES[:3] + FIGURES[4:]
    assert places(extraction) == [("�", "lost-bytes"), ("�120�", "number-damaged")]
    assert extraction.text.splitlines()[1].startswith("街道�格采集事�120�，事件办结率为98.6%")


def test_a_closing_quote_knocked_out_of_step_is_read_again():
    report = "“我们要把服务做到群众心坎上。”住进新居的老人说。街道新增养老床位120张。"
    damaged = quote_knocked_out_of_step(annotate_pinyin(report), "心坎上")
    assert damaged.startswith("“我們(men)要把服務(wù)做到羣(qún)衆(zhòng)心坎上?!弊∵M(jìn)新居")

    extraction = extract(damaged)

    assert (
        extraction.text == "“我们要把服务做到群众心坎上�住进新居的老人说。街道新增养老床位120张。"
    )
    assert rows(extraction) == [("养老床位", Decimal(120), "张", None)]
    assert places(extraction) == [("�", "lost-bytes")]


def test_a_digit_lost_with_the_quote_makes_the_number_unreadable():
    report = "“这是我们对群众的承诺。”15家企业当天签约入驻，总投资6.8亿元。"
    damaged = quote_knocked_out_of_step(annotate_pinyin(report), "諾(nuò)")
    assert "承諾(nuò)?!?5家企業(yè)" in damaged

    extraction = extract(damaged)

    assert extraction.text == "“这是我们对群众的承诺�5家企业当天签约入驻，总投资6.8亿元。"
    assert rows(extraction) == [("总投资", Decimal(680000000), "元", None)]
    assert places(extraction) == [("�5家", "number-damaged")]


def test_a_lost_place_in_a_name_leaves_the_figure_without_one():
    # 實 and 現 are lost: 街道�地区生产总值 might have said anything before 地区.
    damaged = utf8_read_as_gbk(annotate_pinyin(REPORT), "街道實(shí)現(xiàn)地區(qū)")

    extraction = extract(damaged)

    assert rows(extraction) == [(None, *FIGURES[0][1:]), *FIGURES[1:]]
    assert places(extraction) == [("�", "lost-bytes")]
