"""Wenyan's sensors: the kinds its seeds name, devices placed in its grids, their history and a
few active alarms with open events — all through the services the listener uses.

The devices' messages go through :func:`~jiedao.sensors.services.messages_ingest` exactly as the
listener's batches do; only their times are chosen (minutes to days ago)."""

import json
from datetime import datetime, timedelta

from django.utils import timezone

from jiedao.accounts.permissions import SYSTEM
from jiedao.events.workflow import Urgency
from jiedao.geo.geometry import parse_boundary
from jiedao.geo.models import Grid, Subdistrict

from .services import (
    DeviceInput,
    RawMessage,
    alarm_type_create,
    alarms_follow_up,
    device_create,
    device_kind_create,
    messages_ingest,
)
from .workflow import OnClear

# kind code, name, minutes of silence before "not heard from", alarm types:
# (code, name, event category, urgency, minimum active seconds, on recovery)
KINDS = [
    (
        "parking-camera",
        "违停自动抓拍摄像头",
        60,
        [("illegal-parking", "违停抓拍", "E0201", Urgency.NORMAL, 120, OnClear.CLOSE)],
    ),
    (
        "fire-lane-monitor",
        "生命通道智能预警",
        60,
        [("fire-lane-blocked", "消防通道占用", "E0501", Urgency.URGENT, 60, OnClear.VERIFY)],
    ),
    (
        "charging-pile",
        "智能充电桩",
        120,
        [
            ("overheat", "充电过热", "E0502", Urgency.URGENT, 0, OnClear.VERIFY),
            ("overcurrent", "充电过流", "E0502", Urgency.NORMAL, 0, OnClear.CLOSE),
        ],
    ),
    (
        "smoke-detector",
        "智能烟感",
        1440,
        [("smoke", "烟雾报警", "E0802", Urgency.CRITICAL, 0, OnClear.VERIFY)],
    ),
    (
        "water-probe",
        "水质监测探头",
        240,
        [("water-quality", "水质超标", "E0401", Urgency.NORMAL, 0, OnClear.CLOSE)],
    ),
    (
        "manhole-sensor",
        "井盖传感器",
        1440,
        [("cover-displaced", "井盖位移", "C0101", Urgency.URGENT, 0, OnClear.CLOSE)],
    ),
]

# code, name, kind, grid index (in code order), owner department, address
DEVICES = [
    ("WY-CAM-001", "闻堰老街违停抓拍", "parking-camera", 0, "police", "闻堰老街与相墅路口"),
    ("WY-CAM-002", "三江口违停抓拍", "parking-camera", 5, "police", "三江口公园停车场入口"),
    ("WY-CAM-003", "湘湖路违停抓拍", "parking-camera", 12, "police", "湘湖路闻堰段"),
    ("WY-FL-001", "黄山小区生命通道", "fire-lane-monitor", 1, "safety", "黄山小区3幢消防通道"),
    ("WY-FL-002", "相墅小区生命通道", "fire-lane-monitor", 8, "safety", "相墅小区南门通道"),
    ("WY-EV-001", "三江社区充电桩1号", "charging-pile", 0, "safety", "三江社区车棚东侧"),
    ("WY-EV-002", "老虎洞充电桩", "charging-pile", 15, "safety", "老虎洞村文化礼堂旁"),
    ("WY-SM-001", "养老服务中心烟感", "smoke-detector", 2, "safety", "闻堰养老服务中心二楼"),
    ("WY-SM-002", "出租房烟感(黄山)", "smoke-detector", 20, "safety", "黄山村出租房12号"),
    ("WY-WQ-001", "钱塘江三江口水质探头", "water-probe", 3, "agriculture", "三江口取水口"),
    ("WY-WQ-002", "湘湖水质探头", "water-probe", 25, "agriculture", "湘湖闻堰入口"),
    ("WY-MH-001", "闻兴路井盖传感器", "manhole-sensor", 6, "city-management", "闻兴路18号"),
]

# Past and present traffic: device, type, state, minutes ago, repeats (each a minute apart).
TRAFFIC = [
    # Recovered alarms of the last days: their events closed or handed to the grid worker.
    ("WY-WQ-001", "water-quality", "active", 3 * 1440, 5),
    ("WY-WQ-001", "water-quality", "cleared", 3 * 1440 - 90, 0),
    ("WY-EV-001", "overcurrent", "active", 2 * 1440, 3),
    ("WY-EV-001", "overcurrent", "cleared", 2 * 1440 - 20, 0),
    ("WY-CAM-002", "illegal-parking", "active", 1440, 0),
    ("WY-CAM-002", "illegal-parking", "cleared", 1439, 0),  # 1 minute: never an event
    # Active now, with open events.
    ("WY-FL-001", "fire-lane-blocked", "active", 45, 12),
    ("WY-SM-001", "smoke", "active", 8, 2),
    ("WY-EV-002", "overheat", "active", 25, 6),
    ("WY-CAM-001", "illegal-parking", "active", 30, 9),
    ("WY-MH-001", "cover-displaced", "active", 180, 4),
    # The quiet devices' last "all clear" (kept as history; the map shows them normal).
    ("WY-CAM-003", "illegal-parking", "cleared", 10, 0),
    ("WY-FL-002", "fire-lane-blocked", "cleared", 12, 0),
    ("WY-SM-002", "smoke", "cleared", 600, 0),
    ("WY-WQ-002", "water-quality", "cleared", 50, 0),
]


def _grid_point(grid: Grid) -> tuple[float, float]:
    point = parse_boundary(grid.boundary).representative_point()
    return point.y, point.x


def _payload(message_id: str, alarm_type: str, state: str, at: datetime) -> bytes:
    return json.dumps(
        {"id": message_id, "type": alarm_type, "state": state, "ts": at.isoformat()}
    ).encode()


def sensors_demo_load(*, subdistrict: Subdistrict, now: datetime | None = None) -> int:
    """Create the demo's kinds, devices and traffic; the number of devices."""
    now = now or timezone.now()
    kinds = {}
    for code, name, silent, types in KINDS:
        kind = device_kind_create(actor=SYSTEM, code=code, name=name, silent_after_minutes=silent)
        kinds[code] = kind
        for type_code, type_name, category, urgency, minimum, on_clear in types:
            alarm_type_create(
                actor=SYSTEM,
                kind=kind,
                code=type_code,
                name=type_name,
                category=category,
                urgency=urgency,
                min_active_seconds=minimum,
                on_clear=on_clear,
            )
    grids = list(Grid.objects.filter(community__subdistrict=subdistrict).order_by("code"))
    for code, name, kind_code, grid_index, department, address in DEVICES:
        lat, lng = _grid_point(grids[grid_index % len(grids)])
        device_create(
            actor=SYSTEM,
            subdistrict=subdistrict,
            item=DeviceInput(
                code=code,
                name=name,
                kind=kind_code,
                lat=lat,
                lng=lng,
                department=department,
                address=address,
            ),
        )
    topic = "jiedao/{}/devices/{}/alarms"
    for number, (device, type_code, state, minutes, repeats) in enumerate(TRAFFIC):
        batch = []
        for repeat in range(repeats + 1):
            at = now - timedelta(minutes=minutes - repeat)
            message_id = f"demo-{number:03d}-{repeat:03d}"
            batch.append(
                RawMessage(
                    topic=topic.format(subdistrict.code, device),
                    payload=_payload(message_id, type_code, state, at),
                )
            )
        messages_ingest(messages=batch)
    alarms_follow_up(now=now, limit=None)
    return len(DEVICES)
