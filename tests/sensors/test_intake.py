"""The listener's batches: repeats, redelivery, recovery, hysteresis and bad input."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from jiedao.events.models import Event, EventStep
from jiedao.sensors.models import Alarm, DeadLetter, Device, Message
from jiedao.sensors.services import RawMessage, alarms_follow_up, messages_ingest

from .helpers import message, topic

pytestmark = pytest.mark.usefixtures("wenyan_demo")


def _alarms(device: str) -> list[tuple[str, int, bool]]:
    return [
        (alarm.state, alarm.count, alarm.event_id is not None)
        for alarm in Alarm.objects.filter(device__code=device).order_by("id")
    ]


def follow_up(**kwargs: Any) -> tuple[int, int]:
    done = alarms_follow_up(**kwargs)
    return done.events_created, done.recoveries


def test_repeats_raise_the_count_and_create_nothing_new() -> None:
    events_before = Event.objects.count()
    result = messages_ingest(
        messages=[message(f"t-rep-{n}", "WY-SM-002", "smoke") for n in range(5)]
    )
    assert (result.new, result.alarms_raised) == (5, 1)
    # The batch commits the alarm; its event is the follow-up stage's.
    assert _alarms("WY-SM-002") == [("active", 5, False)]
    assert follow_up() == (1, 0)
    assert _alarms("WY-SM-002") == [("active", 5, True)]
    more = messages_ingest(messages=[message("t-rep-5", "WY-SM-002", "smoke")])
    assert (more.new, more.alarms_raised) == (1, 0)
    assert follow_up() == (0, 0)
    assert _alarms("WY-SM-002") == [("active", 6, True)]
    assert Event.objects.count() == events_before + 1
    event = Alarm.objects.get(device__code="WY-SM-002").event
    assert event is not None
    assert (event.source, event.urgency, event.category.code) == ("sensor", "critical", "E0802")
    assert "WY-SM-002" in event.description
    assert Device.objects.get(code="WY-SM-002").last_seen_at is not None


def test_a_redelivered_message_changes_nothing() -> None:
    first = message("t-redeliver-1", "WY-SM-002", "smoke")
    messages_ingest(messages=[first])
    again = messages_ingest(messages=[first, first])
    assert (again.new, again.duplicates) == (0, 2)
    assert follow_up() == (1, 0)
    assert _alarms("WY-SM-002") == [("active", 1, True)]
    assert Message.objects.filter(message_id="t-redeliver-1").count() == 1


def test_clear_closes_the_event_when_the_type_says_so() -> None:
    messages_ingest(messages=[message("t-wq-1", "WY-WQ-002", "water-quality")])
    assert follow_up() == (1, 0)
    alarm = Alarm.objects.get(device__code="WY-WQ-002", state="active")
    result = messages_ingest(messages=[message("t-wq-2", "WY-WQ-002", "water-quality", "cleared")])
    assert result.alarms_cleared == 1
    assert follow_up() == (0, 1)
    assert follow_up() == (0, 0)
    alarm.refresh_from_db()
    assert (alarm.state, alarm.cleared_at is not None) == ("cleared", True)
    event = Event.objects.get(pk=alarm.event_id)
    assert (event.status, event.closed_at is not None) == ("closed", True)
    assert list(event.steps.values_list("action", flat=True)) == ["report", "auto_close"]
    # The next alarm of the same (device, type) is a new alarm with a new event.
    messages_ingest(messages=[message("t-wq-3", "WY-WQ-002", "water-quality")])
    assert follow_up() == (1, 0)
    assert _alarms("WY-WQ-002") == [("cleared", 1, True), ("active", 1, True)]


def test_clear_asks_the_grid_worker_to_verify_when_the_type_says_so() -> None:
    messages_ingest(messages=[message("t-sm-1", "WY-SM-002", "smoke")])
    messages_ingest(messages=[message("t-sm-2", "WY-SM-002", "smoke", "cleared")])
    # Raised and recovered before the follow-up ran: the event is made, then handed over.
    assert follow_up() == (1, 1)
    alarm = Alarm.objects.get(device__code="WY-SM-002")
    event = Event.objects.get(pk=alarm.event_id)
    assert event.status == "reported"
    step = event.steps.get(action=EventStep.SENSOR)
    assert "WY-SM-002" in step.note
    assert step.data["device"] == "WY-SM-002"
    assert step.data["state"] == "cleared"


def test_an_alarm_becomes_an_event_only_after_its_minimum_active_time() -> None:
    now = timezone.now()
    started = now - timedelta(seconds=30)
    messages_ingest(messages=[message("t-cam-1", "WY-CAM-003", "illegal-parking", at=started)])
    assert _alarms("WY-CAM-003") == [("active", 1, False)]
    assert follow_up(now=now) == (0, 0)
    assert follow_up(now=now + timedelta(seconds=90)) == (1, 0)
    assert _alarms("WY-CAM-003") == [("active", 1, True)]
    assert follow_up(now=now + timedelta(seconds=200)) == (0, 0)


def test_an_alarm_cleared_within_its_minimum_time_never_becomes_an_event() -> None:
    started = timezone.now() - timedelta(seconds=40)
    messages_ingest(
        messages=[
            message("t-cam-a", "WY-CAM-003", "illegal-parking", at=started),
            message("t-cam-b", "WY-CAM-003", "illegal-parking", "cleared"),
        ]
    )
    assert _alarms("WY-CAM-003") == [("cleared", 1, False)]
    assert follow_up(now=timezone.now() + timedelta(hours=1)) == (0, 0)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (RawMessage(topic("WY-SM-002"), b"{not json"), "not_json"),
        (RawMessage(topic("WY-SM-002"), b"\xff\xfe"), "not_json"),
        (RawMessage(topic("WY-SM-002"), b"[1, 2]"), "bad_payload"),
        (RawMessage(topic("WY-SM-002"), b'{"type": "smoke", "state": "active"}'), "bad_payload"),
        (message("t-bad-state", "WY-SM-002", "smoke", "burning"), "bad_payload"),
        (
            RawMessage(
                topic("WY-SM-002"),
                b'{"id": "t-ts", "type": "smoke", "state": "active", "ts": "2026-11-29T10:00"}',
            ),
            "bad_payload",
        ),
        (message("t-bad-value", "WY-SM-002", "smoke", value="hot"), "bad_payload"),
        (RawMessage("jiedao/x/sensors/WY-SM-002", b"{}"), "bad_topic"),
        (message("t-unknown", "WY-NOPE-404", "smoke"), "unknown_device"),
        (message("t-unknown-type", "WY-SM-002", "overheat"), "unknown_type"),
    ],
)
def test_bad_messages_go_to_the_dead_letters_and_change_nothing_else(
    raw: RawMessage, reason: str
) -> None:
    alarms, messages = Alarm.objects.count(), Message.objects.count()
    good = message("t-good-after-bad", "WY-SM-002", "smoke")
    result = messages_ingest(messages=[raw, good])
    assert (result.dead_letters, result.new) == (1, 1)
    letter = DeadLetter.objects.get()
    assert letter.reason == reason
    assert letter.topic == raw.topic
    assert (Alarm.objects.count(), Message.objects.count()) == (alarms + 1, messages + 1)


def test_a_cleared_message_without_an_open_alarm_is_only_history() -> None:
    result = messages_ingest(messages=[message("t-clear-only", "WY-SM-002", "smoke", "cleared")])
    assert (result.new, result.alarms_cleared) == (1, 0)
    assert _alarms("WY-SM-002") == []
    assert Message.objects.get(message_id="t-clear-only").alarm_id is None


def test_messages_are_applied_in_the_order_the_device_sent_them() -> None:
    now = timezone.now()
    messages_ingest(
        messages=[
            message("t-order-2", "WY-SM-002", "smoke", "cleared", at=now - timedelta(seconds=5)),
            message("t-order-1", "WY-SM-002", "smoke", at=now - timedelta(seconds=10)),
            message("t-order-3", "WY-SM-002", "smoke", at=now - timedelta(seconds=1)),
        ]
    )
    assert follow_up() == (2, 1)
    assert _alarms("WY-SM-002") == [("cleared", 1, True), ("active", 1, True)]
