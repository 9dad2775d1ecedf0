"""What the audit trail calls the supervision services' entries that are not a plain create or
change of a row (see jiedao.audit.labels), and the keys they store beside a row's fields."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from jiedao.audit.labels import NOTHING, Key, KeyLabels

ACTIONS = {"supervision.report.create": _("Progress reported")}


def _target_values(values: Any) -> str:
    """A report stores the value it gives each of the task's targets, by the target's id."""
    if not values:
        return NOTHING
    return ngettext(
        "%(count)s target value: %(values)s", "%(count)s target values: %(values)s", len(values)
    ) % {
        "count": len(values),
        "values": pgettext("list separator", ", ").join(str(value) for value in values.values()),
    }


KEYS: KeyLabels = {
    "supervision.planimport": {
        "tasks_created": _("Tasks created"),
        "reports_created": _("Reports created"),
    },
    "supervision.progressreport": {
        "target_values": Key(_("Target values"), describe=_target_values),
    },
}
