from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "jiedao.demo"
    verbose_name = _("Wenyan demo data")
