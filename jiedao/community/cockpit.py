"""The modern community on the leaders' cockpit (registered from ``CommunityConfig.ready()``).

The needs list as it stands — waiting to be taken up (collected or assessed), claimed (matched
with an organisation or a resource), met — and what the community development funds can still
commit, from the fund ledger's own totals (:func:`jiedao.community.figures.fund_totals`). Three
statements whatever the data.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import pgettext_lazy

from jiedao.accounts.permissions import SYSTEM, scoped
from jiedao.web.cockpit import Kpi, Panel

from .figures import fund_totals
from .models import Need
from .workflow import NeedStatus

WAITING = (NeedStatus.COLLECTED, NeedStatus.ASSESSED)
TEN_THOUSAND = Decimal(10_000)


def cockpit_panel(today: date) -> Panel:
    by_status = {
        row["status"]: row["count"]
        for row in scoped(SYSTEM, Need.objects.all())
        .values("status")
        .annotate(count=Count("pk"))
        .order_by()
    }
    fund = fund_totals(SYSTEM, today)
    # 万元, as the fund's size is announced (安居乐堰 fund: 1000万); None when no fund exists.
    available = (
        (Decimal(fund["available"]) / TEN_THOUSAND).quantize(Decimal("0.01"))
        if fund["size"] != "0.00"
        else None
    )
    return Panel(
        title=pgettext_lazy("cockpit", "Community"),
        order=40,
        kpis=[
            Kpi(
                key="community.needs_open",
                label=pgettext_lazy("cockpit", "Needs waiting"),
                value=sum(by_status.get(status, 0) for status in WAITING),
                unit=pgettext_lazy("cockpit", "needs"),
                url_name="community:needs",
            ),
            Kpi(
                key="community.needs_claimed",
                label=pgettext_lazy("cockpit", "Needs claimed"),
                value=by_status.get(NeedStatus.MATCHED, 0),
                unit=pgettext_lazy("cockpit", "needs"),
            ),
            Kpi(
                key="community.needs_met",
                label=pgettext_lazy("cockpit", "Needs met"),
                value=by_status.get(NeedStatus.MET, 0),
                unit=pgettext_lazy("cockpit", "needs"),
            ),
            Kpi(
                key="community.fund_available",
                label=pgettext_lazy("cockpit", "Fund balance"),
                value=available,
                unit=pgettext_lazy("cockpit", "10k yuan"),
                note=pgettext_lazy("cockpit", "still to commit"),
                url_name="community:fund",
            ),
        ],
    )
