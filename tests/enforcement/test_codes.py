"""The check characters of the 统一社会信用代码 (GB 32100-2015) and of the resident ID number
(GB 11643-1999), against codes worked out by hand here."""

import pytest

from jiedao.enforcement.codes import (
    credit_code_check_character,
    credit_code_problem,
    id_number_check_character,
    id_number_problem,
)

# 9 1 3 3 0 1 0 9 M  A  2 B  3 C  4 D  5 — the values of the characters in
# 0123456789ABCDEFGHJKLMNPQRTUWXY (A=10, B=11, C=12, D=13, M=21), times the weights
# 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28:
#   9·1 + 1·3 + 3·9 + 3·27 + 0·19 + 1·26 + 0·16 + 9·17 + 21·20 + 10·29 + 2·25 + 11·13 + 3·8
#   + 12·24 + 4·10 + 13·30 + 5·28
#   = 9 + 3 + 27 + 81 + 0 + 26 + 0 + 153 + 420 + 290 + 50 + 143 + 24 + 288 + 40 + 390 + 140
#   = 2084; 2084 mod 31 = 7 (31·67 = 2077); 31 − 7 = 24, the character Q.
HAND_MADE = "91330109MA2B3C4D5Q"
# 9 2 3 3 0 1 0 9 0 0 0 0 0 0 0 0 0: 9 + 6 + 27 + 81 + 26 + 153 = 302; 302 mod 31 = 23
# (31·9 = 279); 31 − 23 = 8.
INDIVIDUAL = "923301090000000008"
# The example of the State Administration for Market Regulation's guidance.
PUBLISHED = "91350100M000100Y43"


def test_the_check_character_is_the_one_worked_out_by_hand():
    assert (
        credit_code_check_character(HAND_MADE[:17]),
        credit_code_check_character(INDIVIDUAL[:17]),
        credit_code_check_character(PUBLISHED[:17]),
    ) == ("Q", "8", "3")


@pytest.mark.parametrize("code", [HAND_MADE, INDIVIDUAL, PUBLISHED])
def test_well_formed_codes_pass(code):
    assert credit_code_problem(code) is None


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91330109MA2B3C4D5", "length"),  # 17 characters
        ("91330109MA2B3C4D5QQ", "length"),
        ("91330109MA2B3C4D5I", "charset"),  # I is not in the set
        ("91330109ma2b3c4d5q", "charset"),  # lower case
        ("B1330109MA2B3C4D5Q", "authority"),  # B registers nothing
        ("95330109MA2B3C4D5Q", "authority"),  # 工商 registers kinds 1–3 only
        ("9133A109MA2B3C4D5Q", "division"),
        ("91330109MA2B3C4D5R", "check"),
        ("91330109MA2B3C4D5P", "check"),
        ("923301090000000009", "check"),
    ],
)
def test_malformed_codes_name_their_problem(code, problem):
    assert credit_code_problem(code) == problem


def test_the_id_number_check_character():
    # 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 × 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
    # = 7 + 9 + 0 + 5 + 0 + 20 + 2 + 9 + 24 + 27 + 7 + 18 + 30 + 5 + 0 + 0 + 4 = 167;
    # 167 mod 11 = 2, and 2 stands for X in 1 0 X 9 8 7 6 5 4 3 2.
    assert id_number_check_character("11010519491231002") == "X"
    assert (
        id_number_problem("11010519491231002X"),
        id_number_problem("110105194912310021"),
        id_number_problem("1101051949123100"),
    ) == (None, "check", "length")
