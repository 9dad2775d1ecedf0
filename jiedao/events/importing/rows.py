"""One batch of a 12345 file's rows → work orders ready to write, or rejected rows with their
reasons (in the reader's language, naming the column by its header in the file).

Where a work order is (decided here, said in the README): its 经度/纬度 (in the mapping's
coordinate system) placed in a grid by the geo lookup, all the batch's points at once; else its
网格编号; else the name of a grid or, failing that, of a community or village found in its 地址,
which places it at a point inside that grid (or the community's first grid), flagged
approximate as a hotline report without coordinates is. A work order none of these places is
**rejected**, never put in a default grid: a guessed grid would send the work to a grid worker
who has nothing to do with it and count it in the wrong grid's figures.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core.coordinates import to_wgs84
from jiedao.core.errors import InvalidInput
from jiedao.geo.geometry import parse_boundary
from jiedao.geo.lookup import grid_index
from jiedao.geo.models import Community, Department, Grid

from ..models import Category
from ..services.common import MAX_DESCRIPTION, PHONE
from .columns import Mapping

WORK_ORDER = re.compile(r"^[0-9A-Za-z_-]{1,34}$")
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")
# 满意度 in words (12345 platforms' usual scale) → the event's 1–5 scale (as the portal stores).
SATISFACTION_WORDS = {
    "非常满意": 5,
    "满意": 5,
    "基本满意": 3,
    "一般": 3,
    "不满意": 1,
    "非常不满意": 1,
}
NUMBER_PREFIX = "12345-"


@dataclass(frozen=True)
class Rejection:
    row: int
    column: str  # the header of the column at fault ("" for the whole row)
    message: str


class WorkOrder(NamedTuple):
    """A checked row, ready to write (a tuple: a million of them are made per large import)."""

    row: int
    number: str
    received_at: datetime
    description: str
    category: Category
    address: str
    lat: float
    lng: float
    grid: Grid
    is_approximate: bool
    department: Department | None
    closed_at: datetime | None
    satisfaction: int | None
    reporter_name: str
    reporter_phone: str

    @property
    def event_number(self) -> str:
        return NUMBER_PREFIX + self.number


class Directory:
    """The catalogue, departments, grids and communities, read once per import."""

    def __init__(self, mapping: Mapping) -> None:
        self.mapping = mapping
        categories = list(
            Category.objects.filter(parent__isnull=False, is_active=True).select_related("parent")
        )
        self.categories: dict[str, Category] = {item.name: item for item in categories}
        self.categories.update({item.code: item for item in categories})
        departments = Department.objects.filter(is_active=True)
        self.departments: dict[tuple[int, str], Department] = {
            (item.subdistrict_id, item.name): item for item in departments
        }
        grids = list(
            Grid.objects.filter(is_active=True)
            .select_related("community__subdistrict")
            .order_by("code")
        )
        self.grids_by_id = {grid.pk: grid for grid in grids}
        # A million orders ask for their grid's subdistrict: a dictionary, not two relations.
        self.subdistrict_of = {grid.pk: grid.community.subdistrict_id for grid in grids}
        self.grids_by_code = {grid.code: grid for grid in grids}
        # Longest names first, so that "三江社区第10网格" wins over "三江社区第1网格".
        self.grid_names = sorted(grids, key=lambda grid: -len(grid.name))
        first_grid: dict[int, Grid] = {}
        for grid in grids:
            first_grid.setdefault(grid.community_id, grid)
        communities = Community.objects.filter(pk__in=first_grid)
        self.community_names = sorted(
            ((item.name, first_grid[item.pk]) for item in communities),
            key=lambda pair: -len(pair[0]),
        )
        self._points: dict[int, tuple[float, float]] = {}

    def category(self, value: str) -> Category | None:
        code = self.mapping.categories.get(value, value)
        return self.categories.get(code)

    def department(self, subdistrict_id: int, value: str) -> Department | None:
        name = self.mapping.departments.get(value, value)
        return self.departments.get((subdistrict_id, name))

    def inside(self, grid: Grid) -> tuple[float, float]:
        """A point inside the grid (lat, lng), for work orders placed by name or code."""
        if grid.pk not in self._points:
            point = parse_boundary(grid.boundary).representative_point()
            self._points[grid.pk] = (point.y, point.x)
        return self._points[grid.pk]

    def grid_in_address(self, address: str) -> Grid | None:
        for grid in self.grid_names:
            if grid.name and grid.name in address:
                return grid
        for name, grid in self.community_names:
            if name and name in address:
                return grid
        return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number a spreadsheet stored as 2.0220615e15
    return str(value).strip()


def _moment(value: Any) -> datetime | None:
    """An aware time from a cell: a spreadsheet's datetime or a text; local time when naive."""
    zone = ZoneInfo(settings.TIME_ZONE)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=zone)
    text = _text(value)
    try:
        # The usual 2022-06-15 09:30[:00], parsed in C; the other layouts below.
        moment = datetime.fromisoformat(text) if len(text) >= 16 and text[10] == " " else None
    except ValueError:
        moment = None
    if moment is not None:
        return moment if moment.tzinfo else moment.replace(tzinfo=zone)
    for pattern in TIME_FORMATS:
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=zone)
        except ValueError:
            continue
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(_text(value))
    except ValueError:
        return None


