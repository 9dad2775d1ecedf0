"""What every event service needs: limits, who acted, when, and the checks of plain values."""

import re
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.models import User
from jiedao.accounts.permissions import SYSTEM, Actor
from jiedao.core.errors import Forbidden, InvalidInput

MAX_DESCRIPTION = 2000
MAX_NOTE = 2000
MAX_EXTENSION_DAYS = 30
FUTURE_TOLERANCE = timedelta(minutes=5)
PHONE = re.compile(r"^\+?[\d\s\-()]{5,30}$")
CLIENT_KEY = re.compile(r"^[\x21-\x7e]{1,100}$")


class AccountlessReporter(Protocol):
    """A door that reports for people without an account (the residents' portal, Open311): it
    has a role and a label, but no user row and no scope."""

    @property
    def role(self) -> str: ...

    @property
    def pk(self) -> None: ...

    @property
    def is_authenticated(self) -> bool: ...

    def get_username(self) -> str: ...


# Who may report: a user, the system, or a public door.
Reporter = Actor | AccountlessReporter


class ChecksPassed(Exception):
    """Raised by a checks-only report or transition once every check has passed, before
    anything is written: the ``…_check`` services catch it (the write's own transaction rolls
    back whatever it locked)."""


def user_or_none(actor: Reporter) -> User | None:
    return actor if isinstance(actor, User) else None


def actor_label(actor: Reporter) -> str:
    user = user_or_none(actor)
    return user.get_username() if user else str(actor)


def business_time(actor: Reporter, at: datetime | None, *, not_before: datetime | None) -> datetime:
    """The time a step happened: now, or ``at`` for SYSTEM-driven back-dated history."""
    now = timezone.now()
    if at is None:
        return now
    if actor is not SYSTEM:
        raise Forbidden(_("Only the system may record steps at another time."), field="at")
    if at.utcoffset() is None:
        raise InvalidInput(_("“at” must be an aware datetime."), field="at")
    if at > now + FUTURE_TOLERANCE:
        raise InvalidInput(_("“at” lies in the future."), field="at")
    if not_before is not None and at < not_before:
        raise InvalidInput(
            _("“at” (%(at)s) is before the event's last step (%(last)s).")
            % {"at": at.isoformat(), "last": not_before.isoformat()},
            field="at",
        )
    return at


def is_live(moment: datetime) -> bool:
    """Whether a step happens now (people are told) rather than in back-dated history."""
    return moment >= timezone.now() - FUTURE_TOLERANCE


def clean_choice(
    value: object,
    choices: type[models.TextChoices],
    field: str,
    default: str,
    *,
    label: Any = None,
) -> str:
    """One of ``choices`` (``default`` when not given), or a 422 naming the field by ``label``
    and listing them."""
    if value in (None, ""):
        return default
    if value not in choices.values:
        raise InvalidInput(
            _("%(field)s: “%(value)s” is not one of %(choices)s."),
            params={
                "field": label if label is not None else field,
                "value": value,
                "choices": ", ".join(choices.values),
            },
            field=field,
        )
    return str(value)
