import pytest

from jiedao.geo.models import Community, Grid

pytestmark = pytest.mark.django_db


def test_demo_loads_wenyan_communities_and_grids(wenyan_demo):
    assert wenyan_demo == {
        "created": 1,
        "communities": 7,
        "grids": 35,
        "departments": 11,
        "users": 10,
    }
    assert list(Community.objects.values_list("name", flat=True)) == [
        "三江社区",
        "江澜社区",
        "南岸社区",
        "湘湖人家社区",
        "长安村",
        "黄山村",
        "山河村",
    ]
    assert Grid.objects.filter(is_synthetic=True).count() == 35


def test_grid_worker_api_sees_only_own_grid(client_for):
    response = client_for("grid_worker").get("/api/geo/grids")
    assert response.status_code == 200
    assert [grid["code"] for grid in response.json()] == ["330109012001001"]