class _Row:
    """The cells of one row by field, and the reasons it is rejected."""

    def __init__(self, number: int, cells: list[Any], mapping: Mapping, positions: dict[str, int]):
        self.number = number
        self.cells = cells
        self.mapping = mapping
        self.positions = positions
        self.problems: list[Rejection] = []

    def raw(self, name: str) -> Any:
        position = self.positions.get(name)
        if position is None or position >= len(self.cells):
            return None
        return self.cells[position]

    def text(self, name: str) -> str:
        return _text(self.raw(name))

    def reject(self, name: str, message: str) -> None:
        self.problems.append(Rejection(self.number, self.mapping.label(name), message))


def _check_texts(row: _Row) -> dict[str, str]:
    number = row.text("number")
    if not number:
        row.reject("number", _("empty: every work order needs its number."))
    elif not WORK_ORDER.match(number):
        row.reject(
            "number",
            _("“%(value)s” is not a work-order number (1 to 34 letters, digits, - or _).")
            % {"value": number[:60]},
        )
    description = row.text("description")
    if not description:
        row.reject("description", _("empty: say what the citizen asked for."))
    elif len(description) > MAX_DESCRIPTION:
        row.reject(
            "description",
            _("longer than %(limit)s characters (%(length)s).")
            % {"limit": MAX_DESCRIPTION, "length": len(description)},
        )
    address = row.text("address")
    if len(address) > 200:
        row.reject("address", _("longer than 200 characters."))
    name, phone = row.text("reporter_name")[:100], row.text("reporter_phone")
    if phone and not PHONE.match(phone):
        row.reject("reporter_phone", _("“%(value)s” is not a phone number.") % {"value": phone})
    return {
        "number": number,
        "description": description,
        "address": address,
        "reporter_name": name,
        "reporter_phone": phone,
    }


def _check_times(row: _Row, now: datetime) -> tuple[datetime | None, datetime | None]:
    received_at = _moment(row.raw("received_at"))
    if received_at is None:
        row.reject(
            "received_at",
            _("“%(value)s” is not a time such as 2022-06-15 09:30.")
            % {"value": row.text("received_at")},
        )
    elif received_at > now:
        row.reject("received_at", _("lies in the future."))
    closed_at: datetime | None = None
    if row.text("closed_at"):
        closed_at = _moment(row.raw("closed_at"))
        if closed_at is None:
            row.reject(
                "closed_at",
                _("“%(value)s” is not a time such as 2022-06-15 09:30.")
                % {"value": row.text("closed_at")},
            )
        elif received_at is not None and closed_at < received_at:
            row.reject("closed_at", _("lies before the time it was received."))
        elif closed_at > now:
            row.reject("closed_at", _("lies in the future."))
    return received_at, closed_at


def _check_satisfaction(row: _Row, closed: bool) -> int | None:
    value = row.text("satisfaction")
    if not value:
        return None
    score = SATISFACTION_WORDS.get(value)
    if score is None and value.isdigit() and 1 <= int(value) <= 5:
        score = int(value)
    if score is None:
        row.reject(
            "satisfaction",
            _("“%(value)s” is neither 满意, 基本满意, 不满意 nor a score from 1 to 5.")
            % {"value": value},
        )
    elif not closed:
        row.reject("satisfaction", _("only a closed work order (with 办结时间) is rated."))
    return score


