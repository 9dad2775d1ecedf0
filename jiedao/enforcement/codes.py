"""Checks of the identifiers an enforcement target carries.

* 统一社会信用代码 (GB 32100-2015): 18 characters from the 31-character set
  ``0123456789ABCDEFGHJKLMNPQRTUWXY`` (no I, O, Z, S, V). Position 1 is the registration
  authority, 2 the kind of entity, 3–8 the administrative division (digits), 9–17 the
  organisation code, and 18 the check character: with the values of the characters in the set
  and the weights ``3^(i-1) mod 31`` of positions 1–17, ``C18 = 31 − (Σ Ci·Wi mod 31)``, where
  31 stands for 0.
* 公民身份号码 (GB 11643-1999): 17 digits and a check character ``(12 − Σ ai·Wi mod 11) mod 11``
  with the weights ``2^(17-i) mod 11``, 10 written X.
"""

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Position 1: the registration authority; position 2: the kinds each authority registers.
CREDIT_CODE_KINDS = {
    "1": "1239",  # 机构编制
    "2": "19",  # 外交
    "3": "1239",  # 司法行政
    "4": "19",  # 文化
    "5": "1239",  # 民政
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 工商 (企业、个体工商户、农民专业合作社)
    "A": "19",  # 中央军委改革和编制办公室
    "N": "1239",  # 农业
    "Y": "1",  # 其他
}
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def credit_code_check_character(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters (which must be in the set)."""
    total = sum(
        CREDIT_CODE_CHARSET.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """None when ``code`` is a well-formed 统一社会信用代码, else what is wrong (a key of
    :data:`PROBLEMS`)."""
    if len(code) != 18:
        return "length"
    if any(char not in CREDIT_CODE_CHARSET for char in code):
        return "charset"
    if code[1] not in CREDIT_CODE_KINDS.get(code[0], ""):
        return "authority"
    if not code[2:8].isdigit():
        return "division"
    if credit_code_check_character(code[:17]) != code[17]:
        return "check"
    return None


def id_number_check_character(first17: str) -> str:
    total = sum(int(char) * weight for char, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def id_number_problem(number: str) -> str | None:
    """None when ``number`` is a well-formed 18-character resident ID number."""
    if len(number) != 18 or not number[:17].isdigit():
        return "length"
    if id_number_check_character(number[:17]) != number[17]:
        return "check"
    return None
