from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "jiedao.assessment"
    label = "assessment"
    verbose_name = _("Team assessment")

    def ready(self) -> None:
        # Imported here: the policy reads the models, which are ready only now.
        from jiedao.accounts import permissions
        from jiedao.audit.labels import register_action_labels, register_keys
        from jiedao.web import cards, cockpit

        from . import audit_labels, home, policy

        permissions.register(owner=self.name, actions=policy.ACTIONS, scopes=policy.SCOPES)
        register_action_labels(home.AUDIT_LABELS)
        register_keys(audit_labels.KEYS)
        cards.register_cards(owner=self.name, provider=home.home_cards)
        cards.register_navigation(
            owner=self.name,
            entries=[("assessment.view", _("Team assessment"), "assessment:home")],
        )
        cockpit.register_panel(owner=self.name, provider=home.cockpit_panel)
