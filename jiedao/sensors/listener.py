"""The MQTT listener behind ``jiedao sensors listen``: at-least-once in, exactly-once applied.

paho-mqtt 2 (``CallbackAPIVersion.VERSION2``) over MQTT 5 with a fixed client id, ``clean_start``
off and a session expiry, so that the broker keeps the subscription and the messages not yet
acknowledged while the listener is down. Messages arrive at QoS 1 with manual acknowledgement:
the network thread only queues them; the main thread takes a batch (up to ``batch_size``
messages, or what arrived within ``batch_ms`` of the first), applies it in one transaction
(:func:`~jiedao.sensors.services.messages_ingest`) and acknowledges its messages only after the
commit. Killed at any moment, the listener loses nothing (the broker redelivers what was not
acknowledged) and duplicates nothing (a message id taken in is recognised).

MQTT 5 rather than 3.1.1: the broker lets a 3.1.1 client have only its ``max_inflight_messages``
(Mosquitto: 20) unacknowledged messages, which would cap a batch at 20; an MQTT 5 client sets
its own Receive Maximum. paho reconnects by itself with a growing delay (1 s up to a minute);
the subscription is renewed on every connection. A database that fails keeps the batch
unacknowledged and is retried with the same back-off.

A batch commits alarms only; their events (and the recoveries that close or hand them over) are
the follow-up stage's (:func:`~jiedao.sensors.services.alarms_follow_up`), run by this loop in
short slices whenever the inbox is empty, and at least once a second in a storm: the messages
never wait on the events intake, and an event follows its first message within a second or so
when the broker is quiet. Killed between the two, nothing is lost: the alarm in the database
says what is still to be done.
"""

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from .services import RawMessage, alarms_follow_up, messages_ingest

logger = logging.getLogger(__name__)

DEFAULT_URL = "mqtt://127.0.0.1:1883"
TOPIC = "jiedao/+/devices/+/alarms"
DEFAULT_CLIENT_ID = "jiedao-sensors-listener"
SESSION_EXPIRY_SECONDS = 7 * 24 * 3600
# The follow-up stage (events, recoveries) runs whenever the inbox is empty, a slice at a time so
# that messages arriving meanwhile wait at most that long; in a storm that never empties the
# inbox, it still gets a slice this often, so that events keep coming.
FOLLOW_UP_SLICE_SECONDS = 0.05
FOLLOW_UP_EVERY_SECONDS = 1.0


def broker_address(url: str | None = None) -> tuple[str, int]:
    """Host and port of ``MQTT_URL`` (default mqtt://127.0.0.1:1883)."""
    parts = urlsplit(url or getattr(settings, "MQTT_URL", "") or DEFAULT_URL)
    if parts.scheme not in ("mqtt", "tcp"):
        raise ValueError(f"MQTT_URL must be mqtt://host:port, not {parts.scheme}://")
    return parts.hostname or "127.0.0.1", parts.port or 1883


@dataclass(frozen=True)
class Delivery:
    generation: int
    mid: int
    qos: int
    message: RawMessage


@dataclass
class ListenerStats:
    batches: int = 0
    messages: int = 0
    new: int = 0
    duplicates: int = 0
    dead_letters: int = 0
    alarms_raised: int = 0
    events_created: int = 0
    recoveries: int = 0
    connections: int = 0
    failures: int = 0
    errors: list[str] = field(default_factory=list)


