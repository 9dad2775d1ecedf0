"""The to-do page (待办): the events waiting for the user's action, the most urgent first, in
tabs with their counts (:func:`jiedao.events.todo.event_todo_page`, which ``/api/events/inbox``
reads too). Everything in the user's scope stays on its own page (``events:list``)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import require
from jiedao.core.http import JiedaoRequest
from jiedao.web.errors import render_application_errors

from .todo import event_todo_page, tab_conditions
from .views import DEPARTMENT_ROLES, PAGE_SIZE, _filters, _rows, list_page_context


def _title(role: str) -> Any:
    if role == Role.DISPATCHER:
        return _("Dispatch to-do list")
    if role in DEPARTMENT_ROLES:
        return _("Department to-do list")
    return _("To do")


@login_required
@require_GET
@render_application_errors
def todo(request: JiedaoRequest) -> HttpResponse:
    """The user's to-do list: overdue first, then the nearest deadline, then the rest; a tab
    narrows it to one kind of work (``?tab=``), the filters like the event list's."""
    user = request.user
    require(user, "events.view")
    if not tab_conditions(user):
        # A role that takes no step of the workflow's main line (a lead, a supervisor, a
        # resident) has no to-do list: its events are the ones of its scope.
        return redirect("events:list")
    filters, status = _filters(request.GET)
    tab = request.GET.get("tab", "")
    cursor = request.GET.get("cursor", "")
    page = event_todo_page(user=user, filters=filters, tab=tab, cursor=cursor, limit=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("cursor", None)
    rows = _rows([item.event for item in page.items], user)
    for row, item in zip(rows, page.items, strict=True):
        row["todo"] = item
    without_tab = query.copy()
    without_tab.pop("tab", None)
    context: dict[str, Any] = {
        "rows": rows,
        "next_cursor": page.next_cursor,
        "query": query.urlencode(),
        "list_path": request.path,
        "next_url": f"{request.path}?{query.urlencode()}" if query else request.path,
        "tabs": page.tabs,
        "tab": tab,
        "total": page.total,
        "tab_query": without_tab.urlencode(),
    }
    if request.htmx and not request.htmx.history_restore_request:
        # A change of filters also brings the tabs' counts of the filtered list.
        template = "events/_rows.html" if cursor else "events/_todo_list.html"
        return render(request, template, context)
    context.update(title=_title(user.role), is_inbox=True, **list_page_context(request, status))
    return render(request, "events/inbox.html", context)
