"""The device catalogue: kinds, their alarm types, devices placed in their grids, imports."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import Actor, require
from jiedao.core.coordinates import CRS
from jiedao.core.errors import ApplicationError, InvalidInput
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create
from jiedao.events.catalogue import category_by_code
from jiedao.events.workflow import Urgency
from jiedao.geo.location import locate
from jiedao.geo.lookup import department_by_code
from jiedao.geo.models import Subdistrict

from ..models import AlarmType, Device, DeviceKind
from ..workflow import OnClear

DEVICE_CODE_MAX = 64
# The columns of a device import, in the order of the template (Chinese headers accepted too).
IMPORT_COLUMNS = {
    "code": ("code", "编号"),
    "name": ("name", "名称"),
    "kind": ("kind", "类型"),
    "lat": ("lat", "纬度"),
    "lng": ("lng", "经度"),
    "department": ("department", "权属部门"),
    "address": ("address", "地址"),
}
IMPORT_LABELS = {
    "code": _("code"),
    "name": _("name"),
    "kind": _("kind"),
    "lat": _("latitude"),
    "lng": _("longitude"),
    "department": _("owner department"),
    "address": _("address"),
}


@transaction.atomic
def device_kind_create(
    *, actor: Actor, code: str, name: str, silent_after_minutes: int = 1440
) -> DeviceKind:
    require(actor, "sensors.manage")
    return model_create(
        model=DeviceKind,
        data={
            "code": clean_text(code, field="code", max_length=40, required=True),
            "name": clean_text(name, field="name", max_length=100, required=True),
            "silent_after_minutes": silent_after_minutes,
        },
        actor=actor,
        action="sensors.kind.create",
    )


@transaction.atomic
def alarm_type_create(
    *,
    actor: Actor,
    kind: DeviceKind,
    code: str,
    name: str,
    category: str,
    urgency: str = Urgency.NORMAL,
    min_active_seconds: int = 0,
    on_clear: str = OnClear.VERIFY,
) -> AlarmType:
    """An alarm type of ``kind``, becoming events of the catalogue's ``category`` (a code)."""
    require(actor, "sensors.manage")
    found = category_by_code(category)
    if found is None or found.parent_id is None:
        raise InvalidInput(
            _("Unknown event category “%(code)s”: choose a subcategory of the catalogue.")
            % {"code": category},
            field="category",
        )
    if urgency not in Urgency.values:
        raise InvalidInput(_("Unknown urgency “%(value)s”.") % {"value": urgency}, field="urgency")
    if on_clear not in OnClear.values:
        raise InvalidInput(
            _("Unknown recovery rule “%(value)s”.") % {"value": on_clear}, field="on_clear"
        )
    if min_active_seconds < 0:
        raise InvalidInput(
            _("The minimum active time cannot be negative."), field="min_active_seconds"
        )
    return model_create(
        model=AlarmType,
        data={
            "kind": kind,
            "code": clean_text(code, field="code", max_length=40, required=True),
            "name": clean_text(name, field="name", max_length=100, required=True),
            "category": found,
            "urgency": urgency,
            "min_active_seconds": min_active_seconds,
            "on_clear": on_clear,
        },
        actor=actor,
        action="sensors.alarm_type.create",
    )


@dataclass(frozen=True)
class DeviceInput:
    code: str
    name: str
    kind: str
    lat: Any
    lng: Any
    department: str
    address: str = ""


def _device_checked(subdistrict: Subdistrict, item: DeviceInput) -> dict[str, Any]:
    code = clean_text(
        item.code,
        field="code",
        label=IMPORT_LABELS["code"],
        max_length=DEVICE_CODE_MAX,
        required=True,
    )
    if "/" in code or "+" in code or "#" in code:
        raise InvalidInput(
            _("The code “%(code)s” may not contain /, + or # (it is part of the MQTT topic).")
            % {"code": code},
            field="code",
        )
    kind = DeviceKind.objects.filter(code=(item.kind or "").strip(), is_active=True).first()
    if kind is None:
        raise InvalidInput(_("Unknown device kind “%(kind)s”.") % {"kind": item.kind}, field="kind")
    department = department_by_code(subdistrict.pk, (item.department or "").strip())
    if department is None:
        raise InvalidInput(
            _("Unknown owner department “%(code)s”.") % {"code": item.department},
            field="department",
        )
    location = locate(lat=item.lat, lng=item.lng, crs=CRS.WGS84, grid_code="")
    if location.grid.community.subdistrict_id != subdistrict.pk:
        raise InvalidInput(_("The location lies outside the subdistrict."), field="lat")
    return {
        "subdistrict": subdistrict,
        "code": code,
        "name": clean_text(
            item.name, field="name", label=IMPORT_LABELS["name"], max_length=100, required=True
        ),
        "kind": kind,
        "lat": location.lat,
        "lng": location.lng,
        "grid": location.grid,
        "address": clean_text(
            item.address, field="address", label=IMPORT_LABELS["address"], max_length=200
        ),
        "department": department,
    }


