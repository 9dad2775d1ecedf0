"""The repair alone: pinyin annotations checked against the characters, real parentheses kept,
traditional to simplified, the encodings a file arrives in, and files that are not reports."""

import pytest
from django.utils import translation

from jiedao.core.errors import InvalidInput
from jiedao.indicators.extraction import extract_file, repair


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("搶抓機(jī)遇", "抢抓机遇"),
        # A heteronym read either way: 會 is huì in 會議 and kuài in 會計.
        ("會(huì)議和會(kuài)計", "会议和会计"),
        # Several characters annotated at once, and without tone marks.
        ("機遇(jī yù)與挑戰(tiǎo zhàn)", "机遇与挑战"),
        ("機(ji)遇", "机遇"),
        # Full-width parentheses.
        ("現（xiàn）代", "现代"),
    ],
)
def test_pinyin_of_the_characters_before_it_is_removed(damaged, repaired):
    assert repair(damaged).text == repaired


@pytest.mark.parametrize(
    ("text", "repaired"),
    [
        ("杭州高新區(濱江)", "杭州高新区(滨江)"),
        ("辦法(試行)", "办法(试行)"),
        ("第(一)項", "第(一)项"),
        # Pinyin, but not of the character before it: text, kept as written.
        ("機(xiàn)遇", "机(xiàn)遇"),
        ("型號(A)", "型号(A)"),
        ("費用(ppp)", "费用(ppp)"),
    ],
)
def test_real_parentheses_stay(text, repaired):
    assert repair(text).text == repaired


def test_the_file_may_be_utf8_with_a_byte_order_mark_or_gbk(tmp_path):
    report = "街道实现社会消费品零售总额2.03亿元。"
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + report.encode("utf-8"))
    (tmp_path / "gbk.txt").write_bytes(report.encode("gbk"))
    (tmp_path / "crlf.txt").write_bytes("第一段\r\n第二段".encode())

    assert extract_file(tmp_path / "bom.txt").text == report
    assert extract_file(tmp_path / "gbk.txt").text == report
    assert extract_file(tmp_path / "crlf.txt").text == "第一段\n第二段"


def test_bytes_that_are_neither_utf8_nor_gbk_are_lost_places():
    repaired = repair("街道实现".encode() + b"\xff" + "总产值".encode())
    assert repaired.text == "街道实现�总产值"
    assert [(place.start, place.end, place.reason) for place in repaired.damage] == [
        (4, 5, "lost-bytes")
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "报告文件是空的：请选择报告的文本文件。"),
        (b" \n\t", "报告文件是空的：请选择报告的文本文件。"),
        (
            b"%PDF-1.7\n\x00\x01\x02",
            "报告文件不是文本文件：请将报告另存为纯文本（UTF-8 或 GBK）后重试。",
        ),
        (
            bytes(range(128, 256)) * 4,
            "报告文件不是文本文件：请将报告另存为纯文本（UTF-8 或 GBK）后重试。",
        ),
    ],
)
def test_a_file_that_is_no_report_is_refused_naming_the_field(raw, message, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as raised:
        repair(raw)
    assert (str(raised.value.message), raised.value.field) == (message, "file")


def test_a_missing_file_is_refused_naming_the_field(tmp_path, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    missing = tmp_path / "report.txt"
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as raised:
        extract_file(missing)
    assert (str(raised.value.message), raised.value.field) == (
        f"报告文件 {missing} 不存在。",
        "file",
    )
