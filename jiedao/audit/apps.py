from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "jiedao.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        # Imported here: the policy reads the models, which are ready only now.
        from jiedao.accounts import permissions

        from . import policy
        from .labels import register_action_labels, register_keys
        from .sealing import MISSING_ACTION

        permissions.register(owner=self.name, actions=policy.ACTIONS)
        # The sealer records an announced entry that was gone by the time it sealed.
        register_action_labels({MISSING_ACTION: _("Missing entry recorded")})
        register_keys({"audit.auditentry": {"entry_id": _("Number of the missing entry")}})
