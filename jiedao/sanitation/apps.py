from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanitationConfig(AppConfig):
    name = "jiedao.sanitation"
    label = "sanitation"
    verbose_name = _("Waste sorting")
