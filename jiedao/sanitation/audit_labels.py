"""The keys the 红黄黑榜's services store in their audit entries beside a row's fields (see
jiedao.audit.labels): the month a list was published for, how many compounds it ranked, how many
went on each list and the rules it applied."""

from typing import Any

from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from jiedao.audit.labels import Key

from .models.board import ColourChoice, ListModeChoice, MetricChoice


def _colours(counts: Any) -> str:
    return pgettext("list separator", ", ").join(
        gettext("%(list)s %(count)s") % {"list": ColourChoice(colour).label, "count": count}
        for colour, count in counts.items()
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


KEYS = {
    # The list's month is its own field.
    "sanitation.monthlylist": {
        "compounds": _("Compounds ranked"),
        "colours": Key(_("Compounds on each list"), describe=_colours),
        "rules": Key(_("Rules applied"), describe=_rules),
    },
    "sanitation.blacklisttask": {"month": _("month")},
}
