"""Coordinate reference systems used by phones in China, converted to the WGS-84 we store.

Amap and Tencent report GCJ-02, Baidu reports BD-09; GPS and our database use WGS-84. The
conversions are those of the public-domain ``prcoords`` library; GCJ-02 → WGS-84 uses its
iterative inverse, which is exact to about a centimetre instead of the usual few metres.

GCJ-02 only shifts points inside China; outside it GCJ-02 equals WGS-84 (BD-09 still adds
Baidu's own offset). ``prcoords`` warns there, and its iterative inverse would shift the point
anyway, so the check is made here.
"""

from dataclasses import dataclass
from enum import StrEnum

import prcoords
from django.utils.translation import gettext_lazy as _

from .errors import InvalidInput


class CRS(StrEnum):
    WGS84 = "wgs84"
    GCJ02 = "gcj02"
    BD09 = "bd09"


@dataclass(frozen=True)
class LatLng:
    lat: float
    lng: float


def parse_crs(value: str | None) -> CRS:
    if value is None or value == "":
        return CRS.WGS84
    try:
        return CRS(value.lower())
    except ValueError:
        raise InvalidInput(
            _("Unknown coordinate system “%(value)s”: use wgs84, gcj02 or bd09.")
            % {"value": value},
            code="unknown_crs",
            field="crs",
        ) from None


def validate_latlng(lat: float, lng: float) -> LatLng:
    if not -90 <= lat <= 90:
        raise InvalidInput(
            _("Latitude %(lat)s is out of range: it must be between -90 and 90.") % {"lat": lat},
            code="out_of_range",
            field="lat",
        )
    if not -180 <= lng <= 180:
        raise InvalidInput(
            _("Longitude %(lng)s is out of range: it must be between -180 and 180.") % {"lng": lng},
            code="out_of_range",
            field="lng",
        )
    return LatLng(lat, lng)


def to_wgs84(lat: float, lng: float, crs: CRS) -> LatLng:
    """Convert a point given in ``crs`` to WGS-84, after checking its range."""
    validate_latlng(lat, lng)
    point = prcoords.Coords(lat, lng)
    if crs is CRS.BD09:
        point = prcoords.bd_gcj_bored(point)
    if crs is not CRS.WGS84 and prcoords.sanity_in_china_p(point):
        point = prcoords.gcj_wgs_bored(point)
    return LatLng(point.lat, point.lon)


def from_wgs84(lat: float, lng: float, crs: CRS) -> LatLng:
    """Convert a stored WGS-84 point for a client that draws in ``crs`` (e.g. an Amap page)."""
    validate_latlng(lat, lng)
    point = prcoords.Coords(lat, lng)
    if crs is not CRS.WGS84 and prcoords.sanity_in_china_p(point):
        point = prcoords.wgs_gcj(point)
    if crs is CRS.BD09:
        point = prcoords.gcj_bd(point)
    return LatLng(point.lat, point.lon)
