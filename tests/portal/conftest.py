"""Fixtures for the portal and Open311 tests.

The Wenyan demo is loaded ONCE per module inside a transaction rolled back at the module's end
(each test runs in a savepoint inside it), as in tests/events. ``public`` helpers report and
drive events through the real services."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from jiedao.accounts.permissions import SYSTEM
from jiedao.events import services as event_services
from jiedao.events.models import Event
from jiedao.geo.geometry import parse_boundary
from jiedao.geo.models import Grid
from tests.images import PNG

HOME_GRID = "330109012001001"
# The staff who appear in timelines; their names must never reach a public output.
STAFF_ROLES = ("dispatcher", "department_handler", "grid_worker")


def point_in(grid_code: str = HOME_GRID) -> tuple[float, float]:
    grid = Grid.objects.get(code=grid_code)
    point = parse_boundary(grid.boundary).representative_point()
    return point.y, point.x


def png(name: str = "photo.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def act(event: Event, action: str, actor: Any = SYSTEM, **data: Any) -> Event:
    return event_services.event_transition(event=event, action=action, actor=actor, **data)


def close_through_services(event: Event, users: dict[str, Any]) -> Event:
    """The staff take the event from intake to closure, each with their own account."""
    event = act(event, "accept", users["dispatcher"])
    event = act(
        event, "dispatch", users["dispatcher"], department=users["department_handler"].department
    )
    event = act(event, "start_handling", users["department_handler"])
    event = act(event, "report_back", users["department_handler"], note="已清理完毕，路面恢复整洁")
    verifier = (
        users["grid_worker"]
        if users["grid_worker"].grid_id == event.grid_id
        else users["dispatcher"]
    )
    return act(event, "verify_pass", verifier)


def staff_names(users: dict[str, Any]) -> list[str]:
    names = []
    for role in STAFF_ROLES:
        user = users[role]
        names += [user.username, user.display_name]
    return [name for name in names if name]
