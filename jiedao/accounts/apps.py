from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jiedao.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Imported here: the policy reads the models, which are ready only now.
        from jiedao.accounts import permissions
        from jiedao.audit.labels import register_action_labels, register_keys

        from . import audit_labels, policy

        permissions.register(owner=self.name, actions=policy.ACTIONS, scopes=policy.SCOPES)
        register_action_labels(audit_labels.ACTIONS)
        register_keys(audit_labels.KEYS)

        from jiedao.web import cards

        from . import home

        cards.register_cards(owner=self.name, provider=home.home_cards)
        cards.register_navigation(owner=self.name, entries=home.NAVIGATION)

        # django-axes names its admin section by a plain, untranslated "Axes".
        from django.apps import apps

        if apps.is_installed("axes"):
            apps.get_app_config("axes").verbose_name = home.AXES_SECTION
