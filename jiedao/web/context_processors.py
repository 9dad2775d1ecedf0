"""The navigation a user sees, from what their role may do."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import can

# (action the role needs, label, url name)
NAVIGATION = [
    ("accounts.view_self", _("Home"), "web:home"),
    ("geo.view", _("Map"), "geo:map"),
    ("audit.view", _("Audit trail"), "audit:log"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items = [
        {"label": label, "url": reverse(url_name)}
        for action, label, url_name in NAVIGATION
        if can(user, action)
    ]
    return {"navigation": items, "is_admin_user": bool(user and user.is_staff)}
