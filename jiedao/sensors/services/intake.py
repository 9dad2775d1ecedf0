"""Taking in device messages, a batch at a time, in one transaction.

The listener hands a batch of raw MQTT messages to :func:`messages_ingest` and acknowledges them
to the broker only after it returns (the transaction committed). A batch is therefore applied
entirely or not at all, and a message the broker delivers again — because the listener died
before acknowledging it, or because QoS 1 delivers at least once — is recognised by its id
(``Message.message_id`` is unique) and changes nothing.

For each new message, in the order the devices sent them:

* ``active`` with an open alarm of the (device, type): the alarm's count and last-seen time rise,
  nothing else is created;
* ``active`` without one: a new alarm. The partial unique index lets only one open alarm exist per
  (device, type): the batch raises its new alarms with ``INSERT … ON CONFLICT DO NOTHING`` on that
  index, so when another transaction raised one first (two messages a millisecond apart on two
  connections) the pair's messages count on the alarm that transaction committed;
* ``cleared``: the open alarm is cleared; a ``cleared`` without an open alarm is only history.

The batch is set-based — a handful of statements whatever its size (:func:`_apply`) — and makes
no event: the events intake routes, numbers and notifies one event at a time, far slower than
messages arrive in a storm. An alarm records instead when it is due to become an event (raised +
its type's minimum active time) and whether a recovery is still to reach its event; the follow-up
stage (:func:`.alarms.alarms_follow_up`, run by the listener right after its batches) makes the
events and closes or hands them over, in transactions of their own.
A message that does not parse, or names an unknown device or alarm type, goes to the dead-letter
table with its reason; it is acknowledged like the others, so it never blocks the queue.
"""

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from ..models import Alarm, AlarmType, DeadLetter, Device, Message
from ..workflow import OPEN_STATES, AlarmState, DeadLetterReason
from .rows import rows_insert, rows_update

TOPIC = re.compile(r"^jiedao/(?P<subdistrict>[^/]+)/devices/(?P<device>[^/]+)/alarms$")
MESSAGE_ID_MAX = 100
PAYLOAD_KEEP = 2000


@dataclass(frozen=True)
class RawMessage:
    topic: str
    payload: bytes


@dataclass(frozen=True)
class Parsed:
    message_id: str
    subdistrict_code: str
    device_code: str
    type_code: str
    state: str
    sent_at: datetime
    value: float | None


@dataclass
class IngestResult:
    messages: int = 0
    new: int = 0
    duplicates: int = 0
    dead_letters: int = 0
    alarms_raised: int = 0
    alarms_cleared: int = 0


