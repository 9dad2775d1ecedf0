from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from jiedao.core.http import JiedaoRequest
from jiedao.web.errors import render_application_errors

from .selectors import audit_entry_list


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
@render_application_errors
def audit_log(request: JiedaoRequest) -> HttpResponse:
    filters = {
        "actor": request.GET.get("actor", "").strip(),
        "action": request.GET.get("action", "").strip(),
        "target_type": request.GET.get("target_type", "").strip(),
        "target_id": request.GET.get("target_id", "").strip(),
    }
    entries = audit_entry_list(
        user=request.user,
        since=_parse_date(request.GET.get("since", "")),
        until=_parse_date(request.GET.get("until", "")),
        **filters,
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    template = "audit/_entries.html" if request.htmx else "audit/log.html"
    return render(request, template, {"page": page, "filters": request.GET})
