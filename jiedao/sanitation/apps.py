from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanitationConfig(AppConfig):
    name = "jiedao.sanitation"
    label = "sanitation"
    verbose_name = _("Waste sorting")

    def ready(self) -> None:
        # The monthly scores and the 红黄黑榜 register under their own owner (branch board).
        from .board_apps import board_ready

        board_ready()
