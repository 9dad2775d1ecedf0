"""Writes to sensors: the device catalogue (:mod:`.devices`), the listener's batches
(:mod:`.intake`) and the alarm lifecycle beyond them (:mod:`.alarms`)."""

from .alarms import FollowUp, alarm_event_create, alarm_transition, alarms_follow_up
from .devices import (
    DeviceInput,
    alarm_type_create,
    device_create,
    device_kind_create,
    devices_import,
)
from .intake import IngestResult, RawMessage, messages_ingest, parse

__all__ = [
    "DeviceInput",
    "FollowUp",
    "IngestResult",
    "RawMessage",
    "alarm_event_create",
    "alarm_transition",
    "alarm_type_create",
    "alarms_follow_up",
    "device_create",
    "device_kind_create",
    "devices_import",
    "messages_ingest",
    "parse",
]
