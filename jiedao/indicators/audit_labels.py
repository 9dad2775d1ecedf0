"""The keys the indicator services store in their audit entries beside a row's fields (see
jiedao.audit.labels; the actions' labels are in home.py)."""

from django.utils.translation import gettext_lazy as _

from jiedao.audit.labels import KeyLabels

KEYS: KeyLabels = {
    "indicators.report": {
        "figures": _("Figures read"),
        "unreadable": _("Figures that could not be read"),
    },
}
