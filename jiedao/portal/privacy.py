"""What may leave the platform through a public door.

* **Locations** are rounded to 3 decimal places (about 110 m north–south and 100 m east–west at
  Hangzhou's latitude) — never the reported point. Rounding keeps the dot in the right street
  block for a reader while hiding the doorway; the grid is not exposed beyond its name.
* **Text** written by people (descriptions, public notes) has e-mail addresses, mobile numbers,
  landlines with an area code and resident ID numbers masked, because residents often write
  "call me on ..." or "write to ...".
* Reporter names, phones and e-mail addresses, staff names, photos and internal notes are never
  part of a public output at all (see :mod:`jiedao.portal.selectors`).
"""

import re

from jiedao.core.pii import mask_emails_in, mask_id_number, mask_phone

PUBLIC_DECIMALS = 3

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}[\s-]?\d{7,8}(?!\d)")
# What every pattern above needs at least one of: text without any is left as it is, unsearched
# (a public list scrubs every description it shows).
_MAY_HOLD = re.compile(r"[\d@＠]")


def public_coordinate(value: float) -> float:
    return round(value, PUBLIC_DECIMALS)


def scrub_text(text: str) -> str:
    """``text`` with e-mail addresses, phone and ID numbers masked (z***@q***.com,
    138****5678, 330109********1234). Addresses first: a mobile number used as an address's name
    would otherwise leave its masked digits beside a half-masked address."""
    if not _MAY_HOLD.search(text):
        return text
    text = mask_emails_in(text)
    text = _ID_NUMBER.sub(lambda match: mask_id_number(match.group(0)), text)
    text = _MOBILE.sub(lambda match: mask_phone(match.group(0)), text)
    return _LANDLINE.sub(lambda match: mask_phone(match.group(0)), text)
