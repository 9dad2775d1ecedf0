"""The public maps' layers as GeoJSON: the grids' outlines and the public events' rounded points."""

from collections.abc import Iterable
from typing import Any

from jiedao.geo.models import Grid

from .selectors import PublicEvent


def public_grid_features() -> dict[str, Any]:
    """The grids as GeoJSON (name and outline only), for the public maps."""
    features = [
        {
            "type": "Feature",
            "properties": {"name": grid.name, "community": grid.community.name},
            "geometry": grid.boundary,
        }
        for grid in Grid.objects.select_related("community").order_by("code")
    ]
    return {"type": "FeatureCollection", "features": features}


def public_event_features(events: Iterable[PublicEvent]) -> dict[str, Any]:
    """Public events as GeoJSON points at their rounded locations."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "number": item.number,
                    "category": item.service_name,
                    "status": item.status_label,
                    "is_open": item.is_open,
                },
                "geometry": {"type": "Point", "coordinates": [item.lng, item.lat]},
            }
            for item in events
        ],
    }
