from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from jiedao.core.http import JiedaoRequest
from jiedao.web.errors import render_application_errors

from . import selectors


def _map_settings() -> dict[str, str]:
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


@login_required
@render_application_errors
def map_page(request: JiedaoRequest) -> HttpResponse:
    """The communities and grids of the user's scope on one map (a grid worker: their grid)."""
    grids = selectors.grids_feature_collection(user=request.user)
    communities = selectors.communities_feature_collection(user=request.user)
    features = grids["features"] + communities["features"]
    return render(
        request,
        "geo/map.html",
        {
            "grids": grids,
            "communities": communities,
            "grid_count": len(grids["features"]),
            "community_count": len(communities["features"]),
            "subdistrict": selectors.subdistrict_list(user=request.user).first(),
            "has_synthetic": any(feature["properties"]["synthetic"] for feature in features),
            **_map_settings(),
        },
    )


@login_required
@render_application_errors
def grid_detail(request: JiedaoRequest, code: str) -> HttpResponse:
    grid = selectors.grid_get(user=request.user, code=code)
    return render(
        request,
        "geo/grid_detail.html",
        {
            "grid": grid,
            "grids": {"type": "FeatureCollection", "features": [selectors.grid_feature(grid)]},
            "communities": {
                "type": "FeatureCollection",
                "features": [selectors.community_feature(grid.community)],
            },
            **_map_settings(),
        },
    )


@login_required
@render_application_errors
def community_detail(request: JiedaoRequest, code: str) -> HttpResponse:
    community = selectors.community_get(user=request.user, code=code)
    grids = list(selectors.grid_list(user=request.user, community_code=code))
    return render(
        request,
        "geo/community_detail.html",
        {
            "community": community,
            "grid_list": grids,
            "grids": {
                "type": "FeatureCollection",
                "features": [selectors.grid_feature(grid) for grid in grids],
            },
            "communities": {
                "type": "FeatureCollection",
                "features": [selectors.community_feature(community)],
            },
            **_map_settings(),
        },
    )
