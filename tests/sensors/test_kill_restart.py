"""Kill the listener with SIGKILL in the middle of a stream and start it again: the broker
redelivers what was not acknowledged, and the counts come out exact — no alarm lost, none
duplicated. The listener runs as its own process on the test database, which therefore must be
one a second process can open: PostgreSQL (SQLite's test database lives in this process)."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from jiedao.events.models import Event
from jiedao.sensors.models import Alarm, Message

from .broker import publish_all, session_forget, unique
from .conftest import full_demo
from .helpers import payload, probes_create, topic

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the listener process needs a database it can open: PostgreSQL",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
DEVICES = 8
ROUNDS = 5
REPEATS = 4  # active messages per alarm, then one "cleared"


def database_url() -> str:
    settings = connection.settings_dict
    user = settings["USER"] or "root"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


class ListenerProcess:
    def __init__(self, client_id: str, *extra: str, started: list["ListenerProcess"]) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": os.environ.get(
                "DJANGO_SETTINGS_MODULE", "jiedao.config.settings.test"
            ),
        }
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.process = subprocess.Popen(  # noqa: S603 - our own command
            [
                sys.executable,
                "-m",
                "jiedao.cli",
                "sensors",
                "listen",
                "--client-id",
                client_id,
                "--topic",
                "jiedao/330109012/devices/+/alarms",
                "--batch-size",
                "10",
                "--batch-ms",
                "20",
                "--session-expiry",
                "300",
                *extra,
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append(self)
        threading.Thread(target=self._read, daemon=True).start()
        assert self.ready.wait(60), "the listener did not subscribe:\n" + "".join(self.lines)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if line.startswith("Subscribed."):
                self.ready.set()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)


def count(prefix: str) -> int:
    return Message.objects.filter(message_id__startswith=prefix).count()


def test_killed_mid_stream_and_restarted_it_loses_nothing_and_duplicates_nothing(
    broker: tuple[str, int], publisher: Any
) -> None:
    full_demo()
    devices = probes_create(DEVICES, on_clear="close")
    events_before = Event.objects.filter(source="sensor").count()
    start = timezone.now() - timedelta(minutes=10)
    messages = []
    for round_number in range(ROUNDS):
        for repeat in range(REPEATS + 1):
            for device in devices:
                state = "cleared" if repeat == REPEATS else "active"
                at = start + timedelta(milliseconds=len(messages))
                message_id = f"k-{device}-{round_number}-{repeat}"
                messages.append((topic(device), payload(message_id, "leak", state, at=at)))
    total = len(messages)
    client_id = unique("test-kill")
    started: list[ListenerProcess] = []
    try:
        first = ListenerProcess(client_id, started=started)
        half = total // 2
        publish_all(publisher, messages[:half], pause=0.002)
        deadline = time.monotonic() + 60
        while count("k-") < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        first.kill()
        taken_before_kill = count("k-")
        assert 0 < taken_before_kill < total, "the kill was not mid-stream"

        # the rest arrives while no listener runs: the broker keeps it for the session
        publish_all(publisher, messages[half:])
        second = ListenerProcess(client_id, "--idle-exit", "3", started=started)
        second.process.wait(180)
        assert second.process.returncode == 0, "".join(second.lines)
    finally:
        # A failed test leaves no listener behind, holding the test database.
        for process in started:
            if process.process.poll() is None:
                process.kill()
        session_forget(broker, client_id)

    assert count("k-") == total
    alarms = Alarm.objects.filter(device__code__in=devices)
    assert alarms.count() == DEVICES * ROUNDS
    assert sorted(set(alarms.values_list("state", "count"))) == [("cleared", REPEATS)]
    assert Event.objects.filter(source="sensor").count() == events_before + DEVICES * ROUNDS
    closed = Event.objects.filter(sensor_alarm__device__code__in=devices, status="closed")
    assert closed.count() == DEVICES * ROUNDS
