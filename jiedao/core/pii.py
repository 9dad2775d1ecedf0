"""Masking of personal data for roles that do not need to see it."""

import re

_MOBILE = re.compile(r"^(\+?86)?(1\d{2})(\d{4})(\d{4})$")


def mask_phone(phone: str | None) -> str:
    """138****8000 for a mainland mobile number; other numbers keep only their last four digits."""
    if not phone:
        return ""
    digits = re.sub(r"[\s-]", "", phone)
    match = _MOBILE.match(digits)
    if match:
        return f"{match.group(2)}****{match.group(4)}"
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_id_number(number: str | None) -> str:
    """Resident ID: keep the first 6 (region) and last 4 characters: 330109********1234."""
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_name(name: str | None) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***; keeps the family name only."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1)
