"""The key-task card on the role homes: the progress reports due, as many as the reminders the
user may see (a lead unit's staff their department's, the supervision office all), and how many
are past their date."""

from datetime import date

import pytest
from django.utils import translation

from jiedao.accounts.permissions import SYSTEM
from jiedao.supervision.cards import home_cards
from jiedao.supervision.models import Reminder
from jiedao.supervision.services import reminders_send

from .test_services import _plan_for_this_year


def key_task_card(user):
    with translation.override("zh-hans"):
        return [(str(c.title), c.url, c.count, c.urgent) for c in home_cards(user)]


def test_the_card_counts_the_reports_each_role_may_see_due(users):
    _plan_for_this_year(users)
    reminders_send(actor=SYSTEM, today=date(2026, 12, 28))
    assert Reminder.objects.count() == 2
    Reminder.objects.filter(department__code="city-management").update(due_on=date(2026, 1, 5))

    assert key_task_card(users["supervisor"]) == [("重点任务", "/supervision/behind/", 2, 1)]
    assert key_task_card(users["department_handler"]) == [("重点任务", "/supervision/", 1, 1)]
    assert key_task_card(users["enforcement_officer"]) == [("重点任务", "/supervision/", 0, 0)]


@pytest.mark.parametrize("role", ["resident", "grid_worker", "social_organisation"])
def test_no_card_for_a_role_outside_supervision(users, role):
    assert key_task_card(users[role]) == []
