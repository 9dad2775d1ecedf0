"""What indicators show outside their own pages: the card on the role homes (the review queue's
count for the supervisor, the department's indicators for a lead department), the labels of the
audit trail, and the key indicators against their targets on the leaders' cockpit. Each runs a
constant number of statements."""

import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedao.accounts.permissions import SYSTEM, can
from jiedao.web.cards import Card
from jiedao.web.cockpit import Kpi, Panel

from . import selectors
from .models import Indicator
from .periods import PeriodKey

AUDIT_ACTION_LABELS = {
    "indicators.report.upload": pgettext_lazy("audit", "report uploaded for review"),
    "indicators.figure.confirm": pgettext_lazy("audit", "figure confirmed"),
    "indicators.figure.reject": pgettext_lazy("audit", "figure rejected"),
    "indicators.value.create": pgettext_lazy("audit", "indicator value entered"),
    "indicators.value.update": pgettext_lazy("audit", "indicator value changed"),
    "indicators.indicator.create": pgettext_lazy("audit", "indicator added"),
}


def home_cards(user: Any) -> list[Card]:
    if not can(user, "indicators.view"):
        return []
    found: list[Card] = []
    if can(user, "indicators.review"):
        found.append(
            Card(
                title=_("Figures to review"),
                url=reverse("indicators:reports"),
                description=_("Figures read out of narrative reports, waiting to be confirmed."),
                count=selectors.pending_count(user=user),
                count_label=_("figures waiting"),
                order=55,
            )
        )
    found.append(
        Card(
            title=_("Indicators"),
            url=reverse("indicators:table"),
            description=_("Your department's indicators: enter values and targets.")
            if can(user, "indicators.enter")
            else _("Economic and livelihood indicators against their targets."),
            count=selectors.indicator_list(user=user).count(),
            count_label=_("indicators"),
            order=56,
        )
    )
    return found


def cockpit_panel(today: datetime.date) -> Panel | None:
    """The key indicators of the latest period that ended by ``today``, against their targets.
    Three statements."""
    period = _latest_ended(today)
    if period is None:
        return None
    rows = [
        row for row in selectors.indicator_table(user=SYSTEM, period=period) if row.indicator.is_key
    ]
    if not rows:
        return None
    return Panel(
        title=_("Key indicators · %(period)s") % {"period": period.label},
        kpis=[
            Kpi(
                key=f"indicators.{row.indicator.code}",
                label=row.indicator.name,
                value=row.shown_value,
                unit=row.indicator.display_unit,
                target=row.shown_target,
                better="higher",
                note=_change_note(row.change),
                url_name="indicators:table",
            )
            for row in rows
        ],
        order=60,
    )


def _change_note(change: Any) -> str:
    if change is None:
        return ""
    sign = "+" if change.amount > 0 else ""
    text = _("year on year %(sign)s%(amount)s%(unit)s") % {
        "sign": sign,
        "amount": change.amount,
        "unit": change.unit,
    }
    if change.is_stated:
        return str(text) + str(_("(stated)"))
    return str(text)


def _latest_ended(today: datetime.date) -> PeriodKey | None:
    periods = [
        PeriodKey(year, kind, number)
        for year, kind, number in Indicator.objects.filter(is_key=True, values__value__isnull=False)
        .values_list("values__year", "values__period_kind", "values__number")
        .distinct()
    ]
    ended = [key for key in periods if (key.year, key.last_month) < (today.year, today.month)]
    if not ended:
        return None
    return max(ended, key=lambda key: (key.year, key.last_month, -key.first_month))