class Rejected(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason
        self.detail = detail


def parse(message: RawMessage) -> Parsed:
    """The typed message, or :class:`Rejected` with the dead-letter reason."""
    match = TOPIC.match(message.topic)
    if match is None:
        raise Rejected(DeadLetterReason.BAD_TOPIC, message.topic[:300])
    try:
        body = json.loads(message.payload)
    except (UnicodeDecodeError, ValueError) as error:
        raise Rejected(DeadLetterReason.NOT_JSON, str(error)[:300]) from error
    if not isinstance(body, dict):
        raise Rejected(DeadLetterReason.BAD_PAYLOAD, "not an object")
    message_id = body.get("id")
    if not isinstance(message_id, str) or not 0 < len(message_id) <= MESSAGE_ID_MAX:
        raise Rejected(DeadLetterReason.BAD_PAYLOAD, "id")
    type_code = body.get("type")
    if not isinstance(type_code, str) or not type_code:
        raise Rejected(DeadLetterReason.BAD_PAYLOAD, "type")
    state = body.get("state")
    if state not in (AlarmState.ACTIVE, AlarmState.CLEARED):
        raise Rejected(DeadLetterReason.BAD_PAYLOAD, "state")
    stamp = body.get("ts")
    try:
        sent_at = datetime.fromisoformat(stamp) if isinstance(stamp, str) else None
    except ValueError:
        sent_at = None
    if sent_at is None or sent_at.utcoffset() is None:
        raise Rejected(DeadLetterReason.BAD_PAYLOAD, "ts")
    value = body.get("value")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise Rejected(DeadLetterReason.BAD_PAYLOAD, "value")
    return Parsed(
        message_id=message_id,
        subdistrict_code=match["subdistrict"],
        device_code=match["device"],
        type_code=type_code,
        state=str(state),
        sent_at=sent_at,
        value=None if value is None else float(value),
    )


def _dead_letter(message: RawMessage, reason: str, detail: str) -> DeadLetter:
    return DeadLetter(
        topic=message.topic[:300],
        payload=message.payload[:PAYLOAD_KEEP].decode("utf-8", errors="replace"),
        reason=reason,
        detail=detail[:300],
    )


MESSAGE_FIELDS = [
    "message_id",
    "device",
    "alarm",
    "type_code",
    "state",
    "value",
    "sent_at",
    "received_at",
]
ALARM_FIELDS = [
    "device",
    "alarm_type",
    "subdistrict",
    "grid",
    "department",
    "state",
    "count",
    "raised_at",
    "last_seen_at",
    "last_value",
    "cleared_at",
    "event_due_at",
    "recovery_pending",
]
ALARM_CHANGES = [
    "state",
    "count",
    "last_seen_at",
    "last_value",
    "cleared_at",
    "event_due_at",
    "recovery_pending",
]
ATTNAMES = {
    "device": "device_id",
    "alarm_type": "alarm_type_id",
    "subdistrict": "subdistrict_id",
    "grid": "grid_id",
    "department": "department_id",
}
# The partial unique index of open alarms as an ON CONFLICT target (PostgreSQL and SQLite).
OPEN_CONFLICT = (
    "ON CONFLICT (device_id, alarm_type_id) WHERE state IN ('active', 'acknowledged') DO NOTHING"
)


class _Raced(Exception):
    """Another transaction took in one of the batch's messages after this one looked."""


def _known(message_ids: list[str]) -> set[str]:
    """The ids among these already taken in."""
    if not message_ids:
        return set()
    if connection.vendor != "postgresql":
        return set(
            Message.objects.filter(message_id__in=message_ids).values_list("message_id", flat=True)
        )
    with connection.cursor() as cursor:
        # One array parameter: the same statement whatever the batch's size.
        cursor.execute(
            f"SELECT message_id FROM {Message._meta.db_table} "  # noqa: S608 - our table
            "WHERE message_id = ANY(%s::text[])",
            [message_ids],
        )
        return {row[0] for row in cursor.fetchall()}


def _insert_messages(links: list[tuple[Parsed, Device, int | None]], now: datetime) -> None:
    """The new messages' rows, each with its alarm. ``ON CONFLICT DO NOTHING`` makes a
    concurrent batch holding one of the ids wait for it; when that batch took the id in first,
    this one is rolled back and applied again (:func:`messages_ingest`), so each id is applied
    by exactly one transaction."""
    inserted = rows_insert(
        Message,
        MESSAGE_FIELDS,
        [
            (
                parsed.message_id,
                device.pk,
                alarm_id,
                parsed.type_code[:40],
                parsed.state,
                parsed.value,
                parsed.sent_at,
                now,
            )
            for parsed, device, alarm_id in links
        ],
        conflict="ON CONFLICT (message_id) DO NOTHING",
        returning=("id",),
    )
    if len(inserted) != len(links):
        raise _Raced


ATTEMPTS = 5


def messages_ingest(*, messages: Sequence[RawMessage]) -> IngestResult:
    """Apply one batch of device messages (see the module docstring). Never raises on input."""
    for _attempt in range(ATTEMPTS - 1):
        try:
            with transaction.atomic():
                return _ingest(messages)
        except _Raced:
            continue
    with transaction.atomic():
        return _ingest(messages)


def _ingest(messages: Sequence[RawMessage]) -> IngestResult:
    now = timezone.now()
    result = IngestResult(messages=len(messages))
    dead: list[DeadLetter] = []
    parsed_messages: list[tuple[RawMessage, Parsed]] = []
    for message in messages:
        try:
            parsed_messages.append((message, parse(message)))
        except Rejected as rejected:
            dead.append(_dead_letter(message, rejected.reason, rejected.detail))
    keys = {(p.subdistrict_code, p.device_code) for _m, p in parsed_messages}
    devices: dict[tuple[str, str], Device] = {}
    if keys:
        found = Device.objects.filter(
            subdistrict__code__in={s for s, _d in keys},
            code__in={d for _s, d in keys},
            is_active=True,
        ).select_related("subdistrict", "kind")
        devices = {(device.subdistrict.code, device.code): device for device in found}
    types: dict[tuple[int, str], AlarmType] = {}
    if devices:
        kind_ids = {device.kind_id for device in devices.values()}
        types = {
            (alarm_type.kind_id, alarm_type.code): alarm_type
            for alarm_type in AlarmType.objects.filter(kind_id__in=kind_ids).select_related(
                "category"
            )
        }
    accepted: list[tuple[Parsed, Device, AlarmType]] = []
    seen: set[str] = set()
    for message, parsed in parsed_messages:
        device = devices.get((parsed.subdistrict_code, parsed.device_code))
        if device is None:
            detail = f"{parsed.subdistrict_code}/{parsed.device_code}"
            dead.append(_dead_letter(message, DeadLetterReason.UNKNOWN_DEVICE, detail))
            continue
        alarm_type = types.get((device.kind_id, parsed.type_code))
        if alarm_type is None:
            dead.append(_dead_letter(message, DeadLetterReason.UNKNOWN_TYPE, parsed.type_code))
            continue
        if parsed.message_id in seen:
            result.duplicates += 1
            continue
        seen.add(parsed.message_id)
        accepted.append((parsed, device, alarm_type))
    known = _known([parsed.message_id for parsed, _d, _t in accepted])
    fresh = [item for item in accepted if item[0].message_id not in known]
    result.duplicates += len(accepted) - len(fresh)
    result.new = len(fresh)
    # Stable: two messages with one timestamp keep the order they arrived in.
    fresh.sort(key=lambda item: item[0].sent_at)
    _insert_messages(_apply(fresh, result), now)
    if dead:
        DeadLetter.objects.bulk_create(dead)
        result.dead_letters = len(dead)
    return result


def _alarm_row(alarm: Alarm, fields: list[str] = ALARM_FIELDS) -> tuple[Any, ...]:
    # Foreign keys by their ids: the alarm's related objects are not fetched for this.
    return tuple(getattr(alarm, ATTNAMES.get(name, name)) for name in fields)


def _new_alarm(parsed: Parsed, device: Device, alarm_type: AlarmType) -> Alarm:
    return Alarm(
        device=device,
        alarm_type=alarm_type,
        subdistrict_id=device.subdistrict_id,
        grid_id=device.grid_id,
        department_id=device.department_id,
        state=AlarmState.ACTIVE,
        count=1,
        raised_at=parsed.sent_at,
        last_seen_at=parsed.sent_at,
        last_value=parsed.value,
        event_due_at=parsed.sent_at + timedelta(seconds=alarm_type.min_active_seconds),
        recovery_pending=False,
    )


def _open_alarms(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], Alarm]:
    """The open alarms of these (device, type) pairs, locked for the batch."""
    if not pairs:
        return {}
    return {
        (alarm.device_id, alarm.alarm_type_id): alarm
        for alarm in Alarm.objects.select_for_update().filter(
            device_id__in={d for d, _t in pairs},
            alarm_type_id__in={t for _d, t in pairs},
            state__in=OPEN_STATES,
        )
        if (alarm.device_id, alarm.alarm_type_id) in pairs
    }


