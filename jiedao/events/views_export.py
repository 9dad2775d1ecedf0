"""The event list (台账) downloaded from its page: ``/events/all/export/<format>/`` with the
list's query string, so the file holds what the list shows (see :mod:`jiedao.events.ledger`)."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from jiedao.core.http import JiedaoRequest
from jiedao.web.errors import render_application_errors

from .ledger import ExportFile, event_list_export
from .views import _filters


def export_response(export: ExportFile) -> HttpResponse:
    """The file as a download; shared by the page and the API."""
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{export.filename}\"; filename*=UTF-8''{quote(export.filename)}"
    )
    return response


@login_required
@require_GET
@render_application_errors
def event_list_download(request: JiedaoRequest, file_format: str) -> HttpResponse:
    """The list's filters (status "open" by default, as on the list) as an .xlsx or .csv."""
    filters, _status = _filters(request.GET)
    return export_response(
        event_list_export(actor=request.user, filters=filters, file_format=file_format)
    )
