"""The 统一社会信用代码 (unified social credit code) of GB 32100-2015.

Eighteen characters from an alphabet of 31 (digits and capitals without I, O, S, V, Z): the
registration authority (1 character; 5 for civil affairs, which registers social organisations),
the kind of body (1), the administrative area (6 digits), the organisation code (9) and a check
character. The check character is chosen so that the weighted sum of all eighteen values is a
multiple of 31, the weight of position i (from 0) being 3**i mod 31.
"""

from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import InvalidInput

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, position, 31) for position in range(17))
LENGTH = 18


def check_character(first_seventeen: str) -> str:
    """The 18th character for the first seventeen (which must use the alphabet)."""
    total = sum(
        ALPHABET.index(char) * weight for char, weight in zip(first_seventeen, WEIGHTS, strict=True)
    )
    return ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(value: str, *, label: object = None) -> str:
    """``value`` upper-cased without spaces, or InvalidInput naming the field by ``label``."""
    label = label or _("Unified social credit code")
    code = "".join(value.split()).upper()
    if len(code) != LENGTH:
        raise InvalidInput(
            _("%(label)s must have 18 characters; it has %(count)s.")
            % {"label": label, "count": len(code)},
            field="credit_code",
        )
    wrong = [char for char in code if char not in ALPHABET]
    if wrong:
        raise InvalidInput(
            _("%(label)s may not contain “%(char)s” (letters I, O, S, V and Z are never used).")
            % {"label": label, "char": wrong[0]},
            field="credit_code",
        )
    if check_character(code[:17]) != code[17]:
        raise InvalidInput(
            _(
                "%(label)s is not valid: its check character does not match. Check for a typing error."
            )
            % {"label": label},
            field="credit_code",
        )
    return code
