"""What the monthly list registers when the sanitation app is ready: its policy, its panel on
the leaders' cockpit, its home cards and its navigation. Called from ``SanitationConfig.ready``;
the owner is its own name so that the sanitation app's registrations and these never collide."""

from django.utils.translation import gettext_lazy as _

OWNER = "jiedao.sanitation.board"


def board_ready() -> None:
    from jiedao.accounts import permissions
    from jiedao.web import cards, cockpit

    from . import admin_board, policy_board  # noqa: F401 - admin_board registers itself
    from .cards_board import cockpit_panel, home_cards

    permissions.register(owner=OWNER, actions=policy_board.ACTIONS, scopes=policy_board.SCOPES)
    cockpit.register_panel(owner=OWNER, provider=cockpit_panel)
    cards.register_cards(owner=OWNER, provider=home_cards)
    cards.register_navigation(
        owner=OWNER,
        entries=[
            ("sanitation.board_view", _("Compound list (红黄黑榜)"), "sanitation_board:month")
        ],
    )
