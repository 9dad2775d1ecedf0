"""What the audit trail calls the working calendar's entries (see jiedao.audit.labels), and the
days a published year stores beside its fields."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from jiedao.audit.labels import Key, KeyLabels, counted

ACTIONS = {"core.calendar_year.publish": _("Official holiday schedule of a year entered")}

KEYS: KeyLabels = {
    "core.workcalendaryear": {
        "days": Key(
            _("Holidays and working weekend days"),
            describe=counted(ngettext_lazy("%(count)s day", "%(count)s days", "count")),
        ),
    },
}
