from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "jiedao.enforcement"
    label = "enforcement"
    verbose_name = _("Comprehensive enforcement")

    def ready(self) -> None:
        # Imported here: the policy reads the models, which are ready only now.
        from jiedao.accounts import permissions
        from jiedao.audit.labels import register_action_labels, register_keys
        from jiedao.core.periodic import register_warning_job
        from jiedao.events.notices import register_kinds
        from jiedao.web import cards
        from jiedao.web import cockpit as cockpit_registry

        from . import audit_labels, cockpit, home, policy
        from .models_documents import AUDIT_ACTION_LABELS as DOCUMENT_LABELS
        from .notices import CLOCK_LABELS_BY_KIND, KIND_LABELS, clock_text
        from .services.reviewers import AUDIT_ACTION_LABELS as REVIEWER_LABELS
        from .tasks import announce_late_disclosures, warn_case_clocks
        from .workflow_cases import AUDIT_ACTION_LABELS

        permissions.register(owner=self.name, actions=policy.ACTIONS, scopes=policy.SCOPES)
        register_kinds(
            {
                **KIND_LABELS,
                "disclosure_late": _("Penalty decision not published in time (公示超期)"),
            },
            texts=dict.fromkeys(CLOCK_LABELS_BY_KIND, clock_text),
        )
        register_action_labels(
            {
                **AUDIT_ACTION_LABELS,
                **DOCUMENT_LABELS,
                **REVIEWER_LABELS,
                **audit_labels.ACTIONS,
            }
        )
        register_keys(audit_labels.KEYS)
        cards.register_cards(owner=self.name, provider=home.home_cards)
        cockpit_registry.register_panel(owner=self.name, provider=cockpit.cockpit_panel)
        register_warning_job(
            owner=self.name, task=warn_case_clocks, label="Case time-limit warnings"
        )
        register_warning_job(
            owner=self.name, task=announce_late_disclosures, label="Late disclosures"
        )
        cards.register_navigation(
            owner=self.name,
            entries=[("enforcement.view", _("Enforcement"), "enforcement:home")],
        )
