"""The warning jobs that ``jiedao mark-overdue`` runs beside the events' deadline warnings.

Each app with time limits of its own registers its task from its ``AppConfig.ready()``, so
that one cron line (or systemd timer) announces every warning and no app imports another. A
job's task takes ``now`` (an aware ISO 8601 time, or None for the current time) and returns
how many warnings of each level it sent, ``{"yellow": n, "red": n}``, or how many it sent of
its one kind. An app may register several jobs, each with its own label.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise


@dataclass(frozen=True)
class WarningJob:
    owner: str
    task: Any  # a django-tasks Task
    label: str | Promise  # what its warnings are about, for the command's summary


_JOBS: dict[str, WarningJob] = {}


def register_warning_job(*, owner: str, task: Any, label: str | Promise) -> None:
    key = f"{owner}:{task.name}"
    if key in _JOBS:
        raise ImproperlyConfigured(f"{owner} registered the warning job {task.name} twice.")
    _JOBS[key] = WarningJob(owner=owner, task=task, label=label)


def warning_jobs() -> list[WarningJob]:
    """The registered jobs, in the order of registration (that of INSTALLED_APPS)."""
    return list(_JOBS.values())
