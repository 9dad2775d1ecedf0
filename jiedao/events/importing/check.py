"""A batch of rows → work orders and rejected rows, quickly for rows of the usual shape.

Nearly every row of a 12345 export is clean and written the same way: text cells, times as
``2022-06-15 09:30[:00]``, a known type and unit, a point inside a grid. The thorough checker
(:func:`.rows.parse_batch`) builds an object per row and looks every cell up by field name,
which cost more than everything else an import did. :class:`QuickCheck` runs one tight loop
over such rows instead — positions resolved once, the mapped catalogue in one dictionary, the
time parsed by ``datetime.fromisoformat`` (C), the batch's points placed in their grids by one
vectorised STRtree query — and computes exactly the values the thorough checker would.

It accepts a row only when every check passes; any other row (a bad cell, a short row, an
.xlsx date cell, a time written ``2022/06/15``, a point outside every grid) goes to the
thorough checker, which accepts it or names all of its problems. The reasons a report gives
therefore come from one place, and the quick loop carries no messages of its own.
"""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.utils import timezone

from jiedao.core.coordinates import CRS, to_wgs84
from jiedao.geo.lookup import grid_index
from jiedao.geo.models import Grid

from ..models import Category
from ..services.common import MAX_DESCRIPTION, PHONE
from .columns import Mapping
from .reader import Row, Table
from .rows import SATISFACTION_WORDS, WORK_ORDER, Directory, Rejection, WorkOrder, parse_batch

# 满意度 as the quick loop reads it: the words, and the digits 1–5 as such (any other spelling
# of a score, e.g. "05", goes to the thorough checker, which reads it the same way).
SCORES: dict[str, int] = {**SATISFACTION_WORDS, **{str(score): score for score in range(1, 6)}}
MAX_ADDRESS = 200
# Positions in a row's values (WorkOrder's fields, then the row itself).
_LAT, _LNG, _GRID, _APPROXIMATE, _DEPARTMENT = (
    WorkOrder._fields.index(name) for name in ("lat", "lng", "grid", "is_approximate", "department")
)


