"""Reads of sensors, narrowed to the user's scope; each list runs a fixed number of statements."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import get_in_scope, require, scoped
from jiedao.geo.models import Subdistrict

from .models import Alarm, DeadLetter, Device, DeviceKind, Message
from .workflow import OPEN_STATES, AlarmState, DeviceState, actions_in

HISTORY_LIMIT = 50


@dataclass(frozen=True)
class AlarmFilters:
    state: str = ""  # an AlarmState, "open" (active or acknowledged), or "" for all
    kind: str = ""  # a DeviceKind code
    grid: str = ""  # a grid code
    device: str = ""  # a device code
    since: datetime | None = None


def alarm_list(user: Any, filters: AlarmFilters | None = None) -> QuerySet[Alarm]:
    require(user, "sensors.view")
    filters = filters or AlarmFilters()
    alarms = scoped(user, Alarm.objects.all()).select_related(
        "device__kind", "alarm_type", "grid", "event"
    )
    if filters.state == "open":
        alarms = alarms.filter(state__in=OPEN_STATES)
    elif filters.state:
        alarms = alarms.filter(state=filters.state)
    if filters.kind:
        alarms = alarms.filter(device__kind__code=filters.kind)
    if filters.grid:
        alarms = alarms.filter(grid__code=filters.grid)
    if filters.device:
        alarms = alarms.filter(device__code=filters.device)
    if filters.since:
        alarms = alarms.filter(raised_at__gte=filters.since)
    return alarms.order_by("-raised_at", "-id")


def alarm_get(user: Any, pk: int) -> Alarm:
    require(user, "sensors.view")
    return get_in_scope(
        user, Alarm.objects.select_related("device__kind", "alarm_type", "grid", "event"), pk=pk
    )


def alarm_actions(user: Any, alarm: Alarm) -> list[str]:
    """The staff actions the user may take on the alarm now (from the workflow table)."""
    from jiedao.accounts.permissions import can

    return [action for action in actions_in(alarm.state) if can(user, f"sensors.{action}")]


@dataclass(frozen=True)
class DeviceRow:
    device: Device
    state: str
    open_alarms: int


def device_state(device: Device, open_alarms: int, acknowledged: int, now: datetime) -> str:
    if open_alarms > acknowledged:
        return DeviceState.ALARM
    if open_alarms:
        return DeviceState.ACKNOWLEDGED
    silent = timedelta(minutes=device.kind.silent_after_minutes)
    if device.last_seen_at is None or now - device.last_seen_at > silent:
        return DeviceState.SILENT
    return DeviceState.NORMAL


def device_rows(user: Any, *, kind: str = "") -> list[DeviceRow]:
    """The devices in scope with their map state (one statement)."""
    require(user, "sensors.view")
    devices = scoped(user, Device.objects.filter(is_active=True)).select_related("kind", "grid")
    if kind:
        devices = devices.filter(kind__code=kind)
    devices = devices.annotate(
        open_alarms=Count("alarms", filter=Q(alarms__state__in=OPEN_STATES)),
        acknowledged=Count("alarms", filter=Q(alarms__state=AlarmState.ACKNOWLEDGED)),
    ).order_by("code")
    now = timezone.now()
    return [
        DeviceRow(
            device=device,
            state=device_state(device, device.open_alarms, device.acknowledged, now),
            open_alarms=device.open_alarms,
        )
        for device in devices
    ]


@dataclass(frozen=True)
class DeviceDetail:
    device: Device
    state: str
    alarms: list[Alarm]
    messages: list[Message]


def device_detail(user: Any, pk: int) -> DeviceDetail:
    require(user, "sensors.view")
    device = get_in_scope(user, Device.objects.select_related("kind", "grid", "department"), pk=pk)
    alarms = list(
        Alarm.objects.filter(device=device)
        .select_related("alarm_type", "event", "grid")
        .order_by("-raised_at", "-id")[:HISTORY_LIMIT]
    )
    messages = list(device.messages.order_by("-sent_at", "-id")[:HISTORY_LIMIT])
    open_alarms = [alarm for alarm in alarms if alarm.state in OPEN_STATES]
    acknowledged = [alarm for alarm in open_alarms if alarm.state == AlarmState.ACKNOWLEDGED]
    state = device_state(device, len(open_alarms), len(acknowledged), timezone.now())
    return DeviceDetail(device=device, state=state, alarms=alarms, messages=messages)


def dead_letter_list(user: Any) -> QuerySet[DeadLetter]:
    require(user, "sensors.manage")
    return DeadLetter.objects.order_by("-received_at", "-id")


def kinds() -> QuerySet[DeviceKind]:
    return DeviceKind.objects.filter(is_active=True).order_by("code")


def open_alarm_counts(user: Any) -> tuple[int, int]:
    """(open alarms, of which not yet acknowledged) in the user's scope — one statement."""
    counts = scoped(user, Alarm.objects.filter(state__in=OPEN_STATES)).aggregate(
        open=Count("id"), active=Count("id", filter=Q(state=AlarmState.ACTIVE))
    )
    return counts["open"] or 0, counts["active"] or 0


def device_alarm_codes(subdistrict_code: str = "") -> list[tuple[str, str, list[str]]]:
    """(subdistrict code, device code, its kind's alarm type codes) of the devices in use —
    what the simulator publishes for (the system's own read: no user scope)."""
    devices = Device.objects.filter(is_active=True).select_related("subdistrict", "kind")
    if subdistrict_code:
        devices = devices.filter(subdistrict__code=subdistrict_code)
    devices = devices.prefetch_related("kind__alarm_types").order_by("code")
    return [
        (
            device.subdistrict.code,
            device.code,
            [alarm_type.code for alarm_type in device.kind.alarm_types.all()],
        )
        for device in devices
    ]


def import_subdistrict(user: Any, code: str = "") -> Subdistrict:
    """Where an import puts its devices: the user's subdistrict, or the one named by code."""
    from jiedao.core.errors import InvalidInput

    require(user, "sensors.manage")
    own = getattr(user, "subdistrict_id", None)
    found = Subdistrict.objects.filter(pk=own).first() if own else None
    if found is None and code:
        found = Subdistrict.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput(_("Choose the subdistrict of the devices."), field="subdistrict")
    return found


def upload_bytes(upload: Any, limit: int) -> bytes:
    from jiedao.core.errors import InvalidInput

    if upload.size is not None and upload.size > limit:
        raise InvalidInput(
            _("The file is larger than %(size)s MB.") % {"size": limit // (1024 * 1024)},
            field="file",
        )
    return bytes(upload.read())
