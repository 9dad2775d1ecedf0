"""The smart account's secret lookup code and its QR code.

The account number is public (printed on the card, encoded in its QR code, read out at the
collection point). The lookup code printed beside it is the secret that opens the account's
balance and history on the portal without a sign-in: 8 characters from an alphabet without
look-alikes, an HMAC of the number and the account's random salt under ``SECRET_KEY`` (as the
portal's follow codes are), so the database alone cannot produce it and a reprinted card shows
the same code. Guessing is throttled per address by the portal page.
"""

import secrets

import segno
from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
KEY_SALT = "jiedao.sanitation.account"


def new_salt() -> str:
    return secrets.token_hex(16)


def _code(number: str, salt: str, secret: str) -> str:
    digest = salted_hmac(KEY_SALT, f"{number}|{salt}", secret=secret, algorithm="sha256").digest()
    value = int.from_bytes(digest[:16], "big")
    characters = []
    for _position in range(CODE_LENGTH):
        value, index = divmod(value, len(ALPHABET))
        characters.append(ALPHABET[index])
    return "".join(characters)


def lookup_code(number: str, salt: str) -> str:
    """The lookup code printed on the card of account ``number``."""
    return _code(number, salt, settings.SECRET_KEY)


def normalise(text: str) -> str:
    """What a person typed, without spaces or dashes, in capitals."""
    return "".join(character for character in str(text).upper() if character.isalnum())


def check_code(number: str, salt: str, code: str) -> bool:
    candidate = normalise(code)
    if len(candidate) != CODE_LENGTH:
        return False
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(constant_time_compare(_code(number, salt, key), candidate) for key in keys)


def display_code(code: str) -> str:
    """ABCD-EFGH: easier to read out and to type on a phone."""
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def account_qr_svg(number: str, *, scale: int = 4) -> str:
    """An inline SVG QR code of the account number, as the inspector's scanner reads it."""
    return str(segno.make(number, error="m").svg_inline(scale=scale, title=number))
