from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "jiedao.supervision"
    label = "supervision"
    verbose_name = _("Key-task supervision")

    def ready(self) -> None:
        # Imported here: the policy reads the models, which are ready only now.
        from jiedao.accounts import permissions
        from jiedao.audit.labels import register_action_labels, register_keys
        from jiedao.web import cards as home
        from jiedao.web import cockpit as cockpit_registry

        from . import audit_labels, cards, cockpit, policy

        permissions.register(owner=self.name, actions=policy.ACTIONS, scopes=policy.SCOPES)
        register_action_labels(audit_labels.ACTIONS)
        register_keys(audit_labels.KEYS)
        home.register_cards(owner=self.name, provider=cards.home_cards)
        cockpit_registry.register_panel(owner=self.name, provider=cockpit.cockpit_panel)
