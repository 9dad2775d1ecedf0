from typing import Any

from django import template

from jiedao.accounts.permissions import can

register = template.Library()


@register.filter
def can_export_events(user: Any) -> bool:
    """Whether the list offers its 导出 links: the same permission the export checks."""
    return can(user, "events.export")


@register.filter
def can_import_events(user: Any) -> bool:
    """Whether the list offers the 12345 import: the same permission the import checks."""
    return can(user, "events.import")
