"""What the audit trail calls the inspection side of the enforcement services' entries (see
jiedao.audit.labels; the cases' own labels are beside their workflow), and the keys they store
beside a row's fields."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from jiedao.audit.labels import Key, KeyLabels, counted

from .clocks import CLOCK_LABELS

ACTIONS = {
    "enforcement.target_create": _("Enforcement target added"),
    "enforcement.target_update": _("Enforcement target changed"),
    "enforcement.target_import": _("Enforcement target imported"),
    "enforcement.matter_create": _("Inspection matter added"),
    "enforcement.guard_rule_set": _("Repeat-inspection rule set"),
    "enforcement.action_create": _("Enforcement action opened"),
    "enforcement.action_draw": _("Enforcement action drawn at random (双随机)"),
    "enforcement.inspection_plan": _("Inspection planned"),
    "enforcement.inspection_join": _("Departments joined the inspection"),
    "enforcement.guard_override": _("Repeat-inspection limit overridden"),
    "enforcement.inspection_start": _("Inspection started"),
    "enforcement.inspection_cancel": _("Inspection cancelled"),
    "enforcement.inspection_complete": _("Inspection completed"),
    "enforcement.inspection_rate": _("Inspection rated by the business"),
    "enforcement.item_record": _("Checklist item result recorded"),
    "enforcement.item_photos_add": _("Photos added to a checklist item"),
    "enforcement.finding_photos_add": _("Photos added to a rectification item"),
    "enforcement.rectification_create": _("Rectification item opened"),
    "enforcement.rectification_close": _("Rectification passed the re-check"),
    "enforcement.rectification_escalate": _("Rectification escalated to a case"),
    "enforcement.case_clock_warning": _("Case time-limit warning sent"),
}


def _clock(value: Any) -> str:
    """A case stores the time limit that runs (and the one it warned about) by its name."""
    return str(CLOCK_LABELS[value])


_PHOTOS = Key(
    _("Photos"), describe=counted(ngettext_lazy("%(count)s photo", "%(count)s photos", "count"))
)

KEYS: KeyLabels = {
    "enforcement.case": {
        "clock": Key(_("running clock"), describe=_clock),
        "alerted_clock": Key(_("clock warned about"), describe=_clock),
    },
    # A random draw keeps the ids of every target it drew from: how many reads better.
    "enforcement.action": {
        "draw_pool": Key(
            _("draw pool"),
            describe=counted(ngettext_lazy("%(count)s target", "%(count)s targets", "count")),
        ),
    },
    "enforcement.inspection": {
        "reason": _("Override reason"),
        "guard": _("Repeat-inspection limits exceeded"),
        "earlier": Key(_("Earlier inspections"), refers_to="enforcement.inspection"),
    },
    "enforcement.checklistitem": {"photos": _PHOTOS},
    "enforcement.rectification": {"photos": _PHOTOS},
}
