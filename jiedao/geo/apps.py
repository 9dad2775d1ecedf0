from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "jiedao.geo"
    verbose_name = _("Geography and organisation")

    def ready(self) -> None:
        # Imported here: the policy reads the models, which are ready only now.
        from jiedao.accounts import permissions

        from . import policy

        permissions.register(owner=self.name, actions=policy.ACTIONS, scopes=policy.SCOPES)

        from jiedao.web import cards

        from . import home

        cards.register_cards(owner=self.name, provider=home.home_cards)
        cards.register_navigation(owner=self.name, entries=home.NAVIGATION)
