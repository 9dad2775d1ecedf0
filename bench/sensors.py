"""Sensors: messages per second from the MQTT broker to committed, deduplicated alarms (the
listener of ``jiedao sensors listen``), beside a bare paho subscriber that only counts the same
messages, in the same run; and the latency from publishing an alarm to its event.

The traffic is the simulator's (:mod:`jiedao.sensors.simulator`) at 70 % repeats over
``DEVICES`` devices, generated beforehand and published as fast as the broker takes it by a
separate process (so the publisher does not share this process's interpreter with the consumer
measured). Each consumer is measured from its first message to its last one counted — for the
listener, to the commit of the batch that holds it — with a fresh persistent session subscribed
before the publisher starts. On the live stream both consumers can go no faster than the
publisher, so the listener's own capacity is measured too, on a second burst already delivered
to its inbox before the clock starts.

A batch commits alarms only; their events and recoveries follow in the listener's follow-up
stage. The table says how long after the storm's last message they were all made, and, on a
quiet broker, the latency from publishing a new alarm to its event.
"""

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from .runner import Result, median, percentile

MESSAGES = int(os.environ.get("BENCH_SENSORS_MESSAGES", "5000"))
DEVICES = 300
REPEAT_SHARE = 0.7
LATENCY_SAMPLES = 30
TOPIC_FILTER = "jiedao/330109012/devices/+/alarms"
ROOT = Path(__file__).resolve().parent.parent

PUBLISHER = """
import json, sys
import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="")
client.max_inflight_messages_set(1000)
client.max_queued_messages_set(0)
client.connect(host, port)
client.loop_start()
infos = []
with open(path) as lines:
    for line in lines:
        topic, payload = json.loads(line)
        infos.append(client.publish(topic, payload.encode(), qos=1))
for info in infos:
    info.wait_for_publish(timeout=120)
client.disconnect()
client.loop_stop()
"""


def _world() -> list[tuple[str, str, list[str]]]:
    from django.test import override_settings

    from jiedao.accounts.permissions import SYSTEM
    from jiedao.demo.services import demo_load
    from jiedao.geo.geometry import parse_boundary
    from jiedao.geo.models import Grid, Subdistrict
    from jiedao.sensors.selectors import device_alarm_codes
    from jiedao.sensors.services import DeviceInput, device_create

    with override_settings(DEMO_EVENTS=False, DEMO_SENSORS=True):
        demo_load()
    subdistrict = Subdistrict.objects.get(code="330109012")
    grids = list(Grid.objects.order_by("code"))
    kinds = ["charging-pile", "smoke-detector", "water-probe", "manhole-sensor"]
    departments = {"water-probe": "agriculture", "manhole-sensor": "city-management"}
    for number in range(DEVICES):
        point = parse_boundary(grids[number % len(grids)].boundary).representative_point()
        kind = kinds[number % len(kinds)]
        device_create(
            actor=SYSTEM,
            subdistrict=subdistrict,
            item=DeviceInput(
                code=f"BENCH-{number:04d}",
                name=f"压测设备{number}",
                kind=kind,
                lat=point.y,
                lng=point.x,
                department=departments.get(kind, "safety"),
            ),
        )
    return [row for row in device_alarm_codes("330109012") if row[1].startswith("BENCH-")]


def _traffic(devices: list[tuple[str, str, list[str]]], path: Path, seed: int = 7) -> int:
    from jiedao.sensors.simulator import Generator

    generator = Generator(devices, repeat_share=REPEAT_SHARE, seed=seed)
    with path.open("w") as out:
        for _ in range(MESSAGES):
            topic, payload = generator.next()
            out.write(json.dumps([topic, payload.decode()]) + "\n")
    return generator.traffic.raised


def _publish(path: Path) -> subprocess.Popen[bytes]:
    from jiedao.sensors.listener import broker_address

    host, port = broker_address()
    return subprocess.Popen(  # noqa: S603 - our own script
        [sys.executable, "-c", PUBLISHER, host, str(port), str(path)], cwd=ROOT
    )


