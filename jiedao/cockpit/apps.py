from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    name = "jiedao.cockpit"
    label = "cockpit"
    verbose_name = _("Leaders' cockpit")

    def ready(self) -> None:
        from jiedao.accounts import permissions
        from jiedao.web import cards

        from . import policy
        from .cards import home_cards

        permissions.register(owner=self.name, actions=policy.ACTIONS, scopes=policy.SCOPES)
        cards.register_cards(owner=self.name, provider=home_cards)
        cards.register_navigation(
            owner=self.name, entries=[("cockpit.view", _("Cockpit"), "cockpit:page")]
        )
