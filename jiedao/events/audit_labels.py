"""The keys the event services store in their audit entries beside an event's fields (see
jiedao.audit.labels): what an import, an export, a photo or a look at the reporter's number
recorded. (The actions' labels are beside the workflow.)"""

from typing import Any

from django.utils.translation import gettext, ngettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jiedao.audit.labels import Key, KeyLabels, choice, counted, field_label

from .workflow import PhotoStage, WarningLevel


def _rows(value: Any) -> str:
    """An import records the first and the last row of its batch (an export, how many)."""
    first, last = value
    return gettext("rows %(first)s to %(last)s") % {"first": first, "last": last}


def _field(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("a field is named by its name")
    return field_label("events.event", value)


KEYS: KeyLabels = {
    "events.event": {
        # 12345 import
        "file": _("File"),
        "rows": Key(_("Rows"), describe=_rows),
        "events": _("Events"),
        "work_orders": Key(
            _("12345 work orders"),
            describe=counted(
                ngettext_lazy("%(count)s work order", "%(count)s work orders", "count")
            ),
        ),
        "event_ids": Key(
            _("Events created"),
            describe=counted(ngettext_lazy("%(count)s event", "%(count)s events", "count")),
        ),
        # export of the event list, with the filters it was narrowed by
        "format": _("File format"),
        "service_codes": _("Service codes"),
        "numbers": _("Event numbers"),
        "department": _("Responsible department"),
        "warning": Key(_("Deadline warning"), describe=choice(WarningLevel)),
        "created_from": _("Reported from"),
        "created_until": _("Reported until"),
        "search": _("Search"),
        # the reporter's number shown
        "field": Key(pgettext_lazy("audit", "Shown"), describe=_field),
        # photos added
        "photos": Key(
            _("Photos"),
            describe=counted(ngettext_lazy("%(count)s photo", "%(count)s photos", "count")),
        ),
        "stage": Key(_("Stage"), describe=choice(PhotoStage)),
        "step": _("Step number"),
    },
    "events.notification": {"count": _("Notifications")},
}
