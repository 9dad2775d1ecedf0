from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "jiedao.enforcement"
    label = "enforcement"
    verbose_name = _("Comprehensive enforcement")

    def ready(self) -> None:
        # Imported here: the policy reads the models, which are ready only now.
        from jiedao.accounts import permissions
        from jiedao.audit.labels import register_action_labels
        from jiedao.web import cards

        from . import home, policy
        from .workflow_cases import AUDIT_ACTION_LABELS

        permissions.register(owner=self.name, actions=policy.ACTIONS, scopes=policy.SCOPES)
        register_action_labels(AUDIT_ACTION_LABELS)
        cards.register_cards(owner=self.name, provider=home.home_cards)
        cards.register_navigation(
            owner=self.name,
            entries=[("enforcement.view", _("Enforcement"), "enforcement:home")],
        )
