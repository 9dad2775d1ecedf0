"""The listener against the real broker, in this process: what devices publish becomes alarms
and events, once; bad messages become dead letters and the listener carries on."""

import threading
import time
from typing import Any

import pytest

from jiedao.events.models import Event
from jiedao.sensors.listener import Listener
from jiedao.sensors.models import Alarm, DeadLetter, Message

from .broker import publish_all, session_forget, unique
from .helpers import payload, probes_create, topic

pytestmark = pytest.mark.django_db(transaction=True)

TEST_TOPIC = "jiedao/330109012/devices/+/alarms"


@pytest.fixture
def running(broker: tuple[str, int]) -> Any:
    from .conftest import full_demo

    full_demo()
    client_id = unique("test-listener")
    listener = Listener(
        url=f"mqtt://{broker[0]}:{broker[1]}",
        client_id=client_id,
        topic=TEST_TOPIC,
        batch_size=50,
        batch_ms=50,
        session_expiry=60,
    )
    listener.start()
    assert listener.subscribed.wait(10), "the listener did not subscribe"
    yield listener
    listener.stop()
    session_forget(broker, client_id)


def drain(listener: Listener, until: Any) -> None:
    """Run the listener's loop in this thread (one database connection: SQLite's in-memory test
    database does not share its tables between threads) until ``until()`` holds."""
    stop = threading.Event()
    deadline = time.monotonic() + 30

    def check(_stats: Any) -> None:
        if until() or time.monotonic() > deadline:
            stop.set()

    listener.on_batch = check
    listener.on_follow_up = check
    listener.run(stop=stop, keep_running=True)
    assert until(), "the messages did not arrive"


def test_ten_alarms_of_five_messages_make_ten_alarms_and_ten_events(
    running: Listener, publisher: Any
) -> None:
    # 50 messages for 10 distinct alarms (5 each), interleaved → exactly 10 alarms, 10 events.
    devices = probes_create(10)
    events_before = Event.objects.filter(source="sensor").count()
    messages = [
        (topic(device), payload(f"b-{device}-{n}", "leak")) for n in range(5) for device in devices
    ]
    publish_all(publisher, messages)
    alarms = Alarm.objects.filter(device__code__in=devices)
    # Each batch commits its alarms; the listener's follow-up makes their events right after.
    drain(
        running,
        lambda: (
            Message.objects.filter(message_id__startswith="b-").count() == 50
            and alarms.count() == 10
            and not alarms.filter(event__isnull=True).exists()
        ),
    )
    assert sorted(alarms.values_list("device__code", "count", "state")) == [
        (device, 5, "active") for device in devices
    ]
    assert Event.objects.filter(source="sensor").count() == events_before + 10
    assert alarms.filter(event__isnull=True).count() == 0

    # the same 50 messages again (a redelivery): nothing changes
    publish_all(publisher, messages)
    publish_all(publisher, [(topic(devices[0]), payload("b-marker", "leak", "cleared"))])
    drain(
        running,
        lambda: (
            Message.objects.filter(message_id="b-marker").exists()
            and not alarms.filter(recovery_pending=True).exists()
        ),
    )
    assert sorted(alarms.values_list("count", flat=True)) == [5] * 10
    assert Event.objects.filter(source="sensor").count() == events_before + 10

    # the recovery closes the first device's event (its type says so)
    first = alarms.get(device__code=devices[0])
    assert first.state == "cleared"
    assert Event.objects.get(pk=first.event_id).status == "closed"


def test_bad_messages_are_dead_letters_and_the_listener_carries_on(
    running: Listener, publisher: Any
) -> None:
    devices = probes_create(1)
    publish_all(
        publisher,
        [
            (topic(devices[0]), b"not json at all"),
            (topic("NO-SUCH-DEVICE"), payload("c-unknown", "leak")),
            (topic(devices[0]), payload("c-bad-state", "leak", "exploded")),
            (topic(devices[0]), payload("c-good", "leak")),
        ],
    )
    drain(running, lambda: Message.objects.filter(message_id="c-good").exists())
    assert sorted(DeadLetter.objects.values_list("reason", flat=True)) == [
        "bad_payload",
        "not_json",
        "unknown_device",
    ]
    assert Alarm.objects.get(device__code=devices[0]).count == 1
    assert running.stats.dead_letters == 3