def parse_batch(
    rows: list[tuple[int, list[Any]]],
    *,
    mapping: Mapping,
    positions: dict[str, int],
    directory: Directory,
    now: datetime | None = None,
) -> tuple[list[WorkOrder], list[Rejection]]:
    """Check a batch of rows: the work orders of the good ones, and every problem of the
    others (all of a row's problems, not only its first)."""
    now = now or timezone.now()
    parsed: list[tuple[_Row, dict[str, Any]]] = []
    points: list[tuple[int, float, float]] = []  # (index in parsed, lng, lat) in WGS-84
    for number, cells in rows:
        row = _Row(number, cells, mapping, positions)
        values: dict[str, Any] = _check_texts(row)
        values["received_at"], values["closed_at"] = _check_times(row, now)
        values["satisfaction"] = _check_satisfaction(row, values["closed_at"] is not None)
        category_name = row.text("category")
        values["category"] = directory.category(category_name) if category_name else None
        if values["category"] is None:
            row.reject(
                "category",
                _(
                    "“%(value)s” is not a subcategory of the catalogue (its name or code); map it "
                    "in the column mapping's “categories”."
                )
                % {"value": category_name}
                if category_name
                else _("empty: every work order needs its type."),
            )
        lng_text, lat_text = row.text("lng"), row.text("lat")
        values["grid"], values["approximate"] = None, False
        if lng_text or lat_text:
            lng, lat = _number(row.raw("lng")), _number(row.raw("lat"))
            if lng is None or lat is None:
                row.reject("lng", _("经度 and 纬度 must both be numbers."))
            else:
                try:
                    point = to_wgs84(lat, lng, mapping.crs)
                except InvalidInput as error:
                    row.reject("lng" if error.field == "lng" else "lat", str(error.message))
                else:
                    values["lat"], values["lng"] = point.lat, point.lng
                    points.append((len(parsed), point.lng, point.lat))
        elif row.text("grid"):
            grid = directory.grids_by_code.get(row.text("grid"))
            if grid is None:
                row.reject(
                    "grid",
                    _("no active grid has the code “%(value)s”.") % {"value": row.text("grid")},
                )
            values["grid"], values["approximate"] = grid, True
        elif values["address"]:
            grid = directory.grid_in_address(values["address"])
            if grid is None:
                row.reject(
                    "address",
                    _(
                        "names no grid, community or village of the subdistrict; add 经度 and 纬度 "
                        "or 网格编号."
                    ),
                )
            values["grid"], values["approximate"] = grid, True
        else:
            row.reject("address", _("empty, and neither 经度/纬度 nor 网格编号 is given."))
        parsed.append((row, values))
    if points:
        found = grid_index().locate_many(
            np.array([lng for _i, lng, _lat in points]), np.array([lat for _i, _lng, lat in points])
        )
        for (index, _lng, _lat), grid_id in zip(points, found, strict=True):
            row, values = parsed[index]
            values["grid"] = directory.grids_by_id.get(int(grid_id))
            if values["grid"] is None:
                row.reject(
                    "lng",
                    _("the point (%(lng).6f, %(lat).6f) lies outside every grid.")
                    % {"lng": values["lng"], "lat": values["lat"]},
                )
    orders: list[WorkOrder] = []
    problems: list[Rejection] = []
    for row, values in parsed:
        grid = values["grid"]
        department = None
        department_name = row.text("department")
        if department_name and grid is not None:
            department = directory.department(grid.community.subdistrict_id, department_name)
            if department is None:
                row.reject(
                    "department",
                    _(
                        "“%(value)s” is not an active department of the subdistrict; map it in "
                        "the column mapping's “departments”."
                    )
                    % {"value": department_name},
                )
        if row.problems:
            problems.extend(row.problems)
            continue
        if values["approximate"]:
            values["lat"], values["lng"] = directory.inside(grid)
        orders.append(
            WorkOrder(
                row=row.number,
                number=values["number"],
                received_at=values["received_at"],
                description=values["description"],
                category=values["category"],
                address=values["address"],
                lat=values["lat"],
                lng=values["lng"],
                grid=grid,
                is_approximate=values["approximate"],
                department=department,
                closed_at=values["closed_at"],
                satisfaction=values["satisfaction"],
                reporter_name=values["reporter_name"],
                reporter_phone=values["reporter_phone"],
            )
        )
    return orders, problems
