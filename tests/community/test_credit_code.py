"""The GB 32100-2015 check character, on codes in the published format."""

import pytest

from jiedao.community.credit_code import check_character, normalise_credit_code
from jiedao.core.errors import InvalidInput

# Codes of real registrants, as printed on business licences.
REAL_CODES = ["91350100M000100Y43", "9144030071526726XG", "91110000802100433B"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code):
    assert check_character(code[:17]) == code[17]
    assert normalise_credit_code(code) == code


def test_spaces_and_lower_case_are_forgiven():
    assert normalise_credit_code(" 9144 0300 7152 6726xg ") == "9144030071526726XG"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9144030071526726XA", "统一社会信用代码无效：校验位不符，请检查是否输错。"),
        ("9144030071526726X", "统一社会信用代码应为18位，现为17位。"),
        ("9144030071526726XO", "统一社会信用代码不能包含“O”（不使用字母 I、O、S、V、Z）。"),
    ],
)
def test_a_wrong_code_is_refused_naming_the_field(code, message, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(InvalidInput) as raised:
        normalise_credit_code(code)
    assert (str(raised.value.message), raised.value.field) == (message, "credit_code")


def test_a_changed_digit_changes_the_check_character():
    code = REAL_CODES[1]
    changed = code[:5] + ("5" if code[5] != "5" else "6") + code[6:17]
    assert check_character(changed) != code[17]
