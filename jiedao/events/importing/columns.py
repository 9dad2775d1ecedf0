"""Which column of a 12345 file holds what, and how its values map to Jiedao's.

A 12345 platform exports its work orders (工单) with Chinese headers that vary between cities
and versions. :data:`FIELDS` lists what the import reads and the headers it recognises by
default; a mapping file (JSON, ``--mapping`` on the command, or uploaded with the file)
overrides them and adds value maps::

    {
      "columns": {"number": "工单号", "received_at": "登记时间"},
      "categories": {"垃圾乱扔": "E0101"},
      "departments": {"城管中队": "城市综合管理队"},
      "crs": "gcj02"
    }

``categories`` maps a 诉求类型 to a catalogue code (by default the type must be a subcategory's
name or code); ``departments`` maps a 承办单位 to a department's name (by default the unit must
be a department's name); ``crs`` is the coordinate system of the 经度/纬度 columns (WGS-84 by
default; Chinese map services give GCJ-02).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from jiedao.core.coordinates import CRS, parse_crs
from jiedao.core.errors import InvalidInput


@dataclass(frozen=True)
class Field:
    name: str
    headers: tuple[str, ...]  # recognised headers, the first is the one a report names
    required: bool = False


FIELDS: tuple[Field, ...] = (
    Field("number", ("工单编号", "工单号", "编号"), required=True),
    Field("received_at", ("受理时间", "登记时间", "来电时间"), required=True),
    Field("description", ("诉求内容", "问题描述", "内容"), required=True),
    Field("category", ("诉求类型", "问题类型", "类别"), required=True),
    Field("address", ("地址", "事发地址", "诉求地址")),
    Field("lng", ("经度",)),
    Field("lat", ("纬度",)),
    Field("grid", ("网格编号",)),
    Field("department", ("承办单位", "处置单位")),
    Field("closed_at", ("办结时间", "结案时间")),
    Field("satisfaction", ("满意度", "评价")),
    Field("reporter_name", ("来电人", "诉求人")),
    Field("reporter_phone", ("联系电话", "来电号码")),
)
FIELDS_BY_NAME = {item.name: item for item in FIELDS}


@dataclass(frozen=True)
class Mapping:
    """The column headers of each field in this file, and the value maps."""

    columns: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: {item.name: item.headers for item in FIELDS}
    )
    categories: dict[str, str] = field(default_factory=dict)
    departments: dict[str, str] = field(default_factory=dict)
    crs: CRS = CRS.WGS84

    def label(self, name: str) -> str:
        """The header a rejected row's reason names for a field."""
        return self.columns[name][0]


def mapping_from(data: dict[str, Any] | None) -> Mapping:
    """A mapping from its JSON form (None: the defaults); a 422 naming the key when wrong."""
    if not data:
        return Mapping()
    if not isinstance(data, dict):
        raise InvalidInput(_("The column mapping must be a JSON object."), field="mapping")
    columns = {item.name: item.headers for item in FIELDS}
    given = data.get("columns") or {}
    for name, header in dict(given).items():
        if name not in FIELDS_BY_NAME:
            raise InvalidInput(
                _("Column mapping: unknown field “%(name)s”; the fields are %(names)s.")
                % {"name": name, "names": ", ".join(FIELDS_BY_NAME)},
                field="mapping",
            )
        headers = [header] if isinstance(header, str) else list(header)
        if not headers or not all(isinstance(item, str) and item.strip() for item in headers):
            raise InvalidInput(
                _("Column mapping: the header of “%(name)s” must be text.") % {"name": name},
                field="mapping",
            )
        columns[name] = tuple(item.strip() for item in headers)
    value_maps: dict[str, dict[str, str]] = {}
    for key in ("categories", "departments"):
        value = data.get(key) or {}
        if not isinstance(value, dict) or not all(
            isinstance(item, str) for pair in value.items() for item in pair
        ):
            raise InvalidInput(
                _("Column mapping: “%(key)s” must map text to text.") % {"key": key},
                field="mapping",
            )
        value_maps[key] = {name.strip(): target.strip() for name, target in value.items()}
    return Mapping(
        columns=columns,
        categories=value_maps["categories"],
        departments=value_maps["departments"],
        crs=parse_crs(data.get("crs") or None),
    )


def mapping_load(path: str | Path | None) -> Mapping:
    """The mapping in a JSON file (None: the defaults)."""
    if not path:
        return Mapping()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InvalidInput(
            _("The column mapping file cannot be read: %(error)s") % {"error": error},
            field="mapping",
        ) from error
    return mapping_from(data)
