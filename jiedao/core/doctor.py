"""The deployment self-check behind ``jiedao doctor``: every service the settings name, reached
for real, with what to do when it is not there.

Each probe answers one :class:`Finding`: ``ok``, ``missing`` (not configured, or its client
library is not installed) or ``unreachable`` (configured, installed, but it did not answer). The
system check in :mod:`jiedao.core.checks` covers the part that needs no network (an installed
client library), so ``check --deploy`` stops a deployment that would answer 500 on every report.
"""

import importlib
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.core.management import get_commands
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper

REDIS_CACHE_BACKEND = "django.core.cache.backends.redis.RedisCache"
REDIS_PACKAGE_PIN = "redis==8.1.0"
TIMEOUT_SECONDS = 3.0
OK, MISSING, UNREACHABLE = "ok", "missing", "unreachable"
# What each known queue backend needs: its package and the command that runs its worker.
QUEUE_BACKENDS = {
    "django_tasks_db.DatabaseBackend": ("django_tasks_db", "db_worker"),
    "django_tasks.backends.database.DatabaseBackend": (
        "django_tasks.backends.database",
        "db_worker",
    ),
    "django_tasks_rq.RQBackend": ("django_rq", "worker"),
}
# Backends that run a task in the process that enqueues it (or not at all): no worker to find.
IN_PROCESS_BACKENDS = {
    "django_tasks.backends.immediate.ImmediateBackend",
    "django_tasks.backends.dummy.DummyBackend",
}


@dataclass(frozen=True)
class Finding:
    service: str
    status: str
    detail: str
    # A configured service that does not work: the deployment is broken.
    is_failure: bool = False


def redis_package_missing() -> bool:
    try:
        importlib.import_module("redis")
    except ImportError:
        return True
    return False


def redis_cache_aliases() -> list[str]:
    return [
        alias
        for alias, options in settings.CACHES.items()
        if options.get("BACKEND") == REDIS_CACHE_BACKEND
    ]


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    user = f"{parts.username}:***@" if parts.username else ":***@"
    port = f":{parts.port}" if parts.port else ""
    return parts._replace(netloc=f"{user}{host}{port}").geturl()


def _sentence(error: BaseException) -> str:
    """An exception's text as one sentence (drivers end theirs with a full stop or not)."""
    return " ".join(str(error).split()).rstrip(".") + "."


def check_database(connection: BaseDatabaseWrapper | None = None) -> Finding:
    connection = connection or connections["default"]
    where = connection.settings_dict.get("HOST") or ""
    if where:
        where = f"{where}:{connection.settings_dict.get('PORT') or 'default port'}, "
    described = f"{connection.vendor} ({where}database {connection.settings_dict.get('NAME')})"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return Finding(
            "database",
            UNREACHABLE,
            f"{described}: {_sentence(error)} Check DATABASE_URL and that the server is running.",
            is_failure=True,
        )
    return Finding("database", OK, f"{described} answered a query")


def check_redis() -> list[Finding]:
    aliases = redis_cache_aliases()
    if not aliases:
        return [
            Finding(
                "redis",
                MISSING,
                "not configured: each process keeps its own cache, fine for one process. "
                "Several web workers need REDIS_URL=redis://host:6379/0.",
            )
        ]
    if redis_package_missing():
        return [
            Finding(
                "redis",
                MISSING,
                f"REDIS_URL is set but the redis package is not installed: "
                f"pip install '{REDIS_PACKAGE_PIN}' (or reinstall Jiedao).",
                is_failure=True,
            )
        ]
    from redis.exceptions import RedisError

    findings = []
    for alias in aliases:
        location = _without_password(str(settings.CACHES[alias]["LOCATION"]))
        try:
            # The cache's own client, so the check goes through the pool the requests use.
            client = caches[alias]._cache.get_client(write=True)  # type: ignore[attr-defined]
            client.ping()
        except (RedisError, OSError) as error:
            findings.append(
                Finding(
                    "redis",
                    UNREACHABLE,
                    f"cache '{alias}' at {location}: {_sentence(error)} Check REDIS_URL and that Redis "
                    "is running.",
                    is_failure=True,
                )
            )
            continue
        findings.append(Finding("redis", OK, f"cache '{alias}' at {location} answered PING"))
    return findings


