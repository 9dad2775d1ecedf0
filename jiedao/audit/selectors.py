from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.apps import apps
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


def audit_names(
    *, user: Any, wanted: Iterable[tuple[str, str, Any]]
) -> dict[tuple[str, str, Any], str]:
    """The names of the rows the entries of a page refer to by id, as (model label, field,
    value) → name: one statement per model, whatever the number of entries. A row that no
    longer exists has no name (the page shows what was stored)."""
    require(user, "audit.view")
    by_model: dict[tuple[str, str], set[Any]] = defaultdict(set)
    for model_label, field, value in wanted:
        by_model[(model_label, field)].add(value)
    names: dict[tuple[str, str, Any], str] = {}
    for (model_label, field), values in sorted(by_model.items()):
        model = apps.get_model(model_label)
        # The trail names any row of the installation, whatever a manager would leave out; the
        # rows' own names may read their parents (a period is its plan's year and its label),
        # which come in the same statement.
        rows = model._base_manager.select_related().filter(**{f"{field}__in": values})
        for row in rows:
            names[(model_label, field, getattr(row, field))] = str(row)
    return names
