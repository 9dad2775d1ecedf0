"""The registry through which apps put cards on the role homes and entries in the navigation."""

import pytest

from jiedao.web import cards


def test_cards_come_back_by_order_then_as_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cards, "_providers", {})
    cards.register_cards(
        owner="b",
        provider=lambda user: [
            cards.Card(title="乙", url="/b/", order=20),
            cards.Card(title="甲", url="/a/", order=20),
        ],
    )
    cards.register_cards(
        owner="a", provider=lambda user: [cards.Card(title="丙", url="/c/", order=10, count=3)]
    )
    assert [(c.title, c.url, c.count) for c in cards.cards_for(None)] == [
        ("丙", "/c/", 3),
        ("乙", "/b/", None),
        ("甲", "/a/", None),
    ]


def test_an_owner_registers_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cards, "_providers", {})
    monkeypatch.setattr(cards, "_navigation", {})
    cards.register_cards(owner="x", provider=lambda user: [])
    with pytest.raises(ValueError, match="twice"):
        cards.register_cards(owner="x", provider=lambda user: [])
    cards.register_navigation(owner="x", entries=[("events.view", "X", "events:inbox")])
    with pytest.raises(ValueError, match="twice"):
        cards.register_navigation(owner="x", entries=[])
    assert cards.navigation_entries() == [("events.view", "X", "events:inbox")]
