from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "jiedao.events"
    verbose_name = _("Unified event management")

    def ready(self) -> None:
        # Imported here: the policy reads the models, which are ready only now.
        from jiedao.accounts import permissions
        from jiedao.audit.labels import (
            register_action_labels,
            register_keys,
            register_target_labels,
        )
        from jiedao.web import cards as home
        from jiedao.web import cockpit as cockpit_registry

        from . import audit_labels, cards, cockpit, policy
        from .notices import AUDIT_TARGET_LABELS
        from .workflow import AUDIT_ACTION_LABELS

        permissions.register(owner=self.name, actions=policy.ACTIONS, scopes=policy.SCOPES)
        register_action_labels(AUDIT_ACTION_LABELS)
        register_target_labels(AUDIT_TARGET_LABELS)
        register_keys(audit_labels.KEYS)
        home.register_cards(owner=self.name, provider=cards.home_cards)
        cockpit_registry.register_panel(owner=self.name, provider=cockpit.cockpit_panel)
        cockpit_registry.register_grid_layer(owner=self.name, provider=cockpit.open_events_by_grid)
