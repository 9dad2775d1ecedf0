"""The production queue end to end: tasks enqueued in Redis (django-tasks-rq), run by a real
``jiedao worker`` process against the test database.

These run in the PostgreSQL pass (the worker is another process: it needs the committed rows of
a real server database). Without Redis they skip — except with ``CI=true``, where they fail:
CI must prove the queue works."""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django_tasks import TaskResultStatus, task_backends

from jiedao.audit.models import AuditEntry
from jiedao.audit.services import audit_verify
from jiedao.audit.tasks import seal_trail
from jiedao.events.models import EventStep
from jiedao.events.tasks import mark_overdue
from tests.events.conftest import act, report

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI: {reason}; the task queue tests need it.")
    pytest.skip(f"{reason} (required in CI)")


@pytest.fixture
def queue(transactional_db: Any) -> Iterator[str]:
    """A queue of this test's own in Redis, with the settings of TASKS_BACKEND=redis."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a server database (runs in the PostgreSQL pass)")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.exceptions.RedisError as error:
        _unavailable(f"Redis at {REDIS_URL} is unreachable: {error}")
    name = f"test-{uuid.uuid4().hex[:12]}"
    queues = {item: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 120} for item in ("default", name)}
    tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", name]}}
    with override_settings(RQ_QUEUES=queues, TASKS=tasks):
        yield name
    redis.Redis.from_url(REDIS_URL).delete(f"rq:queue:{name}")


def _run_worker(queue_name: str) -> subprocess.CompletedProcess[str]:
    """``jiedao worker --burst``: runs what is queued, then exits."""
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jiedao.config.settings.test",
        "DATABASE_URL": url,
        "TASKS_BACKEND": "redis",
        "REDIS_URL": REDIS_URL,
        "TASKS_QUEUES": queue_name,
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    return subprocess.run(
        [sys.executable, "-m", "jiedao.cli", "worker", "--burst"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=settings.BASE_DIR,
    )


def test_the_worker_announces_deadline_warnings_queued_in_redis(users: Any, queue: str) -> None:
    # given an event accepted and dispatched before the National Day holiday
    local = lambda *parts: datetime(*parts, tzinfo=SHANGHAI)
    event = report(category="E0105", at=local(2025, 9, 30, 15, 0))
    event = act(event, "accept", at=local(2025, 9, 30, 16, 0))
    event = act(event, "dispatch", department="city-management", at=local(2025, 9, 30, 16, 5))

    # when the deadline-warning task is queued once overdue
    result = mark_overdue.using(queue_name=queue).enqueue(now=local(2025, 10, 12, 9, 0).isoformat())

    # then nothing happened yet: it waits in Redis
    assert result.status == TaskResultStatus.READY
    assert EventStep.objects.filter(event=event, action=EventStep.WARNING).count() == 0

    # when a worker process runs the queue
    finished = _run_worker(queue)

    # then it ran the task against this database and stored its result in Redis
    assert finished.returncode == 0, finished.stderr
    stored = task_backends["default"].get_result(result.id)
    assert stored.status == TaskResultStatus.SUCCESSFUL, finished.stderr
    assert stored.return_value == {"yellow": 0, "red": 1}
    assert list(
        EventStep.objects.filter(event=event, action=EventStep.WARNING).values_list(
            "data__level", flat=True
        )
    ) == ["red"]


def test_the_worker_seals_the_audit_trail(users: Any, queue: str) -> None:
    # given an event reported while the queue is the backend: its audit entries are committed,
    # and the seal they asked for waits in Redis for a worker
    report()
    assert AuditEntry.objects.filter(seal_number__isnull=True).count() > 0
    result = seal_trail.using(queue_name=queue).enqueue()

    finished = _run_worker(queue)

    # then the worker chained every entry, and the trail verifies
    assert finished.returncode == 0, finished.stderr
    assert task_backends["default"].get_result(result.id).status == TaskResultStatus.SUCCESSFUL
    assert AuditEntry.objects.filter(seal_number__isnull=True).count() == 0
    report_ = audit_verify()
    assert report_.is_intact
    assert report_.unsealed_count == 0
