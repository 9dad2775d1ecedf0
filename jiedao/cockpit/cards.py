"""The cockpit's card on the homes of the roles that may open it (no statement)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import can
from jiedao.web.cards import Card


def home_cards(user: Any) -> list[Card]:
    if not can(user, "cockpit.view"):
        return []
    return [
        Card(
            title=_("Leaders' cockpit"),
            url=reverse("cockpit:page"),
            description=_(
                "Every app's figures on one screen: the grid map, key figures, trends and "
                "rankings, refreshed every minute."
            ),
            order=5,
        )
    ]
