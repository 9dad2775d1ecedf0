"""The 12345 import page (``/events/import/``): upload a CSV or .xlsx of work orders (and a
column mapping), follow the import's progress (HTMX polling of its task), read its report."""

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jiedao.accounts.permissions import can
from jiedao.core.errors import ApplicationError, InvalidInput
from jiedao.core.http import JiedaoRequest
from jiedao.core.jobs import JobState

from .importing.columns import FIELDS
from .importing.jobs import import_enqueue, import_job
from .importing.service import ImportReport

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


def _job_context(job: JobState, report: ImportReport | None) -> dict[str, Any]:
    return {
        "job": job,
        "report": report,
        "rejected_rows": len({item.row for item in report.rejected}) if report else 0,
        "title": _("Import of %(file)s") % {"file": job.result.get("file", "")},
        "poll_url": reverse("events:import_job", args=[job.id]),
    }


def _mapping(request: JiedaoRequest) -> dict[str, Any] | None:
    upload = request.FILES.get("mapping")
    if upload is None:
        return None
    try:
        data = json.loads(upload.read().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise InvalidInput(
            _("The column mapping file cannot be read: %(error)s") % {"error": error},
            field="mapping",
        ) from error
    if not isinstance(data, dict):
        raise InvalidInput(_("The column mapping must be a JSON object."), field="mapping")
    return data


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: JiedaoRequest) -> HttpResponse:
    """GET: the upload form. POST: keep the file, queue its import, show its progress."""
    if not can(request.user, "events.import"):
        raise PermissionDenied
    context: dict[str, Any] = {"fields": FIELDS}
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise InvalidInput(_("Choose the file of work orders."), field="file")
            if upload.size and upload.size > MAX_UPLOAD_BYTES:
                raise InvalidInput(
                    _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES >> 20},
                    field="file",
                )
            job = import_enqueue(
                actor=request.user,
                upload=upload,
                name=upload.name or "",
                mapping=_mapping(request),
            )
        except ApplicationError as error:
            context["error"] = error
            return render(request, "events/import.html", context, status=error.status)
        found = import_job(actor=request.user, job_id=job.id)
        context.update(_job_context(*found) if found else _job_context(job, None))
        template = "events/_import_job.html" if request.htmx else "events/import.html"
        return render(request, template, context, status=202)
    return render(request, "events/import.html", context)


@login_required
@require_GET
def import_job_status(request: JiedaoRequest, job_id: str) -> HttpResponse:
    """The progress, then the report, of one's own import (polled every second)."""
    if not can(request.user, "events.import"):
        raise PermissionDenied
    found = import_job(actor=request.user, job_id=job_id)
    if found is None:
        raise Http404
    context = {"fields": FIELDS, **_job_context(*found)}
    template = "events/_import_job.html" if request.htmx else "events/import.html"
    return render(request, template, context)
