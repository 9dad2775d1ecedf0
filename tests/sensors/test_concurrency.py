"""Two messages of one alarm a millisecond apart, taken in by two transactions at once (as two
listeners, or a listener and its restarted self, would): the partial unique index keeps one open
alarm. PostgreSQL only — SQLite runs one writer at a time, so there is no race to lose."""

import threading
import time
from typing import Any

import pytest
from django.db import connection, connections, transaction

from jiedao.events.models import Event
from jiedao.sensors.models import Alarm
from jiedao.sensors.services import alarms_follow_up, messages_ingest

from .conftest import full_demo
from .helpers import message

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a race needs two writers: PostgreSQL"
    ),
]


def test_two_transactions_raising_one_alarm_make_one_alarm_and_one_event() -> None:
    full_demo()
    events_before = Event.objects.filter(source="sensor").count()
    first_inserted = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                messages_ingest(messages=[message("t-race-1", "WY-SM-002", "smoke")])
                first_inserted.set()
                # Hold the uncommitted alarm while the second transaction tries to raise it.
                time.sleep(0.5)
        except Exception as error:  # noqa: BLE001 - reported to the test thread
            errors.append(error)
        finally:
            first_inserted.set()
            connections.close_all()

    def second() -> None:
        try:
            first_inserted.wait(5)
            messages_ingest(messages=[message("t-race-2", "WY-SM-002", "smoke")])
        except Exception as error:  # noqa: BLE001 - reported to the test thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []
    alarms: list[Any] = list(Alarm.objects.filter(device__code="WY-SM-002"))
    assert [(alarm.state, alarm.count) for alarm in alarms] == [("active", 2)]
    assert alarms_follow_up().events_created == 1
    assert Event.objects.filter(source="sensor").count() == events_before + 1
    assert sorted(alarms[0].messages.values_list("message_id", flat=True)) == [
        "t-race-1",
        "t-race-2",
    ]


def test_one_message_taken_in_by_two_transactions_at_once_counts_once() -> None:
    # A redelivery racing the first delivery (two listeners, or a restart): the second
    # transaction looks before the first commits, then finds the id taken and starts over.
    full_demo()
    first_inserted = threading.Event()
    errors: list[BaseException] = []
    results: list[tuple[int, int]] = []
    same = message("t-race-same", "WY-SM-002", "smoke")

    def first() -> None:
        try:
            with transaction.atomic():
                result = messages_ingest(messages=[same])
                results.append((result.new, result.duplicates))
                first_inserted.set()
                time.sleep(0.5)
        except Exception as error:  # noqa: BLE001 - reported to the test thread
            errors.append(error)
        finally:
            first_inserted.set()
            connections.close_all()

    def second() -> None:
        try:
            first_inserted.wait(5)
            result = messages_ingest(messages=[same])
            results.append((result.new, result.duplicates))
        except Exception as error:  # noqa: BLE001 - reported to the test thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []
    assert results == [(1, 0), (0, 1)]
    alarms: list[Any] = list(Alarm.objects.filter(device__code="WY-SM-002"))
    assert [(alarm.state, alarm.count) for alarm in alarms] == [("active", 1)]
    assert list(alarms[0].messages.values_list("message_id", flat=True)) == ["t-race-same"]
