"""The administrator's home cards and navigation entry for places, departments and duties."""

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import can
from jiedao.web.cards import Card

NAVIGATION = [("geo.manage", _("Places and departments"), "geo_manage:places")]


def home_cards(user: Any) -> Iterable[Card]:
    cards = []
    if can(user, "geo.manage"):
        cards += [
            Card(
                title=_("Communities and grids"),
                url=reverse("geo_manage:places"),
                description=_(
                    "Create communities and villages; rename or retire them and their grids; "
                    "upload their boundaries (GeoJSON) and check them on the map before saving."
                ),
                order=61,
            ),
            Card(
                title=_("Departments"),
                url=reverse("geo_manage:departments"),
                description=_("Create, edit and retire departments and their duties."),
                order=62,
            ),
        ]
    if can(user, "events.manage_catalogue"):
        cards.append(
            Card(
                title=_("Duty matrix"),
                url=reverse("events_duties:matrix"),
                description=_("Which department each kind of event goes to, by community."),
                order=63,
            )
        )
    return cards
