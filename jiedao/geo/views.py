import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jiedao.web.errors import render_application_errors

from . import selectors


@login_required
@render_application_errors
def map_page(request: HttpRequest) -> HttpResponse:
    grids = selectors.grids_feature_collection(user=request.user)
    communities = selectors.communities_feature_collection(user=request.user)
    subdistricts = list(selectors.subdistrict_list(user=request.user))
    center = subdistricts[0] if subdistricts else None
    return render(
        request,
        "geo/map.html",
        {
            "grids_json": json.dumps(grids, ensure_ascii=False),
            "communities_json": json.dumps(communities, ensure_ascii=False),
            "grid_count": len(grids["features"]),
            "community_count": len(communities["features"]),
            "center": center,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "has_synthetic": any(f["properties"]["synthetic"] for f in grids["features"]),
        },
    )


@login_required
@render_application_errors
def grid_detail(request: HttpRequest, code: str) -> HttpResponse:
    grid = selectors.grid_get(user=request.user, code=code)
    feature = selectors.grid_feature(grid)
    return render(
        request,
        "geo/grid_detail.html",
        {
            "grid": grid,
            "feature_json": json.dumps(feature, ensure_ascii=False),
            "tile_url": settings.MAP_TILE_URL,
        },
    )


@login_required
@render_application_errors
def community_detail(request: HttpRequest, code: str) -> HttpResponse:
    community = selectors.community_get(user=request.user, code=code)
    grids = selectors.grid_list(user=request.user, community_code=code)
    collection = {
        "type": "FeatureCollection",
        "features": [selectors.grid_feature(grid) for grid in grids],
    }
    return render(
        request,
        "geo/community_detail.html",
        {
            "community": community,
            "grids": grids,
            "grids_json": json.dumps(collection, ensure_ascii=False),
            "community_json": json.dumps(
                selectors.community_feature(community), ensure_ascii=False
            ),
            "tile_url": settings.MAP_TILE_URL,
        },
    )
