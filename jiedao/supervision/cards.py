"""The supervision app's card on the role homes (registered from ``SupervisionConfig.ready()``):
the key-task progress reports that are due — for a lead unit's staff those their department
owes, for the supervision office all of the subdistrict — and how many are past their date.
One statement."""

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import can
from jiedao.core.localtime import local_today
from jiedao.web.cards import Card

from .selectors import reminder_list


def home_cards(user: Any) -> list[Card]:
    if not can(user, "supervision.view"):
        return []
    counts = (
        reminder_list(user=user)
        .order_by()
        .aggregate(due=Count("pk"), late=Count("pk", filter=Q(due_on__lt=local_today())))
    )
    runs = can(user, "supervision.manage")
    return [
        Card(
            title=_("Key tasks"),
            url=reverse("supervision:behind" if runs else "supervision:plans"),
            # Only a lead unit's staff owe reports; everyone else reads what the lead units owe.
            description=_("Progress reports of the key tasks your department still owes.")
            if can(user, "supervision.report")
            else _("Progress reports of the key tasks that lead units still owe."),
            count=counts["due"],
            count_label=_("reports due"),
            urgent=counts["late"],
            urgent_label=_("past their date"),
            order=50,
        )
    ]
