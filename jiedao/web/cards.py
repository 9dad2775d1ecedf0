"""What each app puts on the role homes and in the navigation.

An app registers its home cards and its navigation entries from its ``AppConfig.ready()``, so
that adding an app never means editing another app's templates or the web app's lists::

    from jiedao.web import cards

    cards.register_cards(owner=self.name, provider=home_cards)
    cards.register_navigation(owner=self.name, entries=[("sensors.view", _("Sensors"), "sensors:alarms")])

A provider answers the cards for one user: nothing when the role has no business there, and a
constant number of statements whatever the data (the home page counts its statements).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class Card:
    """One card on a role's home: a title, where it leads, and the counts that make it urgent."""

    title: str | Promise
    url: str
    description: str | Promise = ""
    # The headline count ("12 to do") and its label; None when the card has no count.
    count: int | None = None
    count_label: str | Promise = ""
    # How many of them are late or need attention first; shown as a warning when above zero.
    urgent: int | None = None
    urgent_label: str | Promise = ""
    order: int = 100


CardProvider = Callable[[Any], Iterable[Card]]
# (action the role needs, label, url name)
NavEntry = tuple[str, str | Promise, str]

_providers: dict[str, CardProvider] = {}
_navigation: dict[str, list[NavEntry]] = {}


def register_cards(*, owner: str, provider: CardProvider) -> None:
    if owner in _providers:
        raise ValueError(f"home cards registered twice by {owner}")
    _providers[owner] = provider


def register_navigation(*, owner: str, entries: Sequence[NavEntry]) -> None:
    if owner in _navigation:
        raise ValueError(f"navigation registered twice by {owner}")
    _navigation[owner] = list(entries)


def cards_for(user: Any) -> list[Card]:
    """Every registered app's cards for this user, by their order, then as the apps registered them."""
    found: list[Card] = []
    for provider in _providers.values():
        found.extend(provider(user))
    return sorted(found, key=lambda card: card.order)


def navigation_entries() -> list[NavEntry]:
    """The registered entries, in the order the apps were installed."""
    return [entry for entries in _navigation.values() for entry in entries]
