from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "jiedao.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        # Imported here: the policy reads the models, which are ready only now.
        from jiedao.accounts import permissions

        from . import policy

        permissions.register(owner=self.name, actions=policy.ACTIONS)
