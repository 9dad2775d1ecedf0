from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "jiedao.supervision"
    label = "supervision"
    verbose_name = _("Key-task supervision")