class Listener:
    def __init__(
        self,
        *,
        url: str | None = None,
        client_id: str = DEFAULT_CLIENT_ID,
        topic: str = TOPIC,
        batch_size: int = 500,
        batch_ms: int = 200,
        on_batch: Callable[[ListenerStats], None] | None = None,
        on_ready: Callable[[], None] | None = None,
        on_follow_up: Callable[[ListenerStats], None] | None = None,
        session_expiry: int = SESSION_EXPIRY_SECONDS,
    ) -> None:
        self.host, self.port = broker_address(url)
        self.client_id = client_id
        self.topic = topic
        self.batch_size = batch_size
        self.batch_ms = batch_ms
        self.on_batch = on_batch
        self.on_ready = on_ready
        self.on_follow_up = on_follow_up
        self.session_expiry = session_expiry
        self.subscribed = threading.Event()
        self.started = False
        self.stats = ListenerStats()
        self.inbox: queue.Queue[Delivery] = queue.Queue()
        self.connected = threading.Event()
        self.generation = 0
        self.client = self._client()

    def _client(self) -> mqtt.Client:
        client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=self.client_id, protocol=mqtt.MQTTv5
        )
        client.manual_ack_set(True)
        client.reconnect_delay_set(min_delay=1, max_delay=60)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        client.on_subscribe = self._on_subscribe
        return client

    def _on_subscribe(
        self, client: mqtt.Client, userdata: Any, mid: int, reasons: Any, properties: Any
    ) -> None:
        if any(reason.is_failure for reason in reasons):
            logger.error("MQTT subscription to %s refused: %s", self.topic, reasons)
            return
        self.subscribed.set()
        if self.on_ready is not None:
            self.on_ready()

    def _on_connect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any
    ) -> None:
        if reason.is_failure:
            logger.warning("MQTT connection refused: %s", reason)
            return
        # Deliveries of an earlier connection are no longer ours to acknowledge: the broker
        # sends them again on this one (and the batch recognises them by their ids).
        self.generation += 1
        self.stats.connections += 1
        client.subscribe(self.topic, qos=1)
        self.connected.set()
        logger.info("MQTT connected to %s:%s, session present: %s", self.host, self.port, flags)

    def _on_disconnect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any
    ) -> None:
        self.connected.clear()
        self.subscribed.clear()
        logger.warning("MQTT disconnected (%s); reconnecting with back-off", reason)

    def _on_message(self, client: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
        self.inbox.put(
            Delivery(
                generation=self.generation,
                mid=message.mid,
                qos=message.qos,
                message=RawMessage(topic=message.topic, payload=bytes(message.payload)),
            )
        )

    def start(self) -> None:
        if self.started:
            return
        self.started = True
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = self.session_expiry
        # The broker may send this many unacknowledged messages ahead: a burst waits in our
        # inbox rather than in the broker's queue, which drops beyond max_queued_messages.
        properties.ReceiveMaximum = 65535
        self.client.connect_async(
            self.host, self.port, keepalive=30, clean_start=False, properties=properties
        )
        self.client.loop_start()

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
        self.started = False

    def _take_batch(self, wait: float) -> list[Delivery]:
        try:
            first = self.inbox.get(timeout=wait)
        except queue.Empty:
            return []
        batch = [first]
        deadline = time.monotonic() + self.batch_ms / 1000
        while len(batch) < self.batch_size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                batch.append(self.inbox.get(timeout=remaining))
            except queue.Empty:
                break
        return batch

    def _apply(self, batch: list[Delivery]) -> None:
        delay = 1.0
        while True:
            try:
                close_old_connections()
                result = messages_ingest(messages=[delivery.message for delivery in batch])
                break
            except DatabaseError as error:
                # Not acknowledged: retry the same batch once the database answers again.
                self.stats.failures += 1
                logger.warning(
                    "batch of %s not applied (%s); retrying in %ss", len(batch), error, delay
                )
                close_old_connections()
                time.sleep(delay)
                delay = min(delay * 2, 60.0)
        for delivery in batch:
            if delivery.generation == self.generation and delivery.qos > 0:
                self.client.ack(delivery.mid, delivery.qos)
        stats = self.stats
        stats.batches += 1
        stats.messages += result.messages
        stats.new += result.new
        stats.duplicates += result.duplicates
        stats.dead_letters += result.dead_letters
        stats.alarms_raised += result.alarms_raised
        if self.on_batch is not None:
            self.on_batch(stats)

    def follow_up(self, budget: float | None = FOLLOW_UP_SLICE_SECONDS) -> bool:
        """One slice of the follow-up stage; whether work is left."""
        try:
            close_old_connections()
            done = alarms_follow_up(budget=budget)
        except DatabaseError as error:
            logger.warning("follow-up skipped: %s", error)
            return False
        self.stats.events_created += done.events_created
        self.stats.recoveries += done.recoveries
        if (done.events_created or done.recoveries) and self.on_follow_up is not None:
            self.on_follow_up(self.stats)
        return done.remaining

    def run(
        self,
        *,
        stop: threading.Event | None = None,
        idle_exit: float | None = None,
        keep_running: bool = False,
    ) -> ListenerStats:
        """Listen until ``stop`` is set (or, with ``idle_exit``, until nothing arrives for that
        many seconds after the first message)."""
        stop = stop or threading.Event()
        self.start()
        last_follow_up = time.monotonic()
        last_message = time.monotonic()
        backlog = True  # alarms left waiting by an earlier run
        try:
            while not stop.is_set():
                batch = self._take_batch(wait=0.0 if backlog else 0.5)
                if batch:
                    self._apply(batch)
                    last_message = time.monotonic()
                    backlog = True
                elif (
                    idle_exit is not None
                    and self.stats.messages
                    and not backlog
                    and (time.monotonic() - last_message > idle_exit)
                ):
                    break
                # Messages first: the follow-up takes its slice when the inbox is empty, or its
                # turn in a storm; and every so often when idle, for the alarms whose minimum
                # active time has passed since.
                if (backlog and self.inbox.empty()) or (
                    time.monotonic() - last_follow_up > FOLLOW_UP_EVERY_SECONDS
                ):
                    last_follow_up = time.monotonic()
                    backlog = self.follow_up()
        finally:
            if not keep_running:
                self.stop()
                if threading.current_thread() is not threading.main_thread():
                    # A listener in a thread of its own leaves no connection open behind it.
                    connection.close()
        return self.stats
