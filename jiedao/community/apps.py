from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "jiedao.community"
    label = "community"
    verbose_name = _("Modern community")

    def ready(self) -> None:
        # Imported here: the policy and the cards read the models, which are ready only now.
        from jiedao.accounts import permissions
        from jiedao.audit.labels import register_action_labels, register_keys
        from jiedao.web import cards
        from jiedao.web import cockpit as cockpit_registry

        from . import audit_labels, cockpit, policy
        from .cards import home_cards

        register_action_labels(audit_labels.ACTIONS)
        register_keys(audit_labels.KEYS)
        permissions.register(owner=self.name, actions=policy.ACTIONS, scopes=policy.SCOPES)
        cards.register_cards(owner=self.name, provider=home_cards)
        cockpit_registry.register_panel(owner=self.name, provider=cockpit.cockpit_panel)
        cards.register_navigation(
            owner=self.name,
            entries=[
                ("community.view", _("Community"), "community:workspace"),
                ("community.view", _("Public-welfare grants"), "community:rounds"),
                ("community.fund_view", _("Community fund"), "community:fund"),
            ],
        )
