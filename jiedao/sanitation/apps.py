from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanitationConfig(AppConfig):
    name = "jiedao.sanitation"
    label = "sanitation"
    verbose_name = _("Waste sorting")

    def ready(self) -> None:
        # Imported here: the policy and the cards read the models, which are ready only now.
        from jiedao.accounts import permissions
        from jiedao.audit.labels import register_action_labels, register_keys
        from jiedao.web import cards, cockpit

        from . import audit_labels, policy
        from .cards import cockpit_panel, home_cards
        from .workflow import AUDIT_ACTION_LABELS

        permissions.register(owner=self.name, actions=policy.ACTIONS, scopes=policy.SCOPES)
        register_action_labels(AUDIT_ACTION_LABELS)
        register_keys(audit_labels.KEYS)
        cards.register_cards(owner=self.name, provider=home_cards)
        cards.register_navigation(
            owner=self.name,
            entries=[("sanitation.view", _("Waste sorting"), "sanitation:home")],
        )
        cockpit.register_panel(owner=self.name, provider=cockpit_panel)

        # The monthly scores and the 红黄黑榜 register under their own owner (branch board).
        from .board_apps import board_ready

        board_ready()
