"""``user|may:"enforcement.reviewer_manage"`` in the enforcement templates: what the navigation
shows comes from the registry, as every permission does (the views check it again)."""

from typing import Any

from django import template

from jiedao.accounts.permissions import can

register = template.Library()


@register.filter
def may(user: Any, action: str) -> bool:
    return can(user, action)
