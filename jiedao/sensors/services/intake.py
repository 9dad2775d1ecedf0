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
  (device, type): when another transaction raised it first (two messages a millisecond apart on
  two connections), the insert fails inside a savepoint and the message counts on that alarm;
* ``cleared``: the open alarm is cleared, and its event closed or handed to the grid worker to
  verify (:mod:`.alarms`); a ``cleared`` without an open alarm is only kept as history.

An alarm becomes an event once it has been active for its type's minimum time (0: at once);
:func:`.alarms.alarms_escalate` raises the events of alarms that have waited long enough.
A message that does not parse, or names an unknown device or alarm type, goes to the dead-letter
table with its reason; it is acknowledged like the others, so it never blocks the queue.
"""

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ..models import Alarm, AlarmType, DeadLetter, Device, Message
from ..workflow import OPEN_STATES, AlarmState, DeadLetterReason
from .alarms import alarm_event_create, alarm_recovered, escalation_due

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
    events_created: int = 0
    raised: list[int] = field(default_factory=list)


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


def _insert_new(rows: list[tuple[Parsed, Device]], now: datetime) -> set[str]:
    """Insert the messages' rows, skipping ids already taken in; the ids inserted now.

    ``ON CONFLICT DO NOTHING`` makes a concurrent batch with the same id wait for the first
    and then skip it, so each id is applied by exactly one transaction."""
    if not rows:
        return set()
    table = Message._meta.db_table
    placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(rows))
    params: list[Any] = []
    for parsed, device in rows:
        params += [
            parsed.message_id,
            device.pk,
            parsed.type_code[:40],
            parsed.state,
            parsed.value,
            parsed.sent_at,
            now,
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (message_id, device_id, type_code, state, value, sent_at, "  # noqa: S608
            f"received_at) VALUES {placeholders} ON CONFLICT (message_id) DO NOTHING "
            "RETURNING message_id",
            params,
        )
        return {row[0] for row in cursor.fetchall()}


def _open_alarm_raise(
    *, device: Device, alarm_type: AlarmType, parsed: Parsed
) -> tuple[Alarm, bool]:
    """A new open alarm, or — when another transaction has just raised it — that one."""
    try:
        with transaction.atomic():
            alarm = Alarm.objects.create(
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
            )
            return alarm, True
    except IntegrityError:
        alarm = Alarm.objects.select_for_update().get(
            device=device, alarm_type=alarm_type, state__in=OPEN_STATES
        )
        return alarm, False


@transaction.atomic
def messages_ingest(*, messages: Sequence[RawMessage]) -> IngestResult:
    """Apply one batch of device messages (see the module docstring). Never raises on input."""
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
    inserted = _insert_new([(parsed, device) for parsed, device, _t in accepted], now)
    result.duplicates += len(accepted) - len(inserted)
    fresh = [item for item in accepted if item[0].message_id in inserted]
    result.new = len(fresh)
    fresh.sort(key=lambda item: item[0].sent_at)
    _apply(fresh, result, now)
    if dead:
        DeadLetter.objects.bulk_create(dead)
        result.dead_letters = len(dead)
    return result


def _apply(
    fresh: list[tuple[Parsed, Device, AlarmType]], result: IngestResult, now: datetime
) -> None:
    if not fresh:
        return
    pairs = {(device.pk, alarm_type.pk) for _p, device, alarm_type in fresh}
    open_alarms = {
        (alarm.device_id, alarm.alarm_type_id): alarm
        for alarm in Alarm.objects.select_for_update().filter(
            device_id__in={d for d, _t in pairs},
            alarm_type_id__in={t for _d, t in pairs},
            state__in=OPEN_STATES,
        )
    }
    changed: dict[int, Alarm] = {}
    links: dict[int, list[str]] = {}
    last_seen: dict[int, tuple[Device, datetime]] = {}
    for parsed, device, alarm_type in fresh:
        key = (device.pk, alarm_type.pk)
        seen_before = last_seen.get(device.pk)
        if seen_before is None or seen_before[1] < parsed.sent_at:
            last_seen[device.pk] = (device, parsed.sent_at)
        alarm = open_alarms.get(key)
        if parsed.state == AlarmState.ACTIVE:
            if alarm is None:
                alarm, created = _open_alarm_raise(
                    device=device, alarm_type=alarm_type, parsed=parsed
                )
                open_alarms[key] = alarm
                if created:
                    result.alarms_raised += 1
                    result.raised.append(alarm.pk)
                    if alarm_type.min_active_seconds == 0:
                        alarm_event_create(alarm=alarm, alarm_type=alarm_type, device=device)
                        result.events_created += 1
                    links.setdefault(alarm.pk, []).append(parsed.message_id)
                    continue
            alarm.count += 1
            if parsed.sent_at >= alarm.last_seen_at:
                alarm.last_seen_at = parsed.sent_at
                alarm.last_value = parsed.value
            changed[alarm.pk] = alarm
            links.setdefault(alarm.pk, []).append(parsed.message_id)
            if escalation_due(alarm, alarm_type, now):
                alarm_event_create(alarm=alarm, alarm_type=alarm_type, device=device)
                result.events_created += 1
        elif alarm is not None:
            links.setdefault(alarm.pk, []).append(parsed.message_id)
            changed.pop(alarm.pk, None)
            alarm_recovered(alarm=alarm, alarm_type=alarm_type, device=device, at=parsed.sent_at)
            del open_alarms[key]
            result.alarms_cleared += 1
    if changed:
        Alarm.objects.bulk_update(list(changed.values()), ["count", "last_seen_at", "last_value"])
    for alarm_id, ids in links.items():
        Message.objects.filter(message_id__in=ids).update(alarm_id=alarm_id)
    stale = [
        device
        for device, at in last_seen.values()
        if not device.last_seen_at or device.last_seen_at < at
    ]
    for device in stale:
        device.last_seen_at = last_seen[device.pk][1]
    if stale:
        Device.objects.bulk_update(stale, ["last_seen_at"])
