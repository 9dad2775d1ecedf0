"""Who may read and change the working-time calendar (registered by ``CoreConfig``)."""

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import STAFF_ROLES

ACTIONS: dict[str, frozenset[str]] = {
    "calendar.view": STAFF_ROLES,
    "calendar.manage": frozenset({Role.ADMINISTRATOR}),
}
