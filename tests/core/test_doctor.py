"""`jiedao doctor` reaches every configured service for real; `check --deploy` refuses a Redis
cache without the redis package."""

import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.checks import Error, run_checks
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import override_settings

from jiedao.audit.services import audit_anchor
from jiedao.core.doctor import check_audit_anchors, check_database

pytestmark = pytest.mark.django_db
REDIS = "redis://127.0.0.1:6379/6"
UNUSED_PORT = 1  # tcpmux: nothing listens there on a server
IMMEDIATE = (
    "tasks     ok           ImmediateBackend: tasks run in the process that enqueues them "
    "(no worker needed; run `jiedao mark-overdue` from cron)."
)


@pytest.fixture(autouse=True)
def anchors(settings: Any, tmp_path: Path) -> Path:
    settings.AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.jsonl"
    settings.AUDIT_ANCHOR_KEY = "doctor-test-key"
    return settings.AUDIT_ANCHOR_FILE


def no_anchors_line(path: Path) -> str:
    return (
        f"anchors   missing      none in {path} yet: run `jiedao audit anchor` every 10 minutes "
        "(cron)."
    )


def redis_cache(location: str) -> dict[str, Any]:
    return {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    }


def doctor() -> tuple[list[str], str]:
    output = StringIO()
    try:
        call_command("doctor", stdout=output, no_color=True)
    except CommandError as error:
        return output.getvalue().splitlines(), str(error)
    return output.getvalue().splitlines(), ""


def database_line() -> str:
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        where = f"{settings_dict['HOST']}:{settings_dict['PORT'] or 'default port'}, "
        return f"database  ok           postgresql ({where}database {settings_dict['NAME']}) answered a query"
    return f"database  ok           sqlite (database {settings_dict['NAME']}) answered a query"


@override_settings(CACHES=redis_cache(REDIS), MQTT_URL="mqtt://127.0.0.1:1883")
def test_doctor_reaches_the_database_redis_and_the_broker(anchors: Path) -> None:
    lines, failure = doctor()

    assert lines == [
        database_line(),
        "redis     ok           cache 'default' at redis://127.0.0.1:6379/6 answered PING",
        "mqtt      ok           broker 127.0.0.1:1883 accepted an MQTT connection",
        IMMEDIATE,
        no_anchors_line(anchors),
    ]
    assert failure == ""


@override_settings(
    CACHES=redis_cache(f"redis://127.0.0.1:{UNUSED_PORT}/6"),
    MQTT_URL=f"mqtt://127.0.0.1:{UNUSED_PORT}",
)
def test_doctor_names_each_unreachable_service_and_fails() -> None:
    lines, failure = doctor()

    assert lines[1] == (
        f"redis     unreachable  cache 'default' at redis://127.0.0.1:{UNUSED_PORT}/6: Error 111 "
        f"connecting to 127.0.0.1:{UNUSED_PORT}. Connection refused. Check REDIS_URL and that "
        "Redis is running."
    )
    assert lines[2] == (
        f"mqtt      unreachable  broker 127.0.0.1:{UNUSED_PORT}: [Errno 111] Connection refused. "
        "Check MQTT_URL and that the broker is running."
    )
    assert failure == "Not ready: redis, mqtt."


def test_doctor_says_what_is_not_configured_without_failing(anchors: Path) -> None:
    lines, failure = doctor()

    assert lines[1:] == [
        (
            "redis     missing      not configured: each process keeps its own cache, fine for "
            "one process. Several web workers need REDIS_URL=redis://host:6379/0."
        ),
        "mqtt      missing      not configured (MQTT_URL): no sensors are connected.",
        IMMEDIATE,
        no_anchors_line(anchors),
    ]
    assert failure == ""


def test_an_unreachable_database_is_named() -> None:
    settings_dict = dict(connection.settings_dict)
    if connection.vendor == "postgresql":
        settings_dict["PORT"] = UNUSED_PORT
    else:
        settings_dict["NAME"] = "/nonexistent/directory/jiedao.sqlite3"
    unreachable = type(connections["default"])(settings_dict, alias="doctor_probe")

    finding = check_database(unreachable)

    unreachable.close()
    assert (finding.service, finding.status, finding.is_failure) == (
        "database",
        "unreachable",
        True,
    )
    if connection.vendor == "postgresql":
        assert finding.detail.startswith(
            f"postgresql ({settings_dict['HOST']}:{UNUSED_PORT}, database {settings_dict['NAME']}): "
        )
    else:
        assert finding.detail == (
            "sqlite (database /nonexistent/directory/jiedao.sqlite3): unable to open database "
            "file. Check DATABASE_URL and that the server is running."
        )
    assert finding.detail.endswith("Check DATABASE_URL and that the server is running.")


@override_settings(CACHES=redis_cache(REDIS))
def test_check_deploy_fails_when_redis_is_configured_but_not_installed(monkeypatch: Any) -> None:
    # A None entry in sys.modules makes `import redis` raise ImportError, as when not installed.
    monkeypatch.setitem(sys.modules, "redis", None)

    errors = [
        message
        for message in run_checks(include_deployment_checks=True)
        if message.id == "jiedao.E001"
    ]

    assert errors == [
        Error(
            "The cache 'default' uses Redis (REDIS_URL is set) but the redis package is not "
            "installed.",
            hint="pip install 'redis==8.1.0' (a dependency of Jiedao: reinstall it), then run "
            "`jiedao doctor`.",
            id="jiedao.E001",
        )
    ]


@override_settings(CACHES=redis_cache(REDIS))
def test_check_deploy_passes_with_redis_installed() -> None:
    assert [m.id for m in run_checks(include_deployment_checks=True) if m.id == "jiedao.E001"] == []


def test_doctor_reports_the_anchors_and_a_key_that_does_not_sign_them(
    anchors: Path, settings: Any
) -> None:
    first = audit_anchor()
    assert check_audit_anchors().detail == f"1 in {anchors}, the last of {first.anchored_at}"

    # a worker started without the AUDIT_ANCHOR_KEY the others sign with
    settings.AUDIT_ANCHOR_KEY = "another key"
    lines, failure = doctor()

    assert lines[-1] == (
        f"anchors   unreachable  anchor 1 in {anchors}: its signature does not match (forged or "
        "edited, or a different key). Every process must have the same AUDIT_ANCHOR_KEY; then "
        "run `jiedao audit verify`."
    )
    assert failure == "Not ready: anchors."
