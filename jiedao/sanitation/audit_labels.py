"""The keys the 红黄黑榜's services store in their audit entries beside a row's fields (see
jiedao.audit.labels): the month a list was published for, how many compounds it ranked, how many
went on each list and the rules it applied."""

from typing import Any

from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from jiedao.audit.labels import Key, KeyLabels

from .models.board import ColourChoice, ListModeChoice, MetricChoice


def _colours(counts: Any) -> str:
    # Red, yellow, black, whatever order the stored object keeps (PostgreSQL's jsonb sorts).
    if set(counts) - set(ColourChoice.values):
        raise ValueError("counts of lists that are not the three colours")
    return pgettext("list separator", ", ").join(
        gettext("%(list)s %(count)s") % {"list": colour.label, "count": counts[colour.value]}
        for colour in ColourChoice
        if colour.value in counts
    )


def _rules(rules: Any) -> str:
    weights = pgettext("list separator", ", ").join(
        gettext("%(metric)s %(weight)s%%")
        % {"metric": MetricChoice(rule["metric"]).label, "weight": rule["weight"]}
        for rule in rules["rules"]
    )
    return gettext(
        "weights %(weights)s; lists %(mode)s; rectification within %(days)s working days"
    ) % {
        "weights": weights,
        "mode": ListModeChoice(rules["list"]["mode"]).label,
        "days": rules["rectification_days"],
    }


KEYS: KeyLabels = {
    # The list's month is its own field.
    "sanitation.monthlylist": {
        "compounds": _("Compounds ranked"),
        "colours": Key(_("Compounds on each list"), describe=_colours),
        "rules": Key(_("Rules applied"), describe=_rules),
    },
    "sanitation.blacklisttask": {"month": _("month")},
}
