"""The community app's states as plain data: a need's life and an organisation's answer to a call.

``NEED_TRANSITIONS[(status, action)]`` exists when the action is possible in that status; its
:class:`Transition` names the next status, the roles that may take it and the inputs it cannot do
without. :func:`jiedao.community.services.need_transition` is the one place that applies it;
pages and the API list the available actions from the same table. ``RESPONSE_TRANSITIONS`` is the
same for an organisation's answer to a call (报到 → 承诺 → 完成). Nothing here touches the database.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedao.accounts.models import Role


class NeedStatus(models.TextChoices):
    COLLECTED = "collected", pgettext_lazy("need", "Collected")
    ASSESSED = "assessed", _("Assessed")
    MATCHED = "matched", _("Matched")
    MET = "met", _("Met")
    NOT_FEASIBLE = "not_feasible", _("Not feasible")
    MERGED = "merged", _("Merged into another need")


class NeedAction(models.TextChoices):
    ASSESS = "assess", _("Assess")
    MATCH = "match", _("Match")
    MEET = "meet", _("Mark as met")
    DECLINE = "decline", _("Not feasible")
    MERGE = "merge", _("Merge into a similar need")


class MatchKind(models.TextChoices):
    ORGANISATION = "organisation", _("Social organisation")
    PROJECT = "project", _("Project")
    ACTIVITY = "activity", _("Activity")
    DEPARTMENT = "department", _("Department")


class ResponseStatus(models.TextChoices):
    REPORTED_IN = "reported_in", pgettext_lazy("answer to a call", "Reported in")
    COMMITTED = "committed", _("Committed")
    COMPLETED = "completed", _("Completed")


class ResponseAction(models.TextChoices):
    COMMIT = "commit", _("Commit")
    COMPLETE = "complete", _("Report completion")


@dataclass(frozen=True)
class Transition:
    target: str
    roles: frozenset[str]
    requires: tuple[str, ...] = ()


LEADS = frozenset({Role.GRID_LEAD, Role.ADMINISTRATOR})

NEED_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (NeedStatus.COLLECTED, NeedAction.ASSESS): Transition(NeedStatus.ASSESSED, LEADS),
    (NeedStatus.COLLECTED, NeedAction.DECLINE): Transition(
        NeedStatus.NOT_FEASIBLE, LEADS, ("reason",)
    ),
    (NeedStatus.COLLECTED, NeedAction.MERGE): Transition(NeedStatus.MERGED, LEADS, ("into",)),
    (NeedStatus.ASSESSED, NeedAction.MATCH): Transition(
        NeedStatus.MATCHED, LEADS, ("match_kind", "match_target")
    ),
    (NeedStatus.ASSESSED, NeedAction.DECLINE): Transition(
        NeedStatus.NOT_FEASIBLE, LEADS, ("reason",)
    ),
    (NeedStatus.ASSESSED, NeedAction.MERGE): Transition(NeedStatus.MERGED, LEADS, ("into",)),
    (NeedStatus.MATCHED, NeedAction.MEET): Transition(NeedStatus.MET, LEADS),
    (NeedStatus.MATCHED, NeedAction.DECLINE): Transition(
        NeedStatus.NOT_FEASIBLE, LEADS, ("reason",)
    ),
}

# Needs still waiting for something: what a lead's workspace counts and similar needs come from.
OPEN_NEED_STATUSES = (NeedStatus.COLLECTED, NeedStatus.ASSESSED, NeedStatus.MATCHED)
# A whistle may be blown for a need the lead has assessed, and stays open until the need is met.
WHISTLE_STATUSES = (NeedStatus.ASSESSED, NeedStatus.MATCHED)

# Organisations and department staff answer calls (the services check whom they act for).
ORGANISATIONS = frozenset({Role.SOCIAL_ORGANISATION, Role.DEPARTMENT_HANDLER})

RESPONSE_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (ResponseStatus.REPORTED_IN, ResponseAction.COMMIT): Transition(
        ResponseStatus.COMMITTED, ORGANISATIONS, ("text",)
    ),
    (ResponseStatus.COMMITTED, ResponseAction.COMPLETE): Transition(
        ResponseStatus.COMPLETED, ORGANISATIONS, ("text",)
    ),
}


def need_actions(status: str, role: str) -> list[str]:
    """The actions the table allows a role in a need's status, in the table's order."""
    return [
        action
        for (state, action), transition in NEED_TRANSITIONS.items()
        if state == status and role in transition.roles
    ]


def response_actions(status: str, role: str) -> list[str]:
    return [
        action
        for (state, action), transition in RESPONSE_TRANSITIONS.items()
        if state == status and role in transition.roles
    ]


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class ActivityAction(models.TextChoices):
    HOLD = "hold", _("Record as held")
    CANCEL = "cancel", _("Cancel")


# Community leads record the activities of their community; an organisation records its own
# (the service checks that the account acts for the organiser).
ACTIVITY_ROLES = frozenset({Role.GRID_LEAD, Role.ADMINISTRATOR, Role.SOCIAL_ORGANISATION})

ACTIVITY_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (ActivityStatus.PLANNED, ActivityAction.HOLD): Transition(
        ActivityStatus.HELD, ACTIVITY_ROLES, ("held_on", "person_times")
    ),
    (ActivityStatus.PLANNED, ActivityAction.CANCEL): Transition(
        ActivityStatus.CANCELLED, ACTIVITY_ROLES, ("reason",)
    ),
}


def activity_actions(status: str, role: str) -> list[str]:
    return [
        action
        for (state, action), transition in ACTIVITY_TRANSITIONS.items()
        if state == status and role in transition.roles
    ]
