"""The administrator's home card and navigation entry for managing accounts."""

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiedao.web.cards import Card

from .permissions import can

# The name of django-axes' admin section (set from AccountsConfig.ready).
AXES_SECTION = _("Sign-in lockout")
NAVIGATION = [("accounts.manage", _("Users"), "accounts_manage:users")]


def home_cards(user: Any) -> Iterable[Card]:
    if not can(user, "accounts.manage"):
        return []
    return [
        Card(
            title=_("Users"),
            url=reverse("accounts_manage:users"),
            description=_(
                "Create accounts, change roles and scopes, deactivate, reset passwords and "
                "unlock after failed sign-ins."
            ),
            order=60,
        )
    ]
