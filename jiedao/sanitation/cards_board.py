"""The 红黄黑榜 on the role homes and on the leaders' cockpit (registered by
:mod:`jiedao.sanitation.board_apps`)."""

import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import SYSTEM, can
from jiedao.core.localtime import local_time, local_today
from jiedao.geo.models import Subdistrict
from jiedao.web.cards import Card
from jiedao.web.cockpit import Kpi, Panel, Ranking

from . import selectors_board
from .scoring import Colour


def home_cards(user: Any) -> list[Card]:
    if not can(user, "sanitation.board_view"):
        return []
    tasks = selectors_board.black_list_tasks(user=user, open_only=True)
    today = local_today()
    return [
        Card(
            title=_("Compound list (红黄黑榜)"),
            url=reverse("sanitation_board:month"),
            description=_(
                "This month's compound scores, ranks and colours, and the published lists."
            ),
            count=len(tasks),
            count_label=_("black-list tasks open"),
            urgent=sum(1 for task in tasks if local_time(task.deadline).date() < today),
            urgent_label=_("past their deadline"),
            order=61,
        )
    ]


def cockpit_panel(today: datetime.date) -> Panel | None:
    """This month's colours and the compounds' ranking, computed live from the records (the
    list is published once the month is over)."""
    subdistrict = Subdistrict.objects.order_by("code").first()
    if subdistrict is None:
        return None
    ranking = selectors_board.month_ranking(
        user=SYSTEM, month=today.replace(day=1), subdistrict_code=subdistrict.code, live=True
    )
    if not ranking.rows:
        return None
    colours = ranking.colour_counts()
    labels = {
        Colour.RED: _("Red list (红榜)"),
        Colour.YELLOW: _("Yellow list (黄榜)"),
        Colour.BLACK: _("Black list (黑榜)"),
    }
    kpis = [
        Kpi(
            key=f"sanitation.list.{colour.value}",
            label=labels[colour],
            value=colours[colour.value] if ranking.has_records else None,
            unit=_("compounds"),
            better="lower" if colour is not Colour.RED else "higher",
            url_name="sanitation_board:month",
        )
        for colour in Colour
    ]
    rows = [(row.name, row.score) for row in ranking.rows if row.score is not None]
    return Panel(
        title=_("Waste sorting: compound list"),
        kpis=kpis,
        rankings=[
            Ranking(title=_("Compounds by score this month"), rows=rows[:10], unit=_("points"))
        ],
        order=61,
    )
