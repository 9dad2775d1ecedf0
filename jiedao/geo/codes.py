"""Administrative codes: GB/T 2260 counties and GB/T 30428.1 grid codes.

A grid code has 15 digits: 6 for the county (GB/T 2260), 3 for the subdistrict, 3 for the
community or village and 3 for the grid's sequence number within it. A community code is the
first 12 of those digits and a subdistrict code the first 9.
"""

import re

from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import InvalidInput

# GB/T 2260 provincial-level prefixes (the first two digits of every county code).
PROVINCE_PREFIXES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)

LEVEL_LENGTHS = {"subdistrict": 9, "community": 12, "grid": 15}
# ASCII only: \d would also accept full-width and other Unicode digits (０-９); matched with
# fullmatch, because $ would also accept a trailing newline.
_DIGITS = re.compile(r"[0-9]+")


def validate_code(code: str, level: str, *, field: str = "code") -> str:
    """Return ``code`` if it is a well-formed code of ``level``; raise InvalidInput naming why."""
    length = LEVEL_LENGTHS[level]
    if not isinstance(code, str) or not _DIGITS.fullmatch(code) or len(code) != length:
        raise InvalidInput(
            _("“%(code)s” is not a %(level)s code: it must be exactly %(length)s digits.")
            % {"code": code, "level": _(level), "length": length},
            code="bad_code",
            field=field,
        )
    county = code[:6]
    if county[:2] not in PROVINCE_PREFIXES or county[2:4] == "00" or county[4:6] == "00":
        raise InvalidInput(
            _("“%(code)s” does not start with a GB/T 2260 county code (e.g. 330109).")
            % {"code": code},
            code="bad_code",
            field=field,
        )
    for start in range(6, length, 3):
        if code[start : start + 3] == "000":
            raise InvalidInput(
                _("“%(code)s” has 000 at digits %(first)s–%(last)s; sequence numbers start at 001.")
                % {"code": code, "first": start + 1, "last": start + 3},
                code="bad_code",
                field=field,
            )
    return code


def validate_child_code(child: str, parent: str, *, field: str = "code") -> None:
    if not child.startswith(parent):
        raise InvalidInput(
            _("“%(child)s” must start with its parent's code %(parent)s.")
            % {"child": child, "parent": parent},
            code="bad_code",
            field=field,
        )
