"""What the audit trail calls the portal services' entries that are not a plain create of a row
(see jiedao.audit.labels), and the keys they store beside a row's fields."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedao.audit.labels import KeyLabels

ACTIONS = {
    "portal.visibility.hide": _("Event hidden from the public"),
    "portal.visibility.show": _("Event shown to the public again"),
}

# A reopened report records the event it reopened, by number, and the resident's reason.
KEYS: KeyLabels = {"portal.publicreport": {"reason": pgettext_lazy("portal field", "Reason")}}
