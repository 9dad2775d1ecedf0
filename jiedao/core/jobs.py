"""The progress of a long task a person waits for on a page (an import, a large export).

The page enqueues the task with a job id and polls :func:`job_get` (HTMX, every second); the
task, in a worker or in the web process itself (TASKS_BACKEND=immediate), reports with
:func:`job_update`. The state lives in the Django cache — Redis whenever tasks are queued
(TASKS_BACKEND=redis needs REDIS_URL), so the worker and every web worker see the same — for
TASK_RESULT_SECONDS; a file the task produced is kept in the default storage under ``jobs/``.

A job belongs to the user who started it: anyone else asking for it is told it does not exist.
"""

import secrets
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from django.conf import settings
from django.core.cache import cache


class JobStatus:
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class JobState:
    id: str
    kind: str
    user_id: int
    status: str = JobStatus.QUEUED
    done: int = 0
    total: int = 0
    message: str = ""
    result: dict[str, Any] = field(default_factory=dict)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


def _key(job_id: str) -> str:
    return f"jiedao:job:{job_id}"


def _store(state: JobState) -> JobState:
    cache.set(_key(state.id), asdict(state), timeout=settings.TASK_RESULT_SECONDS)
    return state


def job_create(*, kind: str, user_id: int) -> JobState:
    """A new job of ``kind`` for the user, queued."""
    return _store(JobState(id=secrets.token_urlsafe(12), kind=kind, user_id=user_id))


def job_update(job_id: str, **changes: Any) -> JobState | None:
    """Change a job's status, progress, message or result; None when it has expired."""
    stored = cache.get(_key(job_id))
    if stored is None:
        return None
    return _store(replace(JobState(**stored), **changes))


def job_get(job_id: str, *, user_id: int | None, kind: str) -> JobState | None:
    """The job, when it exists, is of ``kind`` and belongs to the user; None otherwise."""
    stored = cache.get(_key(job_id)) if job_id else None
    if stored is None:
        return None
    state = JobState(**stored)
    if state.user_id != user_id or state.kind != kind:
        return None
    return state


def job_file_name(job_id: str, filename: str) -> str:
    """Where a job's file lives in the default storage."""
    return f"jobs/{job_id}/{filename}"
