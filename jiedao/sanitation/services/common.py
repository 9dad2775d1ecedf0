"""What the sanitation services share: parsing weights and counts, the business time of a
record, phones, and the points rule in force."""

import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.errors import Forbidden, InvalidInput
from jiedao.core.text import clean_text

from ..models import Account

GRAM = Decimal("0.001")
CENT = Decimal("0.01")
PHONE = re.compile(r"^\+?[\d\s\-()]{5,20}$")


def parse_kilograms(value: Any, *, field: str, label: Any, maximum: Decimal) -> Decimal:
    """A weight in kilograms: a number above zero, at most ``maximum`` (a weight past it is a
    typing or scale error, not waste), to the gram."""
    try:
        weight = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise InvalidInput(
            _("%(field)s must be a number of kilograms, e.g. 2.5."),
            params={"field": label},
            code="not_a_number",
            field=field,
        ) from None
    if not weight.is_finite() or weight <= 0:
        raise InvalidInput(
            _("%(field)s must be more than 0 kg."),
            params={"field": label},
            code="not_positive",
            field=field,
        )
    if weight > maximum:
        raise InvalidInput(
            _(
                "%(field)s %(weight)s kg is more than %(maximum)s kg: check the scale and the number."
            ),
            params={
                "field": label,
                "weight": f"{weight.normalize():f}",
                "maximum": f"{maximum.normalize():f}",
            },
            code="too_heavy",
            field=field,
        )
    if weight != weight.quantize(GRAM):
        raise InvalidInput(
            _("%(field)s may have at most three decimals (grams)."),
            params={"field": label},
            code="too_precise",
            field=field,
        )
    return weight.quantize(GRAM)


def parse_count(value: Any, *, field: str, label: Any, maximum: int) -> Decimal:
    """A whole number of items, 1 to ``maximum``."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if not number.is_finite() or number != number.to_integral_value() or number < 1:
        raise InvalidInput(
            _("%(field)s must be a whole number of items, 1 or more."),
            params={"field": label},
            code="not_a_count",
            field=field,
        )
    if number > maximum:
        raise InvalidInput(
            _("%(field)s %(count)s is more than %(maximum)s items: check the number."),
            params={"field": label, "count": int(number), "maximum": maximum},
            code="too_many",
            field=field,
        )
    return number.quantize(GRAM)


def record_time(actor: Any, at: datetime | None, *, field: str = "at") -> datetime:
    """When a record happened: now, or ``at`` for the history the system rebuilds (the demo).
    Interfaces never pass it: a person records what happens now."""
    now = timezone.now()
    if at is None:
        return now
    if actor is not SYSTEM:
        raise Forbidden(_("Only the system may record at another time."), field=field)
    if at.utcoffset() is None:
        raise InvalidInput(_("“at” must be an aware datetime."), field=field)
    if at > now:
        raise InvalidInput(_("“at” lies in the future."), field=field)
    return at


def clean_phone(value: Any, *, field: str, label: Any) -> str:
    phone = clean_text(value, field=field, label=label, max_length=20)
    if phone and not PHONE.match(phone):
        raise InvalidInput(
            _("%(field)s: “%(phone)s” is not a phone number."),
            params={"field": label, "phone": phone},
            code="bad_phone",
            field=field,
        )
    return phone


def account_by_number(
    number: Any, *, subdistrict_id: int, field: str = "account_number"
) -> Account:
    """The active account with this number in the subdistrict, or a 422 naming the field.

    The number is public (it is printed on the card), so it is looked up in the subdistrict
    rather than in the actor's scope: a household drops its waste where it lives, but a unit's
    staff or a visiting relative may use another point."""
    label = _("Account number")
    text = clean_text(number, field=field, label=label, max_length=24, required=True).upper()
    account = (
        Account.objects.select_related("household", "unit")
        .filter(subdistrict_id=subdistrict_id, number=text)
        .first()
    )
    if account is None:
        raise InvalidInput(
            _("%(field)s “%(number)s” does not exist: check the number on the card."),
            params={"field": label, "number": text},
            code="unknown_account",
            field=field,
        )
    if not account.is_active:
        raise InvalidInput(
            _("%(field)s “%(number)s” is closed."),
            params={"field": label, "number": text},
            code="closed_account",
            field=field,
        )
    return account


def yuan(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def max_drop_off_kg() -> Decimal:
    return Decimal(str(settings.SANITATION_MAX_DROP_OFF_KG))


def max_weigh_in_kg() -> Decimal:
    return Decimal(str(settings.SANITATION_MAX_WEIGH_IN_KG))
