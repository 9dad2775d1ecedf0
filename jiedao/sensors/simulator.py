"""``jiedao sensors simulate``: realistic traffic for the devices, published to the broker.

Alarms start, repeat while they last (``repeat_share`` of the messages), and recover; a few
messages are malformed or name a device that does not exist, as a real field of devices sends.
The generator is seeded, so that a run can be repeated exactly."""

import json
import random
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from .listener import broker_address

MALFORMED_SHARE = 0.01
UNKNOWN_DEVICE_SHARE = 0.005


@dataclass
class Traffic:
    published: int = 0
    raised: int = 0
    repeats: int = 0
    cleared: int = 0
    malformed: int = 0
    unknown: int = 0
    alarms: set[tuple[str, str, str]] = field(default_factory=set)


def topic_for(subdistrict: str, device: str) -> str:
    return f"jiedao/{subdistrict}/devices/{device}/alarms"


def body(message_id: str, alarm_type: str, state: str, value: float | None = None) -> bytes:
    content: dict[str, object] = {
        "id": message_id,
        "type": alarm_type,
        "state": state,
        "ts": datetime.now(UTC).isoformat(),
    }
    if value is not None:
        content["value"] = value
    return json.dumps(content).encode()


class Generator:
    """The next message of the traffic, one at a time."""

    def __init__(
        self, devices: Sequence[tuple[str, str, list[str]]], *, repeat_share: float, seed: int
    ) -> None:
        self.pairs = [
            (subdistrict, device, alarm_type)
            for subdistrict, device, types in devices
            for alarm_type in types
        ]
        if not self.pairs:
            raise ValueError("no devices with alarm types to simulate")
        self.repeat_share = repeat_share
        self.random = random.Random(seed)  # noqa: S311 - traffic, not secrets
        self.run = uuid.UUID(int=self.random.getrandbits(128)).hex[:8]
        self.number = 0
        self.active: list[tuple[str, str, str]] = []
        self.traffic = Traffic()

    def next(self) -> tuple[str, bytes]:
        self.number += 1
        message_id = f"sim-{self.run}-{self.number}"
        draw = self.random.random()
        traffic = self.traffic
        subdistrict = self.pairs[0][0]
        if draw < MALFORMED_SHARE:
            traffic.malformed += 1
            device = self.random.choice(self.pairs)[1]
            return topic_for(subdistrict, device), b'{"id": "' + message_id.encode() + b'", "state"'
        if draw < MALFORMED_SHARE + UNKNOWN_DEVICE_SHARE:
            traffic.unknown += 1
            return topic_for(subdistrict, "UNKNOWN-0000"), body(message_id, "smoke", "active")
        if self.active and self.random.random() < self.repeat_share:
            traffic.repeats += 1
            pair = self.random.choice(self.active)
            value = round(self.random.uniform(0, 100), 1)
            return topic_for(pair[0], pair[1]), body(message_id, pair[2], "active", value)
        idle = [pair for pair in self.pairs if pair not in self.active]
        # Recover about as often as alarms start, so that the field neither fills nor empties.
        if self.active and (not idle or self.random.random() < 0.5):
            pair = self.active.pop(self.random.randrange(len(self.active)))
            traffic.cleared += 1
            return topic_for(pair[0], pair[1]), body(message_id, pair[2], "cleared")
        pair = self.random.choice(idle)
        self.active.append(pair)
        traffic.raised += 1
        traffic.alarms.add(pair)
        return topic_for(pair[0], pair[1]), body(message_id, pair[2], "active")


def publisher(url: str | None = None, client_id: str = "") -> mqtt.Client:
    host, port = broker_address(url)
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id)
    client.max_queued_messages_set(0)
    client.max_inflight_messages_set(1000)
    client.connect(host, port)
    client.loop_start()
    return client


def simulate(
    *,
    devices: Sequence[tuple[str, str, list[str]]],
    rate: float,
    duration: float,
    repeat_share: float = 0.7,
    seed: int = 1,
    url: str | None = None,
) -> Traffic:
    """Publish ``rate`` messages a second for ``duration`` seconds (QoS 1), then wait until
    the broker has acknowledged them all."""
    generator = Generator(devices, repeat_share=repeat_share, seed=seed)
    client = publisher(url)
    total = int(rate * duration)
    started = time.monotonic()
    infos = []
    try:
        for number in range(total):
            due = started + number / rate
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            topic, payload = generator.next()
            infos.append(client.publish(topic, payload, qos=1))
            generator.traffic.published += 1
        for info in infos:
            info.wait_for_publish(timeout=30)
    finally:
        client.loop_stop()
        client.disconnect()
    return generator.traffic
