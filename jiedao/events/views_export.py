"""The event list (台账) downloaded from its page: ``/events/all/export/<format>/`` with the
list's query string, so the file holds what the list shows (see :mod:`jiedao.events.ledger`).

A GET answers with the file at once (as ``/api/events/export`` does); the list page's buttons
POST instead, which queues the export as a task (:mod:`jiedao.events.exports_queued`) and shows
its progress until the file is offered for download."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jiedao.core.http import JiedaoRequest
from jiedao.core.jobs import JobState
from jiedao.web.errors import render_application_errors

from .exports_queued import export_enqueue, export_job
from .ledger import ExportFile, event_list_export
from .views import _filters


def export_response(export: ExportFile) -> HttpResponse:
    """The file as a download; shared by the page and the API."""
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{export.filename}\"; filename*=UTF-8''{quote(export.filename)}"
    )
    return response


def _job_context(job: JobState) -> dict[str, object]:
    return {
        "job": job,
        "title": _("Export"),
        "poll_url": reverse("events:export_job", args=[job.id]),
        "file_url": reverse("events:export_file", args=[job.id]),
    }


@login_required
@require_http_methods(["GET", "POST"])
@render_application_errors
def event_list_download(request: JiedaoRequest, file_format: str) -> HttpResponse:
    """GET: the list's filters (status "open" by default, as on the list) as an .xlsx or .csv.
    POST: the same export, queued; the page polls it and offers the file."""
    if request.method == "POST":
        job = export_enqueue(
            actor=request.user, query=request.GET.urlencode(), file_format=file_format
        )
        template = "events/_job.html" if request.htmx else "events/export_job.html"
        return render(request, template, _job_context(job), status=202)
    filters, _status = _filters(request.GET)
    return export_response(
        event_list_export(actor=request.user, filters=filters, file_format=file_format)
    )


@login_required
@require_GET
def export_job_status(request: JiedaoRequest, job_id: str) -> HttpResponse:
    """The progress of one's own queued export (polled), or the whole page."""
    job = export_job(actor=request.user, job_id=job_id)
    if job is None:
        raise Http404
    template = "events/_job.html" if request.htmx else "events/export_job.html"
    return render(request, template, _job_context(job))


@login_required
@require_GET
def export_job_file(request: JiedaoRequest, job_id: str) -> HttpResponse:
    """The file of one's own finished export."""
    job = export_job(actor=request.user, job_id=job_id)
    if job is None or job.status != "done":
        raise Http404
    with default_storage.open(job.result["file"], "rb") as stored:
        content = stored.read()
    return export_response(
        ExportFile(
            content=content,
            content_type=job.result["content_type"],
            filename=job.result["filename"],
        )
    )