def _claim(
    fresh: list[tuple[Parsed, Device, AlarmType]], open_alarms: dict[tuple[int, int], Alarm]
) -> dict[tuple[int, int], tuple[Alarm, str]]:
    """Raise, in one statement, the first new alarm of each pair that has no open one: the
    alarms raised, each with the id of the message that raised it.

    The partial unique index arbitrates: when another transaction has raised the alarm first
    (two messages a millisecond apart on two connections), the insert skips it after waiting
    for that transaction, and the pair's messages count on the alarm it committed."""
    firsts: dict[tuple[int, int], tuple[Parsed, Alarm]] = {}
    for parsed, device, alarm_type in fresh:
        key = (device.pk, alarm_type.pk)
        if parsed.state == AlarmState.ACTIVE and key not in open_alarms and key not in firsts:
            firsts[key] = (parsed, _new_alarm(parsed, device, alarm_type))
    candidates = [alarm for _p, alarm in firsts.values()]
    raised = rows_insert(
        Alarm,
        ALARM_FIELDS,
        [_alarm_row(alarm) for alarm in candidates],
        conflict=OPEN_CONFLICT,
        returning=("id", "device_id", "alarm_type_id"),
    )
    claimed: dict[tuple[int, int], tuple[Alarm, str]] = {}
    for pk, device_id, alarm_type_id in raised:
        parsed, alarm = firsts[(device_id, alarm_type_id)]
        alarm.pk = pk
        claimed[(device_id, alarm_type_id)] = (alarm, parsed.message_id)
    lost = {key for key in firsts if key not in claimed}
    open_alarms.update(_open_alarms(lost))
    return claimed


