"""Masking of phone numbers, ID numbers and names for roles that do not need to see them."""

import pytest

from jiedao.core.pii import mask_email, mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13800138000", "138****8000"),
        ("+8613800138000", "138****8000"),
        ("8613800138000", "138****8000"),
        ("+86 138 0013 8000", "138****8000"),
        ("138-0013-8000", "138****8000"),
        ("19912345678", "199****5678"),
        ("0571-82345678", "********5678"),
        ("82345678", "****5678"),
        ("110", "***"),
        ("1234", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("330109199001011234", "330109********1234"),
        ("33010919900101123X", "330109********123X"),
        ("330109900101123", "330109*****1123"),
        ("12345678901", "123456*8901"),
        ("1234567890", "**********"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(number, masked):
    assert mask_id_number(number) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张*"), ("欧阳娜娜", "欧***"), ("王", "王"), ("", ""), (None, "")],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("zhang.san@example.com", "z***@e***.com"),
        ("li+jiedao@mail.hz.gov.cn", "l***@m***.cn"),
        ("12345678@qq.com", "1***@q***.com"),
        ("not an address", "***"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_email(address, masked):
    assert mask_email(address) == masked