class QuickCheck:
    """The quick loop for one file: its column positions and the directory, resolved once."""

    def __init__(self, *, mapping: Mapping, table: Table, directory: Directory) -> None:
        self.mapping = mapping
        self.positions = positions = table.positions
        self.directory = directory
        # A row of the usual shape has as many cells as the header; a field the file lacks
        # reads the empty cell each such row gets appended at position ``width``.
        self.width = table.width
        self.index = {name: positions.get(name, self.width) for name in _FIELD_NAMES}
        self.zone = ZoneInfo(settings.TIME_ZONE)  # as the thorough checker reads times
        categories: dict[str, Category] = dict(directory.categories)
        for value, target in mapping.categories.items():
            category = directory.categories.get(target)
            if category is None:
                categories.pop(value, None)
            else:
                categories[value] = category
        self.categories = categories

    def check(
        self, rows: list[Row], *, now: datetime | None = None
    ) -> tuple[list[WorkOrder], list[Rejection]]:
        """The batch's work orders (in row order) and the problems of its rejected rows."""
        now = now or timezone.now()
        accepted: list[list[Any]] = []
        thorough: list[Row] = []
        points: list[int] = []  # positions in ``accepted`` of orders placed by coordinates
        lngs: list[float] = []
        lats: list[float] = []
        for row in rows:
            values = self._values(row, now)
            if values is None:
                thorough.append(row)
                continue
            if values[_GRID] is None:
                points.append(len(accepted))
                lngs.append(values[_LNG])
                lats.append(values[_LAT])
            accepted.append(values)
        placed = self._place(accepted, points, lngs, lats)
        orders: list[WorkOrder] = []
        department_of = self.directory.department
        subdistrict_of = self.directory.subdistrict_of
        department_index = self.index["department"]
        for values, row in placed:
            grid: Grid | None = values[_GRID]
            if grid is None:
                thorough.append(row)
                continue
            department_name = row[1][department_index].strip()
            if department_name:
                department = department_of(subdistrict_of[grid.id], department_name)
                if department is None:
                    thorough.append(row)
                    continue
                values[_DEPARTMENT] = department
            if values[_APPROXIMATE]:
                values[_LAT], values[_LNG] = self.directory.inside(grid)
            orders.append(WorkOrder._make(values))
        problems: list[Rejection] = []
        if thorough:
            more, problems = parse_batch(
                thorough,
                mapping=self.mapping,
                positions=self.positions,
                directory=self.directory,
                now=now,
            )
            orders = sorted(orders + more, key=lambda order: order.row)
        return orders, problems

    def _place(
        self, accepted: list[list[Any]], points: list[int], lngs: list[float], lats: list[float]
    ) -> list[tuple[list[Any], Row]]:
        """The batch's points placed in their grids at once (a point in no grid keeps None)."""
        if points:
            found = grid_index().locate_many(np.array(lngs), np.array(lats))
            grids = self.directory.grids_by_id
            for position, grid_id in zip(points, found.tolist(), strict=True):
                accepted[position][_GRID] = grids.get(grid_id)
        return [(values, values.pop()) for values in accepted]

    def _values(self, row: Row, now: datetime) -> list[Any] | None:
        """The work order's fields (grid None when it is placed by its point), with the row
        itself last; None when the row is not plainly good."""
        number, cells = row
        if len(cells) != self.width:
            return None
        cells.append("")
        index = self.index
        try:
            work_order = cells[index["number"]].strip()
            if not WORK_ORDER.match(work_order):
                return None
            received_at = self._moment(cells[index["received_at"]].strip())
            if received_at is None or received_at > now:
                return None
            description = cells[index["description"]].strip()
            if not description or len(description) > MAX_DESCRIPTION:
                return None
            category = self.categories.get(cells[index["category"]].strip())
            if category is None:
                return None
            address = cells[index["address"]].strip()
            if len(address) > MAX_ADDRESS:
                return None
            closed_text = cells[index["closed_at"]].strip()
            closed_at = None
            if closed_text:
                closed_at = self._moment(closed_text)
                if closed_at is None or closed_at < received_at or closed_at > now:
                    return None
            satisfaction_text = cells[index["satisfaction"]].strip()
            satisfaction = None
            if satisfaction_text:
                satisfaction = SCORES.get(satisfaction_text)
                if satisfaction is None or closed_at is None:
                    return None
            phone = cells[index["reporter_phone"]].strip()
            if phone and not PHONE.match(phone):
                return None
            lng_text = cells[index["lng"]].strip()
            lat_text = cells[index["lat"]].strip()
            grid: Grid | None = None
            lat = lng = 0.0
            if lng_text or lat_text:
                lng, lat = float(lng_text), float(lat_text)
                if not (-90 <= lat <= 90 and -180 <= lng <= 180):
                    return None
                if self.mapping.crs is not CRS.WGS84:
                    point = to_wgs84(lat, lng, self.mapping.crs)
                    lat, lng = point.lat, point.lng
            else:
                grid_code = cells[index["grid"]].strip()
                if grid_code:
                    grid = self.directory.grids_by_code.get(grid_code)
                elif address:
                    grid = self.directory.grid_in_address(address)
                if grid is None:
                    return None
        except (AttributeError, ValueError):  # a cell that is not text, a number that is not
            return None
        return [
            number,
            work_order,
            received_at,
            description,
            category,
            address,
            lat,
            lng,
            grid,
            grid is not None,  # placed by its code or address: approximate
            None,  # the department, once the grid is known
            closed_at,
            satisfaction,
            cells[index["reporter_name"]].strip()[:100],
            phone,
            row,
        ]

    def _moment(self, text: str) -> datetime | None:
        """The usual 2022-06-15 09:30[:00] (local time unless it says otherwise)."""
        if len(text) < 16 or text[10] != " ":
            return None
        moment = datetime.fromisoformat(text)
        return moment if moment.tzinfo else moment.replace(tzinfo=self.zone)


_FIELD_NAMES = (
    "number",
    "received_at",
    "description",
    "category",
    "address",
    "lng",
    "lat",
    "grid",
    "department",
    "closed_at",
    "satisfaction",
    "reporter_name",
    "reporter_phone",
)
