"""`jiedao indicators extract FILE [--json]`: the same extraction as the library, printed; it
writes nothing."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from jiedao.indicators.extraction import extract_file

SEED = Path(__file__).parent / "data" / "report_000.txt"


def run(*args):
    out = StringIO()
    call_command("indicators", "extract", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        yield


@pytest.mark.usefixtures("chinese")
def test_json_has_the_repaired_text_the_figures_and_the_unreadable_places():
    data = json.loads(run(str(SEED), "--json"))

    assert set(data) == {"text", "figures", "unreadable"}
    assert data["figures"][:4] == [
        {
            "name": "规上工业总产值",
            "value": "1530000000",
            "unit": "元",
            "yoy_percent": None,
            "sentence": "在“三重压力”叠加“两大变量”之下,上半年,"
            "街道实现规上工业总产值15.3亿元,规上工业增加值2.76亿元。",
        },
        {
            "name": "规上工业增加值",
            "value": "276000000",
            "unit": "元",
            "yoy_percent": None,
            "sentence": "在“三重压力”叠加“两大变量”之下,上半年,"
            "街道实现规上工业总产值15.3亿元,规上工业增加值2.76亿元。",
        },
        {
            "name": "规上数字经济核心产业增加值",
            "value": "22370000",
            "unit": "元",
            "yoy_percent": "16.6",
            "sentence": "完成规上数字经济核心产业增加值2237万元,累计可比价增长16.6%。",
        },
        {
            "name": "社会消费品零售总额",
            "value": "203000000",
            "unit": "元",
            "yoy_percent": "26.4",
            "sentence": "实现社会消费品零售总额2.03亿元,同比增长26.4%。",
        },
    ]
    assert data["unreadable"][1] == {
        "sentence": "“不给自己增负担,不给儿女添麻烦�住进福寿康居家养老服务中心的老人说,"
        "社区养老让他不再操心生活琐事。",
        "start": 1316,
        "end": 1317,
        "reason": "lost-bytes",
        "explanation": "此处乱码的字节已丢失，原文无法恢复。",
    }
    assert data["text"][1316] == "�"


def test_json_is_the_library_extraction_as_json():
    assert json.loads(run(str(SEED), "--json")) == json.loads(
        json.dumps(extract_file(SEED).as_json())
    )


def test_a_falling_change_is_negative_in_json(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("销售额5亿元，同比下降3.5%。", encoding="utf-8")
    assert json.loads(run(str(report), "--json"))["figures"] == [
        {
            "name": "销售额",
            "value": "500000000",
            "unit": "元",
            "yoy_percent": "-3.5",
            "sentence": "销售额5亿元，同比下降3.5%。",
        }
    ]


@pytest.mark.usefixtures("chinese")
def test_the_table_lists_figures_then_unreadable_places(tmp_path):
    report = tmp_path / "report.txt"
    report.write_bytes(
        "实现社会消费品零售总额2.03亿元，同比增长26.4%。共5个，下降3%。"
        "“这是我们的承诺?!?5家企业入驻。".encode()
    )

    assert run(str(report)).splitlines() == [
        "数据：2 项",
        (
            "社会消费品零售总额\t203000000 元\t同比 +26.4%\t"
            "实现社会消费品零售总额2.03亿元，同比增长26.4%。"
        ),
        "（无名称）\t5 个\t同比 -3%\t共5个，下降3%。",
        "无法读取之处：1 处",
        ("�5家\t此处数字紧邻乱码，可能缺失数位，不予读取。\t“这是我们的承诺�5家企业入驻。"),
    ]


@pytest.mark.usefixtures("chinese")
def test_a_missing_or_unreadable_file_is_a_clear_error(tmp_path):
    missing = tmp_path / "missing.txt"
    with pytest.raises(CommandError, match=f"^报告文件 {missing} 不存在。$"):
        run(str(missing))
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(CommandError, match="^报告文件不是文本文件"):
        run(str(picture))