def _bare(path: Path) -> float:
    """Messages/s of a paho subscriber that only counts them (auto acknowledgement)."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    from jiedao.sensors.listener import broker_address

    times: list[float] = []
    done = threading.Event()
    subscribed = threading.Event()
    client = mqtt.Client(
        CallbackAPIVersion.VERSION2,
        client_id=f"bench-bare-{uuid.uuid4().hex[:8]}",
        protocol=mqtt.MQTTv5,
    )

    def on_message(client: Any, userdata: Any, message: Any) -> None:
        times.append(time.perf_counter())
        if len(times) >= MESSAGES:
            done.set()

    client.on_message = on_message
    client.on_subscribe = lambda *args: subscribed.set()
    client.on_connect = lambda c, *args: c.subscribe(TOPIC_FILTER, qos=1)
    properties = Properties(PacketTypes.CONNECT)
    properties.ReceiveMaximum = 65535
    client.connect(*broker_address(), clean_start=True, properties=properties)
    client.loop_start()
    assert subscribed.wait(10)
    publisher = _publish(path)
    done.wait(300)
    publisher.wait(300)
    client.disconnect()
    client.loop_stop()
    if len(times) < MESSAGES:
        raise RuntimeError(f"the bare subscriber received {len(times)} of {MESSAGES}")
    return (MESSAGES - 1) / (times[-1] - times[0])


def _follow_up_left() -> int:
    """Alarms whose event or recovery the follow-up stage still owes."""
    from django.db.models import Q
    from django.utils import timezone

    from jiedao.sensors.models import Alarm

    return Alarm.objects.filter(
        Q(event_due_at__lte=timezone.now()) | Q(recovery_pending=True)
    ).count()


def _listener(path: Path) -> tuple[float, float, dict[str, int]]:
    """The listener on the live stream: messages/s from its first message to the commit of the
    batch holding the last one; then the seconds until the follow-up stage has made every event
    and recovery the storm asked for (the listener keeps running meanwhile)."""
    from jiedao.sensors.listener import Listener, ListenerStats
    from jiedao.sensors.models import Alarm, Message

    finished: list[float] = []
    started: list[float] = []
    stop = threading.Event()

    def on_batch(stats: ListenerStats) -> None:
        if not started:
            started.append(time.perf_counter())
        if stats.messages >= MESSAGES and not finished:
            finished.append(time.perf_counter())

    client_id = f"bench-listener-{uuid.uuid4().hex[:8]}"
    listener = Listener(
        client_id=client_id, topic=TOPIC_FILTER, on_batch=on_batch, session_expiry=60
    )
    listener.start()
    assert listener.subscribed.wait(10)
    publisher = _publish(path)
    first_arrival = time.perf_counter()
    runner = threading.Thread(target=listener.run, kwargs={"stop": stop}, daemon=True)
    runner.start()
    # The clock starts with the first message in the listener's inbox.
    while listener.inbox.empty() and not started and time.perf_counter() - first_arrival < 30:
        time.sleep(0.001)
    first_arrival = time.perf_counter()
    deadline = time.perf_counter() + 600
    while not finished and runner.is_alive() and time.perf_counter() < deadline:
        time.sleep(0.005)
    while finished and _follow_up_left() and time.perf_counter() < deadline:
        time.sleep(0.05)
    followed_up = time.perf_counter()
    stop.set()
    runner.join(60)
    publisher.wait(300)
    if not finished:
        raise RuntimeError(f"the listener took {listener.stats.messages} of {MESSAGES} messages")
    bench_alarms = Alarm.objects.filter(device__code__startswith="BENCH-")
    counts = {
        "alarms": bench_alarms.count(),
        "events": bench_alarms.filter(event__isnull=False).count(),
        "messages": Message.objects.filter(device__code__startswith="BENCH-").count(),
        "dead": listener.stats.dead_letters,
        "left": _follow_up_left(),
    }
    return MESSAGES / (finished[0] - first_arrival), followed_up - finished[0], counts


def _burst(path: Path) -> float:
    """The listener's own capacity: messages/s from a burst already delivered to its inbox (the
    broker and the publisher out of the clock) to the commit of the batch holding the last."""
    from jiedao.sensors.listener import Listener, ListenerStats

    finished: list[float] = []
    stop = threading.Event()

    def on_batch(stats: ListenerStats) -> None:
        if stats.messages >= MESSAGES and not finished:
            finished.append(time.perf_counter())
            stop.set()

    listener = Listener(
        client_id=f"bench-burst-{uuid.uuid4().hex[:8]}",
        topic=TOPIC_FILTER,
        on_batch=on_batch,
        session_expiry=60,
    )
    listener.start()
    assert listener.subscribed.wait(10)
    _publish(path).wait(300)
    deadline = time.perf_counter() + 120
    while listener.inbox.qsize() < MESSAGES and time.perf_counter() < deadline:
        time.sleep(0.01)
    began = time.perf_counter()
    listener.run(stop=stop)
    if not finished:
        raise RuntimeError(f"the burst: the listener took {listener.stats.messages} of {MESSAGES}")
    return MESSAGES / (finished[0] - began)


def _latency(devices: list[tuple[str, str, list[str]]]) -> list[float]:
    """Publish → the alarm's event committed, one fresh alarm at a time, listener running."""
    from jiedao.sensors.listener import Listener
    from jiedao.sensors.models import Alarm
    from jiedao.sensors.simulator import body, publisher, topic_for

    listener = Listener(
        client_id=f"bench-latency-{uuid.uuid4().hex[:8]}",
        topic=TOPIC_FILTER,
        batch_ms=20,
        session_expiry=60,
    )
    stop = threading.Event()
    runner = threading.Thread(target=listener.run, kwargs={"stop": stop}, daemon=True)
    runner.start()
    assert listener.subscribed.wait(10)
    client = publisher()
    latencies = []
    for number in range(LATENCY_SAMPLES):
        subdistrict, device, types = devices[number]
        message_id = f"latency-{uuid.uuid4().hex}"
        sent = time.perf_counter()
        client.publish(topic_for(subdistrict, device), body(message_id, types[0], "cleared"), qos=1)
        client.publish(
            topic_for(subdistrict, device), body(message_id + "-a", types[0], "active"), qos=1
        )
        while time.perf_counter() - sent < 10:
            if Alarm.objects.filter(
                messages__message_id=message_id + "-a", event__isnull=False
            ).exists():
                latencies.append((time.perf_counter() - sent) * 1000)
                break
            time.sleep(0.002)
    stop.set()
    runner.join(30)
    client.disconnect()
    return latencies


