"""A ledger export as a task: the list page enqueues it and offers the file once it is written.

A large export (up to :data:`~jiedao.events.ledger.EXPORT_LIMIT` events as a workbook) takes
seconds of a web worker; queued, a worker (``jiedao worker``) writes it while the page polls
(:mod:`jiedao.core.jobs`). The file is the one :func:`~jiedao.events.ledger.event_list_export`
makes for the direct download and the API, audited the same way, once, by the task.
"""

import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _

from jiedao.accounts.models import User
from jiedao.accounts.permissions import require
from jiedao.core.errors import ApplicationError, InvalidInput
from jiedao.core.jobs import JobState, JobStatus, job_create, job_file_name, job_get, job_update

from .ledger import WRITERS, event_list_export

logger = logging.getLogger(__name__)
KIND = "events.export"


def export_enqueue(*, actor: User, query: str, file_format: str) -> JobState:
    """Queue the export of the list ``query`` selects (the list page's query string) for
    ``actor``; returns the job (already finished with the embedded, immediate backend)."""
    require(actor, "events.export")
    if file_format not in WRITERS:
        raise InvalidInput(
            _("Choose the file format: xlsx or csv, not “%(format)s”.") % {"format": file_format},
            code="unknown_format",
            field="format",
        )
    from .tasks import export_event_list

    job = job_create(kind=KIND, user_id=actor.pk)
    export_event_list.enqueue(
        job_id=job.id,
        user_id=actor.pk,
        query=query,
        file_format=file_format,
        language=translation.get_language() or "",
    )
    return job_get(job.id, user_id=actor.pk, kind=KIND) or job


def export_job_run(
    *, job_id: str, user_id: int, query: str, file_format: str, language: str = ""
) -> int:
    """The task's work: the export, in the language of the page that asked, written to the
    job's file; returns its size in bytes. A refusal (too many rows, a bad filter) ends the job
    with its message."""
    with translation.override(language or None):
        return _export_job_run(job_id=job_id, user_id=user_id, query=query, file_format=file_format)


def _export_job_run(*, job_id: str, user_id: int, query: str, file_format: str) -> int:
    from .views import _filters

    job_update(job_id, status=JobStatus.RUNNING)
    try:
        actor = User.objects.get(pk=user_id, is_active=True)
        filters, _status = _filters(QueryDict(query))
        export = event_list_export(actor=actor, filters=filters, file_format=file_format)
    except ApplicationError as error:
        job_update(job_id, status=JobStatus.FAILED, message=str(error.message))
        return 0
    except Exception:
        logger.exception("export %s failed", job_id)
        job_update(job_id, status=JobStatus.FAILED, message=_("The export failed."))
        raise
    stored = default_storage.save(
        job_file_name(job_id, export.filename), ContentFile(export.content)
    )
    job_update(
        job_id,
        status=JobStatus.DONE,
        done=1,
        total=1,
        result={
            "file": stored,
            "filename": export.filename,
            "content_type": export.content_type,
            "size": len(export.content),
        },
    )
    return len(export.content)


def export_job(*, actor: User, job_id: str) -> JobState | None:
    """The actor's export job, or None (someone else's looks missing)."""
    return job_get(job_id, user_id=actor.pk, kind=KIND)
