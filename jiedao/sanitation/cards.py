"""Waste sorting on the role homes and on the leaders' cockpit (registered in
``SanitationConfig.ready``)."""

import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import SYSTEM, can
from jiedao.core.localtime import local_today
from jiedao.web.cards import Card
from jiedao.web.cockpit import Kpi, Panel

from . import selectors


def home_cards(user: Any) -> list[Card]:
    if not can(user, "sanitation.view"):
        return []
    figures = selectors.overview(user=user, today=local_today())
    return [
        Card(
            title=_("Waste sorting"),
            url=reverse("sanitation:home"),
            description=_(
                "Compounds, collection points, drop-offs and inspections, points and recycling."
            ),
            count=figures.open_rectifications,
            count_label=_("rectification items open"),
            urgent=figures.overdue_rectifications,
            urgent_label=_("past their deadline"),
            order=50,
        )
    ]


def cockpit_panel(today: datetime.date) -> Panel | None:
    """The subdistrict's month so far: accounts, drop-offs and their accuracy, recycling weight
    and the points households hold."""
    figures = selectors.overview(user=SYSTEM, today=today)
    if not figures.accounts:
        return None
    return Panel(
        title=_("Waste sorting"),
        kpis=[
            Kpi(
                key="sanitation.accounts",
                label=_("Smart accounts"),
                value=figures.accounts,
                unit=_("accounts"),
                url_name="sanitation:home",
            ),
            Kpi(
                key="sanitation.drop_offs",
                label=_("Drop-offs this month"),
                value=figures.drop_offs,
                unit=_("times"),
            ),
            Kpi(
                key="sanitation.accuracy",
                label=_("Sorting accuracy this month"),
                value=figures.accuracy,
                unit="%",
            ),
            Kpi(
                key="sanitation.recycling_kg",
                label=_("Recycling weighed this month"),
                value=figures.recycling_kg,
                unit="kg",
            ),
            Kpi(
                key="sanitation.points_balance",
                label=_("Points held by households"),
                value=figures.points_balance,
                unit=_("points"),
            ),
        ],
        order=60,
    )
