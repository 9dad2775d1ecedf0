from datetime import datetime

from ninja import Schema
from pydantic import Field


class AlarmOut(Schema):
    id: int
    device: str = Field(description="The device's code")
    device_name: str
    kind: str
    alarm_type: str
    alarm_type_name: str
    state: str = Field(description="active, acknowledged or cleared")
    state_label: str
    count: int = Field(description="Messages of this alarm (its repeats raise it)")
    raised_at: datetime
    last_seen_at: datetime
    last_value: float | None
    acknowledged_at: datetime | None
    cleared_at: datetime | None
    grid: str
    event: str | None = Field(description="The number of the alarm's event, once it has one")
    actions: list[str] = Field(description="What you may do with it now")


class AlarmActionIn(Schema):
    note: str = Field("", max_length=500)


class DeviceOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_name: str
    lat: float
    lng: float
    grid: str
    address: str
    state: str = Field(description="normal, alarm, acknowledged or silent (the map's colour)")
    state_label: str
    open_alarms: int
    last_seen_at: datetime | None


class MessageOut(Schema):
    message_id: str
    alarm_type: str
    state: str
    value: float | None
    sent_at: datetime


class DeviceDetailOut(DeviceOut):
    department: str
    alarms: list[AlarmOut]
    messages: list[MessageOut]


class ImportOut(Schema):
    created: int
    codes: list[str]


class DeadLetterOut(Schema):
    id: int
    topic: str
    payload: str
    reason: str
    detail: str
    received_at: datetime
