"""The actors of the public doors: residents without an account.

Residents using the portal or an Open311 client have no account.

* Their reports are made by a :class:`PublicDoor`: a resident-role actor without a user row,
  labelled with the door it came through ("portal", "open311:<key name>"), so the event's
  timeline and the audit trail say where a report came from. It may report (``events.report``)
  exactly like a signed-in resident, from the source "resident" only; it sees no event (its
  scope is empty).
* What they do later with their report (rate it, ask to reopen it) is done by a
  :class:`FollowCodeHolder`: the reporter, proven by the report's follow code instead of an
  account. It sees that one event and stands to it as its reporter (see
  :mod:`jiedao.events.policy`), so the workflow table, its guards and the audit trail treat it
  like the signed-in resident who reported an event.
"""

from jiedao.accounts.models import Role

from .models import PublicReport


class PublicDoor:
    is_authenticated = True
    is_active = True
    is_staff = False
    role = Role.RESIDENT
    pk = None
    subdistrict_id = None
    community_id = None
    grid_id = None
    department_id = None

    def __init__(self, label: str) -> None:
        self.label = label

    def get_username(self) -> str:
        return self.label

    def __str__(self) -> str:
        return self.label


class FollowCodeHolder(PublicDoor):
    """Whoever holds the follow code of ``report``: build it only from a report found by its
    code (:func:`jiedao.portal.selectors.public_report_find`). Labelled "<channel>:reporter" in
    the timeline and the audit trail."""

    def __init__(self, report: PublicReport) -> None:
        super().__init__(f"{report.channel}:reporter")
        self.followed_event_id: int = report.event_id


PORTAL = PublicDoor("portal")
