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
        from jiedao.web import cockpit as cockpit_registry

        from . import cockpit, home, policy
        from .services.reviewers import AUDIT_ACTION_LABELS as REVIEWER_LABELS
        from .workflow_cases import AUDIT_ACTION_LABELS

        permissions.register(owner=self.name, actions=policy.ACTIONS, scopes=policy.SCOPES)
        register_action_labels({**AUDIT_ACTION_LABELS, **REVIEWER_LABELS})
        cards.register_cards(owner=self.name, provider=home.home_cards)
        cockpit_registry.register_panel(owner=self.name, provider=cockpit.cockpit_panel)
        cards.register_navigation(
            owner=self.name,
            entries=[("enforcement.view", _("Enforcement"), "enforcement:home")],
        )
