"""Follow codes: the secret half of a tracking number.

A resident's tracking number is the event number (public: it appears on the public list and in
Open311) plus a follow code of 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L),
about 50 bits. The code opens the report's own page and lets its holder rate the result.

The code is an HMAC of the event number and a per-report random salt under ``SECRET_KEY`` (the
way Django's password-reset tokens work): the database alone cannot produce codes, a retried
submission shows the same code again, and ``SECRET_KEY_FALLBACKS`` keep old codes valid while
the key is rotated. Guessing is throttled per address (see :mod:`jiedao.portal.throttle`).
"""

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
KEY_SALT = "jiedao.portal.follow"


def _code(number: str, salt: str, secret: str) -> str:
    digest = salted_hmac(KEY_SALT, f"{number}|{salt}", secret=secret, algorithm="sha256").digest()
    value = int.from_bytes(digest[:16], "big")
    characters = []
    for _position in range(CODE_LENGTH):
        value, index = divmod(value, len(ALPHABET))
        characters.append(ALPHABET[index])
    return "".join(characters)


def follow_code(number: str, salt: str) -> str:
    """The follow code of the report of event ``number`` with ``salt``."""
    return _code(number, salt, settings.SECRET_KEY)


def normalise_code(text: str) -> str:
    """What a person typed, without spaces or dashes, in capitals."""
    return "".join(character for character in text.upper() if character.isalnum())


def check_code(number: str, salt: str, code: str) -> bool:
    candidate = normalise_code(code)
    if len(candidate) != CODE_LENGTH:
        return False
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(constant_time_compare(_code(number, salt, secret), candidate) for secret in secrets)


def display_code(code: str) -> str:
    """ABCDE-FGHJK: easier to read out and to type on a phone."""
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"
