"""Masking of personal data for roles that do not need to see it."""

import re

_MOBILE = re.compile(r"^(\+?86)?(1\d{2})(\d{4})(\d{4})$")
# An e-mail address inside free text. ASCII only on both sides of the @ (which may be the
# full-width ＠ of a Chinese keyboard), so that the Chinese text around an address is not taken
# for part of it: "邮箱zhang.san@qq.com联系我".
EMAIL_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]+)\s?[@＠]\s?"
    r"((?:[A-Za-z0-9-]+\.)+)([A-Za-z]{2,})(?![A-Za-z0-9-])"
)


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


def mask_email(address: str | None) -> str:
    """zhang.san@example.com → z***@e***.com: the first letter of the name and of the domain,
    and the top-level domain. The length of neither part shows."""
    if not address:
        return ""
    match = EMAIL_IN_TEXT.fullmatch(address.strip())
    if match is None:
        return "***"
    return _masked_email(match)


def mask_emails_in(text: str) -> str:
    """``text`` with every e-mail address in it masked like :func:`mask_email`."""
    return EMAIL_IN_TEXT.sub(_masked_email, text)


def _masked_email(match: re.Match[str]) -> str:
    name, domain, top_level = match.groups()
    return f"{name[0]}***@{domain[0]}***.{top_level}"
