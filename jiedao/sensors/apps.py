from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SensorsConfig(AppConfig):
    name = "jiedao.sensors"
    label = "sensors"
    verbose_name = _("Sensors")

    def ready(self) -> None:
        # Imported here: the policy and the cards read the models, which are ready only now.
        from jiedao.accounts import permissions
        from jiedao.audit.labels import register_action_labels
        from jiedao.web import cards
        from jiedao.web import cockpit as cockpit_registry

        from . import audit_labels, cockpit, policy
        from .cards import home_cards

        permissions.register(owner=self.name, actions=policy.ACTIONS, scopes=policy.SCOPES)
        register_action_labels(audit_labels.ACTIONS)
        cards.register_cards(owner=self.name, provider=home_cards)
        cockpit_registry.register_panel(owner=self.name, provider=cockpit.cockpit_panel)
        cockpit_registry.register_grid_layer(
            owner=self.name, provider=cockpit.active_alarms_by_grid
        )
        cards.register_navigation(
            owner=self.name, entries=[("sensors.view", _("Sensor alarms"), "sensors:alarms")]
        )