def run() -> list[Result]:
    devices = _world()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "traffic.jsonl"
        raised = _traffic(devices, path)
        bare = _bare(path)
        achieved, storm_follow_up, counts = _listener(path)
        # On a quiet broker with nothing owed (the storm's follow-up done), before the burst.
        latencies = _latency(devices)
        burst_path = Path(folder) / "burst.jsonl"
        _traffic(devices, burst_path, seed=8)
        burst = _burst(burst_path)
    ratio_ok = achieved >= 0.30 * bare
    exact = counts["messages"] + counts["dead"] == MESSAGES and counts["alarms"] == raised
    return [
        Result(
            f"MQTT → committed deduplicated alarms, {MESSAGES} messages at "
            f"{REPEAT_SHARE:.0%} repeats, live ({counts['alarms']} alarms)",
            achieved,
            "msg/s",
            "bare paho subscriber counting the same messages",
            bare,
            "≥ 30% of reference",
            ratio_ok and exact,
        ),
        Result(
            "MQTT → committed alarms: live, absolute (bounded by the publisher)",
            achieved,
            "msg/s",
            target="≥ 5000 msg/s",
            passed=achieved >= 5000,
        ),
        Result(
            f"MQTT → committed alarms: a burst of {MESSAGES} already delivered (capacity)",
            burst,
            "msg/s",
            target="≥ 5000 msg/s",
            passed=burst >= 5000,
        ),
        Result(
            f"storm: last message committed → its {counts['events']} events and recoveries made",
            storm_follow_up,
            "s",
            target="none left",
            passed=counts["left"] == 0,
        ),
        Result("publish → event committed: latency p50", median(latencies), "ms", passed=None),
        Result(
            "publish → event committed: latency p95",
            percentile(latencies, 0.95),
            "ms",
            target=f"all {LATENCY_SAMPLES} events",
            passed=len(latencies) == LATENCY_SAMPLES,
        ),
    ]
