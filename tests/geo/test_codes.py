"""GB/T 30428.1 grid codes and the shorter codes of their parents."""

import pytest

from jiedao.core.errors import InvalidInput
from jiedao.geo.codes import validate_child_code, validate_code

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("330109012001001", "grid"),
        ("330109012007004", "grid"),
        ("110101001002999", "grid"),
        ("330109012001", "community"),
        ("820101999999", "community"),
        ("330109012", "subdistrict"),
    ],
)
def test_well_formed_codes_are_returned(code, level):
    assert validate_code(code, level) == code


@pytest.mark.parametrize(
    ("code", "level", "length"),
    [
        ("33010901200100", "grid", 15),
        ("3301090120010011", "grid", 15),
        ("330109012", "grid", 15),
        ("33010901200", "community", 12),
        ("3301090120", "subdistrict", 9),
        ("", "grid", 15),
        ("33010901200100A", "grid", 15),
        ("330109-12001001", "grid", 15),
        (" 33010901200100", "grid", 15),
        ("３３０１０９０１２００１００１", "grid", 15),
        ("330109０１２００１００１", "grid", 15),
        ("33010901200100\n", "grid", 15),
        ("33010901200\n", "community", 12),
    ],
)
def test_wrong_length_or_non_digits_are_refused(code, level, length):
    with pytest.raises(InvalidInput) as error:
        validate_code(code, level, field="properties.code")

    assert error.value.code == "bad_code"
    assert error.value.field == "properties.code"
    assert str(error.value.message) == (
        f"“{code}” is not a {level} code: it must be exactly {length} digits."
    )


def test_a_number_instead_of_a_string_is_refused():
    with pytest.raises(InvalidInput) as error:
        validate_code(330109012001001, "grid")  # type: ignore[arg-type]

    assert error.value.code == "bad_code"
    assert error.value.field == "code"


@pytest.mark.parametrize(
    "code",
    [
        "990109012001001",  # 99 is no province
        "000109012001001",
        "190109012001001",
        "330009012001001",  # prefecture 00
        "330100012001001",  # county 00
    ],
)
def test_codes_not_starting_with_a_county_are_refused(code):
    with pytest.raises(InvalidInput) as error:
        validate_code(code, "grid")

    assert error.value.code == "bad_code"
    assert error.value.field == "code"
    assert str(error.value.message) == (
        f"“{code}” does not start with a GB/T 2260 county code (e.g. 330109)."
    )


@pytest.mark.parametrize(
    ("code", "level", "first", "last"),
    [
        ("330109000001001", "grid", 7, 9),
        ("330109012000001", "grid", 10, 12),
        ("330109012001000", "grid", 13, 15),
        ("330109012000", "community", 10, 12),
        ("330109000", "subdistrict", 7, 9),
    ],
)
def test_a_000_sequence_number_is_refused_naming_the_digits(code, level, first, last):
    with pytest.raises(InvalidInput) as error:
        validate_code(code, level)

    assert error.value.code == "bad_code"
    assert error.value.field == "code"
    assert str(error.value.message) == (
        f"“{code}” has 000 at digits {first}–{last}; sequence numbers start at 001."
    )


def test_child_code_must_start_with_its_parent():
    validate_child_code("330109012001001", "330109012001")

    with pytest.raises(InvalidInput) as error:
        validate_child_code("330109012002001", "330109012001", field="features[0].code")

    assert error.value.code == "bad_code"
    assert error.value.field == "features[0].code"
    assert str(error.value.message) == (
        "“330109012002001” must start with its parent's code 330109012001."
    )
