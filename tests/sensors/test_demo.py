"""The demo's sensors, loaded through the listener's own service."""

from typing import Any

from jiedao.events.models import Event
from jiedao.sensors.models import Alarm, DeadLetter, Device, Message
from jiedao.sensors.workflow import AlarmState


def test_demo_devices_alarms_and_events(wenyan_demo: Any) -> None:
    assert Device.objects.count() == 12
    states = sorted(Alarm.objects.values_list("device__code", "state", "count"))
    assert states == [
        ("WY-CAM-001", "active", 10),
        ("WY-CAM-002", "cleared", 1),
        ("WY-EV-001", "cleared", 4),
        ("WY-EV-002", "active", 7),
        ("WY-FL-001", "active", 13),
        ("WY-MH-001", "active", 5),
        ("WY-SM-001", "active", 3),
        ("WY-WQ-001", "cleared", 6),
    ]
    sensor_events = Event.objects.filter(source="sensor")
    assert sensor_events.count() == 7
    assert sorted(sensor_events.values_list("status", flat=True)) == [
        "closed",
        "closed",
        "reported",
        "reported",
        "reported",
        "reported",
        "reported",
    ]
    # The parking alarm that cleared within its two minutes never became an event.
    assert Alarm.objects.get(device__code="WY-CAM-002").event_id is None
    assert Message.objects.count() == 56
    assert DeadLetter.objects.count() == 0
    assert Alarm.objects.filter(state=AlarmState.ACTIVE, event__isnull=True).count() == 0