# MQTT 3.1.1 CONNECT with an empty client id and a clean session, then the CONNACK it answers.
MQTT_CONNECT = bytes([0x10, 12, 0, 4, *b"MQTT", 4, 0x02, 0, 60, 0, 0])
MQTT_DISCONNECT = bytes([0xE0, 0])


def check_mqtt() -> Finding:
    url = str(getattr(settings, "MQTT_URL", "") or "")
    if not url:
        return Finding("mqtt", MISSING, "not configured (MQTT_URL): no sensors are connected.")
    parts = urlsplit(url)
    host, port = parts.hostname or "localhost", parts.port or 1883
    where = f"broker {host}:{port}"
    try:
        with socket.create_connection((host, port), timeout=TIMEOUT_SECONDS) as sock:
            sock.sendall(MQTT_CONNECT)
            answer = sock.recv(4)
            sock.sendall(MQTT_DISCONNECT)
    except OSError as error:
        return Finding(
            "mqtt",
            UNREACHABLE,
            f"{where}: {_sentence(error)} Check MQTT_URL and that the broker is running.",
            is_failure=True,
        )
    if len(answer) < 4 or answer[0] != 0x20:
        return Finding(
            "mqtt",
            UNREACHABLE,
            f"{where} accepted a connection but did not answer as an MQTT broker.",
            is_failure=True,
        )
    if answer[3] != 0:
        # The broker is there; it wants credentials this anonymous probe does not send.
        return Finding("mqtt", OK, f"{where} answered (refused an anonymous client: {answer[3]})")
    return Finding("mqtt", OK, f"{where} accepted an MQTT connection")


def check_tasks() -> Finding:
    options: dict[str, Any] = settings.TASKS.get("default", {})
    backend = str(options.get("BACKEND", ""))
    if backend in IN_PROCESS_BACKENDS:
        return Finding(
            "tasks",
            OK,
            f"{backend.rsplit('.', 1)[-1]}: tasks run in the process that enqueues them "
            "(no worker needed; run `jiedao mark-overdue` from cron).",
        )
    package, worker_command = QUEUE_BACKENDS.get(backend, (backend.rsplit(".", 1)[0], ""))
    try:
        importlib.import_module(package)
    except ImportError:
        return Finding(
            "tasks",
            MISSING,
            f"TASKS backend {backend}: its package {package} is not installed.",
            is_failure=True,
        )
    if worker_command and worker_command not in get_commands():
        return Finding(
            "tasks",
            MISSING,
            f"TASKS backend {backend}: no `{worker_command}` command; add its app to "
            "INSTALLED_APPS.",
            is_failure=True,
        )
    run = f"a worker must run `jiedao {worker_command}`" if worker_command else "a worker must run"
    return Finding("tasks", OK, f"{backend}: queued; {run} (this check cannot see it).")


def check_audit_anchors() -> Finding:
    from jiedao.audit.anchors import AnchorFileError, anchor_file, read_anchors

    path = anchor_file()
    try:
        anchors = read_anchors()
    except AnchorFileError as error:
        # Most often a worker without the AUDIT_ANCHOR_KEY the others sign with.
        return Finding(
            "anchors",
            UNREACHABLE,
            f"{error}. Every process must have the same AUDIT_ANCHOR_KEY; then run "
            "`jiedao audit verify`.",
            is_failure=True,
        )
    except OSError as error:
        return Finding("anchors", UNREACHABLE, f"{path}: {_sentence(error)}", is_failure=True)
    if not anchors:
        return Finding(
            "anchors",
            MISSING,
            f"none in {path} yet: run `jiedao audit anchor` every 10 minutes (cron).",
        )
    last = anchors[-1]
    return Finding("anchors", OK, f"{len(anchors)} in {path}, the last of {last.anchored_at}")


def doctor_findings() -> list[Finding]:
    """Every configured service, probed once."""
    return [check_database(), *check_redis(), check_mqtt(), check_tasks(), check_audit_anchors()]
