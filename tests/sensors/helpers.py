"""Messages as devices send them, for the sensors' tests."""

import json
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from jiedao.sensors.services import RawMessage

SUBDISTRICT = "330109012"


def topic(device: str, subdistrict: str = SUBDISTRICT) -> str:
    return f"jiedao/{subdistrict}/devices/{device}/alarms"


def payload(
    message_id: str,
    alarm_type: str,
    state: str = "active",
    at: datetime | None = None,
    **extra: Any,
) -> bytes:
    moment = at or timezone.now() - timedelta(seconds=1)
    body = {"id": message_id, "type": alarm_type, "state": state, "ts": moment.isoformat()}
    body.update(extra)
    return json.dumps(body).encode()


def message(
    message_id: str,
    device: str,
    alarm_type: str,
    state: str = "active",
    at: datetime | None = None,
    **extra: Any,
) -> RawMessage:
    return RawMessage(
        topic=topic(device), payload=payload(message_id, alarm_type, state, at, **extra)
    )


def probes_create(count: int, *, on_clear: str = "close", minimum: int = 0) -> list[str]:
    """``count`` probes of a kind of their own (alarm type ``leak``, an event at once), placed
    in Wenyan's grids through the services; their codes."""
    from jiedao.accounts.permissions import SYSTEM
    from jiedao.geo.geometry import parse_boundary
    from jiedao.geo.models import Grid, Subdistrict
    from jiedao.sensors.services import (
        DeviceInput,
        alarm_type_create,
        device_create,
        device_kind_create,
    )

    kind = device_kind_create(actor=SYSTEM, code="test-probe", name="测试探头")
    alarm_type_create(
        actor=SYSTEM,
        kind=kind,
        code="leak",
        name="漏水",
        category="C0104",
        urgency="urgent",
        min_active_seconds=minimum,
        on_clear=on_clear,
    )
    subdistrict = Subdistrict.objects.get(code=SUBDISTRICT)
    grids = list(Grid.objects.order_by("code")[:count])
    codes = []
    for number in range(count):
        point = parse_boundary(grids[number % len(grids)].boundary).representative_point()
        code = f"TP-{number:03d}"
        device_create(
            actor=SYSTEM,
            subdistrict=subdistrict,
            item=DeviceInput(
                code=code,
                name=f"测试探头{number}",
                kind="test-probe",
                lat=point.y,
                lng=point.x,
                department="water",
            ),
        )
        codes.append(code)
    return codes
