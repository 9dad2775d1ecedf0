"""The sensors API: alarms (list, acknowledge, clear), devices with their map state and history,
device imports and the dead letters."""

from datetime import datetime
from typing import Any

from ninja import File, Form, Query, Router, Schema, UploadedFile
from pydantic import Field

from jiedao.core.http import JiedaoRequest

from . import selectors, services
from .models import Alarm
from .schemas import (
    AlarmActionIn,
    AlarmOut,
    DeadLetterOut,
    DeviceDetailOut,
    DeviceOut,
    ImportOut,
)
from .selectors import AlarmFilters, DeviceRow
from .workflow import AlarmAction, AlarmState, DeviceState

router = Router(tags=["sensors"])
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def alarm_out(alarm: Alarm, actions: list[str]) -> dict[str, Any]:
    return {
        "id": alarm.pk,
        "device": alarm.device.code,
        "device_name": alarm.device.name,
        "kind": alarm.device.kind.code,
        "alarm_type": alarm.alarm_type.code,
        "alarm_type_name": alarm.alarm_type.name,
        "state": alarm.state,
        "state_label": str(AlarmState(alarm.state).label),
        "count": alarm.count,
        "raised_at": alarm.raised_at,
        "last_seen_at": alarm.last_seen_at,
        "last_value": alarm.last_value,
        "acknowledged_at": alarm.acknowledged_at,
        "cleared_at": alarm.cleared_at,
        "grid": alarm.grid.code,
        "event": alarm.event.number if alarm.event else None,
        "actions": actions,
    }


def device_out(row: DeviceRow) -> dict[str, Any]:
    device = row.device
    return {
        "id": device.pk,
        "code": device.code,
        "name": device.name,
        "kind": device.kind.code,
        "kind_name": device.kind.name,
        "lat": device.lat,
        "lng": device.lng,
        "grid": device.grid.code,
        "address": device.address,
        "state": row.state,
        "state_label": str(DeviceState(row.state).label),
        "open_alarms": row.open_alarms,
        "last_seen_at": device.last_seen_at,
    }


class AlarmQuery(Schema):
    state: str = ""
    kind: str = ""
    grid: str = ""
    device: str = ""
    since: datetime | None = None
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get("/alarms", response=list[AlarmOut], summary="Alarms in your area")
def list_alarms(request: JiedaoRequest, query: Query[AlarmQuery]) -> list[dict[str, Any]]:
    user = request.user
    filters = AlarmFilters(
        state=query.state, kind=query.kind, grid=query.grid, device=query.device, since=query.since
    )
    alarms = selectors.alarm_list(user, filters)[query.offset : query.offset + query.limit]
    return [alarm_out(alarm, selectors.alarm_actions(user, alarm)) for alarm in alarms]


@router.get("/alarms/{alarm_id}", response=AlarmOut, summary="One alarm")
def get_alarm(request: JiedaoRequest, alarm_id: int) -> dict[str, Any]:
    alarm = selectors.alarm_get(request.user, alarm_id)
    return alarm_out(alarm, selectors.alarm_actions(request.user, alarm))


def _act(request: JiedaoRequest, alarm_id: int, action: str, note: str) -> dict[str, Any]:
    alarm = selectors.alarm_get(request.user, alarm_id)
    services.alarm_transition(alarm=alarm, action=action, actor=request.user, note=note)
    fresh = selectors.alarm_get(request.user, alarm_id)
    return alarm_out(fresh, selectors.alarm_actions(request.user, fresh))


@router.post("/alarms/{alarm_id}/acknowledge", response=AlarmOut, summary="Acknowledge an alarm")
def acknowledge_alarm(
    request: JiedaoRequest, alarm_id: int, payload: AlarmActionIn
) -> dict[str, Any]:
    return _act(request, alarm_id, AlarmAction.ACKNOWLEDGE, payload.note)


@router.post("/alarms/{alarm_id}/clear", response=AlarmOut, summary="Clear an alarm")
def clear_alarm(request: JiedaoRequest, alarm_id: int, payload: AlarmActionIn) -> dict[str, Any]:
    return _act(request, alarm_id, AlarmAction.CLEAR, payload.note)


@router.get("/devices", response=list[DeviceOut], summary="Devices with their map state")
def list_devices(request: JiedaoRequest, kind: str = "") -> list[dict[str, Any]]:
    return [device_out(row) for row in selectors.device_rows(request.user, kind=kind)]


@router.post("/devices/import", response=ImportOut, summary="Import devices (CSV or Excel)")
def import_devices(
    request: JiedaoRequest, file: File[UploadedFile], subdistrict: Form[str] = ""
) -> dict[str, Any]:
    user = request.user
    target = selectors.import_subdistrict(user, subdistrict)
    content = selectors.upload_bytes(file, MAX_IMPORT_BYTES)
    created = services.devices_import(
        actor=user, subdistrict=target, file_name=file.name or "", content=content
    )
    return {"created": len(created), "codes": [device.code for device in created]}


@router.get("/devices/{device_id}", response=DeviceDetailOut, summary="A device and its history")
def get_device(request: JiedaoRequest, device_id: int) -> dict[str, Any]:
    detail = selectors.device_detail(request.user, device_id)
    open_alarms = len([alarm for alarm in detail.alarms if alarm.is_open])
    device = detail.device
    body = device_out(DeviceRow(device=device, state=detail.state, open_alarms=open_alarms))
    for alarm in detail.alarms:
        alarm.device = device
    body.update(
        department=device.department.name,
        alarms=[
            alarm_out(alarm, selectors.alarm_actions(request.user, alarm))
            for alarm in detail.alarms
        ],
        messages=[
            {
                "message_id": message.message_id,
                "alarm_type": message.type_code,
                "state": message.state,
                "value": message.value,
                "sent_at": message.sent_at,
            }
            for message in detail.messages
        ],
    )
    return body


@router.get("/dead-letters", response=list[DeadLetterOut], summary="Messages not taken in")
def list_dead_letters(request: JiedaoRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": letter.pk,
            "topic": letter.topic,
            "payload": letter.payload,
            "reason": letter.reason,
            "detail": letter.detail,
            "received_at": letter.received_at,
        }
        for letter in selectors.dead_letter_list(request.user)[:200]
    ]
