"""The one text check: stripped, required or not, bounded; messages name the field's label."""

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import InvalidInput
from jiedao.core.text import clean_text


def test_surrounding_white_space_is_stripped_and_nothing_is_empty():
    assert clean_text("  三江社区 \n", field="name", max_length=10) == "三江社区"
    assert clean_text(None, field="note", max_length=10) == ""
    assert clean_text("", field="note", max_length=10) == ""
    assert clean_text("一" * 10, field="name", max_length=10) == "一" * 10


@pytest.mark.parametrize(
    ("value", "required", "code", "message"),
    [
        ("   ", True, "required", "名称 为必填项。"),
        (None, True, "required", "名称 为必填项。"),
        ("一" * 11, False, "too_long", "名称 过长：最多 10 个字符。"),
        (12, False, "not_text", "名称 必须是文本。"),
    ],
)
def test_messages_in_chinese_name_the_label(value, required, code, message):
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as raised:
        clean_text(value, field="name", label=_("name"), max_length=10, required=required)

    assert (str(raised.value.message), raised.value.code, raised.value.field) == (
        message,
        code,
        "name",
    )


def test_without_a_label_the_field_is_named():
    with translation.override("en"), pytest.raises(InvalidInput) as raised:
        clean_text("", field="features[2].properties.name", max_length=10, required=True)

    assert str(raised.value.message) == "features[2].properties.name is required."
    assert raised.value.field == "features[2].properties.name"
