from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from jiedao.core.http import JiedaoRequest
from jiedao.core.localtime import local_time
from jiedao.web.errors import render_application_errors

from . import labels
from .models import AuditEntry
from .selectors import audit_entry_list, audit_names

ENTRIES_PER_PAGE = 50


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    action = forms.CharField(
        label=_("Action starts with"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "geo.grid"}),
    )
    target_type = forms.CharField(
        label=_("Target type"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "geo.grid"}),
    )
    target_id = forms.CharField(label=_("Target id"), required=False, max_length=64)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned


def _changes(before: Any, after: Any) -> list[tuple[str, bool, bool, Any, Any]]:
    """(key, has before, has after, before, after) of each key whose value differs.

    A creation has no ``before`` and a deletion no ``after``: their side shows as absent.
    Values that are not objects are compared as a whole under the key "". A row's own id
    (``id`` in its snapshot) is left out: the target names the row, and keeps its id in the
    tooltip.
    """
    if before is None and isinstance(after, dict):
        before = {}
    if after is None and isinstance(before, dict):
        after = {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        if before == after:
            return []
        before = {"": before} if before is not None else {}
        after = {"": after} if after is not None else {}
    return [
        (key, key in before, key in after, before.get(key), after.get(key))
        for key in sorted((before.keys() | after.keys()) - {"id"})
        if before.get(key, ...) != after.get(key, ...)
    ]


def changed_fields(
    before: Any, after: Any, *, target_type: str = "", names: labels.Names | None = None
) -> list[dict[str, Any]]:
    """The keys whose value differs between ``before`` and ``after``, for a compact diff, each
    with its field's label and its values as the reader reads them (``target_type`` says which
    model's fields they are; ``names`` are the names of the rows they refer to by id)."""
    return [
        {
            "key": key,
            "label": labels.field_label(target_type, key),
            "has_before": has_before,
            "has_after": has_after,
            "before": labels.value_text(target_type, key, old, names),
            "after": labels.value_text(target_type, key, new, names),
        }
        for key, has_before, has_after, old, new in _changes(before, after)
    ]


def referenced_rows(entries: list[AuditEntry]) -> set[tuple[str, str, Any]]:
    """The rows the changes of ``entries`` refer to by id, for :func:`audit_names`."""
    return {
        reference
        for entry in entries
        for key, _has_before, _has_after, old, new in _changes(entry.before, entry.after)
        for value in (old, new)
        for reference in labels.references(entry.target_type, key, value)
    }


def entry_row(entry: AuditEntry, *, names: labels.Names | None = None) -> dict[str, Any]:
    """An entry as the page shows it: local time, the actor's name, the labels of the action
    and of the target's type, the changes with their fields' labels and readable values."""
    return {
        "entry": entry,
        "time": local_time(entry.created_at),
        "actor": labels.actor_name(actor=entry.actor, actor_label=entry.actor_label),
        "action": labels.action_label(entry.action),
        "target_type": labels.target_type_label(entry.target_type) if entry.target_type else "",
        "target": labels.target_label(
            action=entry.action, target_repr=entry.target_repr, after=entry.after
        ),
        "changes": changed_fields(
            entry.before, entry.after, target_type=entry.target_type, names=names
        ),
    }


@login_required
@render_application_errors
def audit_log(request: JiedaoRequest) -> HttpResponse:
    """The audit trail, filtered; an HTMX request gets only the table."""
    form = AuditFilterForm(request.GET)
    has_errors = not form.is_valid()
    filters = {} if has_errors else form.cleaned_data
    # The selector checks the permission even when the filters are wrong.
    entries = audit_entry_list(
        user=request.user,
        actor=filters.get("actor", ""),
        action=filters.get("action", ""),
        target_type=filters.get("target_type", ""),
        target_id=filters.get("target_id", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    if has_errors:
        entries = entries.none()
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page)
    # The names of the rows the changes refer to, read for the whole page at once.
    names = audit_names(user=request.user, wanted=referenced_rows(shown))
    rows = [entry_row(entry, names=names) for entry in shown]
    context = {"form": form, "page": page, "rows": rows, "has_errors": has_errors}
    is_partial = bool(request.htmx) and not request.htmx.history_restore_request
    template = "audit/_entries.html" if is_partial else "audit/log.html"
    return render(request, template, context)
