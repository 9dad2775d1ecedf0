"""The events app's cards on the role homes (registered from ``EventsConfig.ready()``): the
to-do list with its overdue events, the unread notifications, reporting (a resident's on the
public portal), the events of one's scope. The counts are the to-do list's own
(:func:`jiedao.events.todo.event_todo_counts`), so the home and the list never disagree; two
statements whatever the number of events."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import can
from jiedao.web.cards import Card

from .selectors import notification_unread_count
from .todo import OVERDUE, event_todo_counts, tab_conditions


def home_cards(user: Any) -> list[Card]:
    if not can(user, "events.view"):
        return []
    cards: list[Card] = []
    # Only the roles that take a step of the workflow's main line have a to-do list.
    if tab_conditions(user):
        counts = event_todo_counts(user=user)
        cards += [
            Card(
                title=_("To do"),
                url=reverse("events:inbox"),
                description=_("Events waiting for your next step, the most urgent first."),
                count=counts.total,
                count_label=_("waiting for you"),
                urgent=counts.overdue,
                urgent_label=_("overdue"),
                order=10,
            ),
            Card(
                title=_("Overdue"),
                url=f"{reverse('events:inbox')}?tab={OVERDUE}",
                description=_("Events of your to-do list past their deadline."),
                count=counts.overdue,
                count_label=_("overdue"),
                urgent=counts.overdue,
                order=11,
            ),
        ]
    resident = user.role == Role.RESIDENT
    cards.append(
        Card(
            title=_("Notifications"),
            url=reverse("events:notifications"),
            description=_("What happened to the events you reported.")
            if resident
            else _("What happened to the events you work on or reported."),
            count=notification_unread_count(user=user),
            count_label=_("unread"),
            order=20,
        )
    )
    if resident:
        # A resident reports on the public portal, as the home's own panel says: its form is
        # made for residents (a number and a code to follow the report by, no staff fields).
        cards.append(
            Card(
                title=_("Report event"),
                url=reverse("portal:report"),
                description=_(
                    "On the residents' portal: describe the problem or the need, mark the place "
                    "on the map and add photos; you get a number and a code to follow it by."
                ),
                order=30,
            )
        )
    elif can(user, "events.report"):
        cards.append(
            Card(
                title=_("Report event"),
                url=reverse("events:report"),
                description=_(
                    "A problem seen on patrol, a call, a transfer: with place and photos."
                ),
                order=30,
            )
        )
    cards.append(
        Card(
            title=_("My reports") if resident else _("Events in my scope"),
            url=reverse("events:list"),
            description=_(
                "The reports made with this account. A report made on the portal is followed "
                "there, by its number and code."
            )
            if resident
            else _("Every event you may see, newest first, with filters."),
            order=40,
        )
    )
    return cards
