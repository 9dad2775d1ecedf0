"""The real Mosquitto broker for the sensors' tests: reachable, or a skip — and in CI (CI=true)
a failure, since a test that needs a service must never pass by skipping there."""

import os
import socket
import time
import uuid
from collections.abc import Iterator, Sequence

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from jiedao.sensors.listener import broker_address


def broker_or_fail() -> tuple[str, int]:
    host, port = broker_address(os.environ.get("MQTT_URL") or None)
    try:
        with socket.create_connection((host, port), timeout=2):
            return host, port
    except OSError as error:
        message = f"the MQTT broker at {host}:{port} is unreachable ({error})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI: {message}; it is required")
        pytest.skip(f"{message}: the broker tests are SKIPPED (they are required in CI)")


@pytest.fixture
def broker() -> tuple[str, int]:
    return broker_or_fail()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def publisher(broker: tuple[str, int]) -> Iterator[mqtt.Client]:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=unique("test-publisher"))
    client.connect(*broker)
    client.loop_start()
    yield client
    client.loop_stop()
    client.disconnect()


def publish_all(
    client: mqtt.Client, messages: Sequence[tuple[str, bytes]], pause: float = 0
) -> None:
    infos = []
    for topic, payload in messages:
        infos.append(client.publish(topic, payload, qos=1))
        if pause:
            time.sleep(pause)
    for info in infos:
        info.wait_for_publish(timeout=10)


def session_forget(broker: tuple[str, int], client_id: str) -> None:
    """End a test listener's persistent session on the broker (a clean start, then leave)."""
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    client.connect(*broker, clean_start=True)
    client.disconnect()