@transaction.atomic
def device_create(*, actor: Actor, subdistrict: Subdistrict, item: DeviceInput) -> Device:
    """Register a device; its point decides its grid (the same lookup as an event's)."""
    require(actor, "sensors.manage")
    data = _device_checked(subdistrict, item)
    if Device.objects.filter(subdistrict=subdistrict, code=data["code"]).exists():
        raise InvalidInput(
            _("A device with the code “%(code)s” exists already.") % {"code": data["code"]},
            code="duplicate",
            field="code",
        )
    return model_create(model=Device, data=data, actor=actor, action="sensors.device.create")


def _rows_from_file(name: str, content: bytes) -> list[dict[str, str]]:
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise InvalidInput(
                _("The file is not a readable Excel workbook."), field="file"
            ) from error
        if sheet is None:
            return []
        values = [
            ["" if cell is None else str(cell).strip() for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InvalidInput(_("The CSV file must be UTF-8."), field="file") from error
        values = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    values = [row for row in values if any(row)]
    if not values:
        raise InvalidInput(_("The file has no rows."), field="file")
    header = [cell.lower() for cell in values[0]]
    columns: dict[str, int] = {}
    for key, names in IMPORT_COLUMNS.items():
        for index, cell in enumerate(header):
            if cell in names:
                columns[key] = index
    missing = [
        str(IMPORT_LABELS[key]) for key in IMPORT_COLUMNS if key not in columns and key != "address"
    ]
    if missing:
        raise InvalidInput(
            _("The file lacks the column(s) %(columns)s.") % {"columns": "、".join(missing)},
            field="file",
        )
    return [
        {key: (row[index] if index < len(row) else "") for key, index in columns.items()}
        for row in values[1:]
    ]


def _number(value: str) -> Any:
    try:
        return float(value)
    except ValueError:
        return value  # locate() names the field


@transaction.atomic
def devices_import(
    *, actor: Actor, subdistrict: Subdistrict, file_name: str, content: bytes
) -> list[Device]:
    """Import devices from a CSV or Excel table, all or nothing: the first bad row names its
    line and field, and nothing is written."""
    require(actor, "sensors.manage")
    rows = _rows_from_file(file_name, content)
    created: list[Device] = []
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        item = DeviceInput(
            code=row.get("code", ""),
            name=row.get("name", ""),
            kind=row.get("kind", ""),
            lat=_number(row.get("lat", "")),
            lng=_number(row.get("lng", "")),
            department=row.get("department", ""),
            address=row.get("address", ""),
        )
        try:
            if item.code.strip() in seen:
                raise InvalidInput(
                    _("The code “%(code)s” appears twice in the file.") % {"code": item.code},
                    field="code",
                )
            seen.add(item.code.strip())
            created.append(device_create(actor=actor, subdistrict=subdistrict, item=item))
        except ApplicationError as error:
            label = IMPORT_LABELS.get(error.field or "", error.field or "")
            if error.relabelled(label) is not error:
                # Its message names the column already ("名称 为必填项"): not twice.
                message = _("Line %(line)s: %(message)s") % {
                    "line": line,
                    "message": error.relabelled(label).message,
                }
            else:
                message = _("Line %(line)s, %(field)s: %(message)s") % {
                    "line": line,
                    "field": label,
                    "message": error.message,
                }
            raise InvalidInput(message, field="file") from error
    return created


def kinds_for(codes: Sequence[str]) -> dict[str, DeviceKind]:
    return {kind.code: kind for kind in DeviceKind.objects.filter(code__in=codes)}
