"""The actor of a report that comes in through a public door.

Residents using the portal or an Open311 client have no account. Their reports are made by a
:class:`PublicDoor`: a resident-role actor without a user row, labelled with the door it came
through ("portal", "open311:<key name>"), so the event's timeline and the audit trail say where a
report came from. It may report (``events.report``) exactly like a signed-in resident, from the
source "resident" only; it sees no event (its scope is empty), so a later action on the report
(rating) is applied by the portal's service after it has checked the follow code.
"""

from jiedao.accounts.models import Role


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


PORTAL = PublicDoor("portal")
