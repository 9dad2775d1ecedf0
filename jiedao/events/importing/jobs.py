"""The upload page's import as a task: the file is kept in the default storage, the task
imports it and reports its progress (:mod:`jiedao.core.jobs`), the page polls."""

import logging
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext as _

from jiedao.accounts.models import User
from jiedao.accounts.permissions import require
from jiedao.core.errors import ApplicationError
from jiedao.core.jobs import JobState, JobStatus, job_create, job_file_name, job_get, job_update

from .columns import mapping_from
from .service import ImportReport, work_orders_import

logger = logging.getLogger(__name__)
KIND = "events.import"


def import_enqueue(
    *, actor: User, upload: File, name: str, mapping: dict[str, Any] | None = None
) -> JobState:
    """Keep the uploaded file and queue its import; returns the job (already finished with the
    embedded, immediate backend). The mapping is checked here, so a bad one is refused at once."""
    require(actor, "events.import")
    mapping_from(mapping)
    from ..tasks import import_work_orders

    job = job_create(kind=KIND, user_id=actor.pk)
    stored = default_storage.save(job_file_name(job.id, "upload" + _suffix(name)), upload)
    job_update(job.id, result={"file": name})
    # The stored file's name (suffix included) is where the task reads it; ``name`` is what
    # the person uploaded, which the report and the audit entry name.
    import_work_orders.enqueue(
        job_id=job.id,
        user_id=actor.pk,
        file_name=stored,
        name=name,
        mapping=mapping,
        language=translation.get_language() or "",
    )
    return job_get(job.id, user_id=actor.pk, kind=KIND) or job


def _suffix(name: str) -> str:
    lowered = name.lower()
    return ".xlsx" if lowered.endswith(".xlsx") else ".csv" if lowered.endswith(".csv") else ""


def import_job_run(
    *,
    job_id: str,
    user_id: int,
    file_name: str,
    name: str,
    mapping: dict[str, Any] | None,
    language: str = "",
) -> dict[str, Any]:
    """The task's work: import the stored file, reporting progress; the report becomes the
    job's result. A refused file ends the job with its message."""
    with translation.override(language or None):
        job_update(job_id, status=JobStatus.RUNNING, result={"file": name})

        def progress(done: int, total: int) -> None:
            job_update(job_id, done=done, total=total)

        try:
            actor = User.objects.get(pk=user_id, is_active=True)
            with default_storage.open(file_name, "rb") as stream:
                report = work_orders_import(
                    actor=actor,
                    stream=stream,
                    name=name,
                    mapping=mapping_from(mapping),
                    progress=progress,
                )
        except ApplicationError as error:
            job_update(job_id, status=JobStatus.FAILED, message=str(error.message))
            return {}
        except Exception:
            logger.exception("import %s failed", job_id)
            job_update(job_id, status=JobStatus.FAILED, message=_("The import failed."))
            raise
        finally:
            default_storage.delete(file_name)
        result = report.as_dict()
        job_update(job_id, status=JobStatus.DONE, result=result)
        return result


def import_job(*, actor: User, job_id: str) -> tuple[JobState, ImportReport | None] | None:
    """The actor's import job and, once done, its report; None when it is not theirs."""
    job = job_get(job_id, user_id=actor.pk, kind=KIND)
    if job is None:
        return None
    report = ImportReport.from_dict(job.result) if job.status == JobStatus.DONE else None
    return job, report
