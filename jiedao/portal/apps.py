from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "jiedao.portal"
    verbose_name = _("Residents' portal")

    def ready(self) -> None:
        # Imported here: the policy reads the models, which are ready only now.
        from jiedao.accounts import permissions

        from . import policy

        permissions.register(owner=self.name, actions=policy.ACTIONS, scopes=policy.SCOPES)
