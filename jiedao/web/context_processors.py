"""The navigation a user sees, from what their role may do."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import can
from jiedao.web import cards

# The entry that carries the count of unread notifications.
NOTIFICATIONS = "events:notifications"
# (action the role needs, label, url name)
NAVIGATION = [
    ("accounts.view_self", _("Home"), "web:home"),
    ("events.report", _("Report event"), "events:report"),
    ("events.view", _("Events"), "events:inbox"),
    ("events.view", _("Event map"), "events:map"),
    ("events.view", _("Notifications"), NOTIFICATIONS),
    ("geo.view", _("Map"), "geo:map"),
    ("events.figures", _("Dashboard"), "events_dashboard:dashboard"),
    ("supervision.view", _("Key tasks"), "supervision:plans"),
    ("audit.view", _("Audit trail"), "audit:log"),
    ("portal.moderate", _("Moderation of public reports"), "portal:moderation"),
    ("open311.manage_keys", _("Open311 API keys"), "open311:keys"),
]
# A resident reports on the residents' portal, as their home says: its form is made for them
# (a number and a code to follow the report by), the staff form is not.
RESIDENT_URLS = {"events:report": "portal:report"}


def is_current(path: str, url: str) -> bool:
    """The home page is current only on itself; other sections also on the pages below them."""
    return path == url if url == "/" else path.startswith(url)


def _unread_notifications(user: Any) -> int:
    """The unread notifications of a signed-in user who may see events (one statement); none
    asked for anyone else."""
    if user is None or not user.is_authenticated or not can(user, "events.view"):
        return 0
    # Imported here: the web app must not need the events app to load.
    from jiedao.events.selectors import notification_unread_count

    return notification_unread_count(user=user)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    resident = getattr(user, "role", None) == Role.RESIDENT
    items: list[dict[str, Any]] = []
    for action, label, url_name in [*NAVIGATION, *cards.navigation_entries()]:
        if can(user, action):
            url = reverse(RESIDENT_URLS.get(url_name, url_name) if resident else url_name)
            items.append(
                {
                    "label": label,
                    "url": url,
                    "is_current": is_current(request.path, url),
                    "badge": _unread_notifications(user) if url_name == NOTIFICATIONS else 0,
                }
            )
    # Only the most specific section is current (/events/map/ is not also /events/).
    current = [item for item in items if item["is_current"]]
    if len(current) > 1:
        longest = max(current, key=lambda item: len(item["url"]))
        for item in current:
            item["is_current"] = item is longest
    return {"navigation": items, "is_admin_user": bool(user and user.is_staff)}
