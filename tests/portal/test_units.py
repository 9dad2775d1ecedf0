"""Follow codes and the public text scrubber."""

from typing import Any

import pytest

from jiedao.portal import tokens
from jiedao.portal.privacy import public_coordinate, scrub_text


def test_follow_code_is_stable_and_checked(settings: Any) -> None:
    code = tokens.follow_code("WY20261122-0001", "salt")
    assert len(code) == tokens.CODE_LENGTH
    assert set(code) <= set(tokens.ALPHABET)
    assert code == tokens.follow_code("WY20261122-0001", "salt")
    assert code != tokens.follow_code("WY20261122-0002", "salt")
    assert code != tokens.follow_code("WY20261122-0001", "other")
    assert tokens.check_code("WY20261122-0001", "salt", tokens.display_code(code).lower())
    assert not tokens.check_code("WY20261122-0001", "salt", "2222222222")
    assert not tokens.check_code("WY20261122-0001", "salt", code[:-1])


def test_follow_codes_survive_a_key_rotation(settings: Any) -> None:
    code = tokens.follow_code("WY20261122-0001", "salt")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-the-installation-0123456789"
    assert tokens.check_code("WY20261122-0001", "salt", code)
    settings.SECRET_KEY_FALLBACKS = []
    assert not tokens.check_code("WY20261122-0001", "salt", code)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("电话13812345678", "电话138****5678"),
        ("call +86 138-1234-5678 now", "call 138****5678 now"),
        ("座机 0571-82345678", "座机 ********5678"),
        ("身份证 33010919900101123X", "身份证 330109********123X"),
        ("WY20261122-0001 号事件", "WY20261122-0001 号事件"),
        ("3幢302室", "3幢302室"),
        ("写信给 zhang.san@example.com 谢谢", "写信给 z***@e***.com 谢谢"),
        ("邮箱zhang_san+tag@mail.qq.com联系我", "邮箱z***@m***.com联系我"),
        ("ZHANG@EXAMPLE.ORG.CN", "Z***@E***.CN"),
        ("13812345678@139.com", "1***@1***.com"),
        ("邮箱 wang ＠ 163.com。", "邮箱 w***@1***.com。"),
        ("3@4 楼道", "3@4 楼道"),
    ],
)
def test_scrub_text_masks_phone_and_id_numbers(text: str, expected: str) -> None:
    assert scrub_text(text) == expected


def test_public_coordinates_are_rounded_to_about_100_metres() -> None:
    assert public_coordinate(30.1394567) == 30.139
    assert public_coordinate(120.2176543) == 120.218
