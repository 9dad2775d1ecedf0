"""The sensors' card on the role homes: open alarms in the user's area."""

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import can
from jiedao.web.cards import Card

from .selectors import open_alarm_counts


def home_cards(user: Any) -> Iterable[Card]:
    if not can(user, "sensors.view"):
        return []
    open_count, active = open_alarm_counts(user)
    return [
        Card(
            title=_("Sensor alarms"),
            url=reverse("sensors:alarms") + "?state=open",
            description=_("Device alarms in your area, on the list and the map."),
            count=open_count,
            count_label=_("open"),
            urgent=active,
            urgent_label=_("not acknowledged"),
            order=60,
        )
    ]
