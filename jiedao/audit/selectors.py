from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from jiedao.accounts.permissions import require

from .models import AuditEntry


def audit_entry_list(
    *,
    user: Any,
    actor: str = "",
    action: str = "",
    target_type: str = "",
    target_id: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries newest first, filtered; only administrators may read the trail."""
    require(user, "audit.view")
    entries = AuditEntry.objects.select_related("actor").order_by("-id")
    if actor:
        # The page shows names: a name finds its person as the username does.
        entries = entries.filter(
            Q(actor_label__icontains=actor) | Q(actor__full_name__icontains=actor)
        )
    if action:
        entries = entries.filter(action__startswith=action)
    if target_type:
        entries = entries.filter(target_type=target_type)
    if target_id:
        entries = entries.filter(target_id=target_id)
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    return entries