def _cleared(alarm: Alarm, at: datetime) -> None:
    """The device reports recovery. An alarm cleared before its minimum active time never
    becomes an event; otherwise its event (made already, or still to be made) is closed or
    handed over by the follow-up stage."""
    alarm.state = AlarmState.CLEARED
    alarm.cleared_at = at
    if alarm.event_id is None and alarm.event_due_at is not None and at < alarm.event_due_at:
        alarm.event_due_at = None
    alarm.recovery_pending = alarm.event_id is not None or alarm.event_due_at is not None


def _apply(
    fresh: list[tuple[Parsed, Device, AlarmType]], result: IngestResult
) -> list[tuple[Parsed, Device, int | None]]:
    """The new messages on their alarms, in the order the devices sent them, written with a
    handful of statements whatever the batch's size: the open alarms locked in one query, the
    new ones raised in one or two inserts, the changed ones and the messages' links written
    back in one update each; the messages with the alarm each belongs to."""
    if not fresh:
        return []
    open_alarms = _open_alarms({(device.pk, alarm_type.pk) for _p, device, alarm_type in fresh})
    claimed = _claim(fresh, open_alarms)
    current: dict[tuple[int, int], Alarm] = dict(open_alarms)
    changed: dict[int, Alarm] = {}
    later: list[Alarm] = []
    links: list[tuple[Parsed, Device, Alarm | None]] = []
    last_seen: dict[int, tuple[Device, datetime]] = {}
    for parsed, device, alarm_type in fresh:
        key = (device.pk, alarm_type.pk)
        seen_before = last_seen.get(device.pk)
        if seen_before is None or seen_before[1] < parsed.sent_at:
            last_seen[device.pk] = (device, parsed.sent_at)
        alarm = current.get(key)
        if parsed.state == AlarmState.ACTIVE:
            if alarm is None:
                claim = claimed.get(key)
                if claim is not None and claim[1] == parsed.message_id:
                    alarm = claim[0]  # inserted as this message left it
                else:
                    # A second alarm of the pair in this batch, after a recovery: the pair's
                    # open alarm is this transaction's own, so no other can race it.
                    alarm = _new_alarm(parsed, device, alarm_type)
                    later.append(alarm)
                current[key] = alarm
                result.alarms_raised += 1
            else:
                alarm.count += 1
                if parsed.sent_at >= alarm.last_seen_at:
                    alarm.last_seen_at = parsed.sent_at
                    alarm.last_value = parsed.value
                if alarm.pk is not None:
                    changed[alarm.pk] = alarm
        elif alarm is not None:
            _cleared(alarm, parsed.sent_at)
            if alarm.pk is not None:
                changed[alarm.pk] = alarm
            del current[key]
            result.alarms_cleared += 1
        # else: a recovery without an open alarm is only history
        links.append((parsed, device, alarm))
    # Cleared rows first: a new open alarm of the same pair may follow them.
    rows_update(
        Alarm,
        ALARM_CHANGES,
        [(alarm.pk, *_alarm_row(alarm, ALARM_CHANGES)) for alarm in changed.values()],
    )
    later_rows = [_alarm_row(alarm) for alarm in later]
    for (pk,), alarm in zip(rows_insert(Alarm, ALARM_FIELDS, later_rows), later, strict=True):
        alarm.pk = pk
    stale = [
        device
        for device, at in last_seen.values()
        if not device.last_seen_at or device.last_seen_at < at
    ]
    rows_update(
        Device, ["last_seen_at"], [(device.pk, last_seen[device.pk][1]) for device in stale]
    )
    return [
        (parsed, device, None if alarm is None else alarm.pk) for parsed, device, alarm in links
    ]
