"""Wenyan subdistrict (闻堰街道), Xiaoshan district, Hangzhou: the shipped demo.

Names of communities, villages and departments come from the two Wenyan documents in
``shared/seeds``. Their real boundaries are not public, so the polygons are **synthetic**: a
plausible outline around 30.12°N 120.21°E cut into communities and grids with Voronoi cells.
Every boundary is flagged ``is_synthetic`` and the map says so. The county code 330109 is
Xiaoshan's GB/T 2260 code; the subdistrict, community and grid sequence numbers are ours.
"""

import random
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import MultiPoint, Polygon, mapping
from shapely.geometry.base import BaseGeometry

SUBDISTRICT: dict[str, Any] = {
    "name": "闻堰街道",
    "code": "330109012",
    "district_name": "萧山区",
    "center_lat": 30.12,
    "center_lng": 120.21,
}

# (sequence, name, kind, seed point (lng, lat), number of grids)
COMMUNITIES = [
    ("001", "三江社区", "community", (120.222, 30.128), 6),
    ("002", "江澜社区", "community", (120.200, 30.131), 6),
    ("003", "南岸社区", "community", (120.214, 30.117), 5),
    ("004", "湘湖人家社区", "community", (120.192, 30.118), 5),
    ("005", "长安村", "village", (120.234, 30.112), 5),
    ("006", "黄山村", "village", (120.203, 30.104), 4),
    ("007", "山河村", "village", (120.224, 30.100), 4),
]

# An irregular outline of about 5 × 4 km: the Qiantang and Fuchun rivers meet at its north-east.
OUTLINE = Polygon(
    [
        (120.180, 30.112),
        (120.186, 30.131),
        (120.199, 30.142),
        (120.218, 30.141),
        (120.236, 30.133),
        (120.246, 30.119),
        (120.243, 30.101),
        (120.229, 30.091),
        (120.205, 30.092),
        (120.188, 30.099),
        (120.180, 30.112),
    ]
)

DEPARTMENTS = [
    (
        "command-centre",
        "基层治理综合信息指挥室",
        "office",
        "一网统管事件受理、立案、派遣、督办\n网格事件流转首接负责",
    ),
    (
        "enforcement",
        "综合行政执法队",
        "enforcement",
        "市容环境、占道经营、违章搭建执法\n综合查一次联合检查\n行政处罚立案、调查、决定、执行",
    ),
    ("police", "闻堰派出所", "police", "治安防控、矛盾纠纷化解\n电信网络诈骗防范\n道路交通秩序"),
    ("market", "闻堰市场监管所", "market_regulation", "食品安全、无证经营、价格与广告监管"),
    ("economy", "经济发展办公室", "office", "企业服务、项目推进、统计\n村级留用地开发"),
    (
        "community-service",
        "社区服务办公室",
        "community_service",
        "居家养老、婴幼儿照护、社会救助、残疾人服务\n社会组织、公益创投、现代社区建设",
    ),
    (
        "city-management",
        "城市综合管理队",
        "office",
        "垃圾分类与再生资源回收\n市容环境卫生、河道保洁\n城市家具与路灯、井盖维护",
    ),
    ("safety", "平安办", "office", "消防安全、电动自行车充电安全\n安全生产检查、信访调解"),
    ("agriculture", "农业农村办公室", "office", "违法用地整治、耕地保护\n河道治理、小河长制"),
    ("construction", "建设管理办公室", "office", "安置房建设、道路与管网工程\n施工扰民协调"),
    ("water", "萧山水务闻堰供水站", "utility", "供水管网抢修、水质"),
]

DEMO_PASSWORD = "Wenyan-demo-2026"  # noqa: S105 - published in the README for the demo

# (username, full name, role, scope: community sequence / grid sequence / department code)
USERS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("admin", "系统管理员", "administrator", {}),
    ("zhihui", "陈指挥", "dispatcher", {}),
    ("wangge", "王网格", "grid_worker", {"grid": ("001", "001")}),
    ("sanjiang", "李书记", "grid_lead", {"community": "001"}),
    ("chengguan", "赵城管", "department_handler", {"department": "city-management"}),
    ("zhifa", "周执法", "enforcement_officer", {"department": "enforcement"}),
    # The enforcement team's legal reviewer (法制审核员), designated by the enforcement demo.
    ("fazhi", "孙法审", "enforcement_officer", {"department": "enforcement"}),
    ("lingdao", "柳主任", "supervisor", {}),
    ("shegong", "三江社工站", "social_organisation", {"community": "001"}),
    ("jumin", "张居民", "resident", {}),
]


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    geometry: BaseGeometry


def _clean(geometry: BaseGeometry) -> BaseGeometry:
    # 1e-6° is about 10 cm: enough for a grid boundary, and keeps shared edges identical.
    cleaned = shapely.set_precision(geometry, 1e-6)
    if cleaned.geom_type == "MultiPolygon":
        cleaned = max(cleaned.geoms, key=lambda part: part.area)
    return cleaned


def _cells(region: BaseGeometry, seeds: list[tuple[float, float]]) -> list[BaseGeometry]:
    """Voronoi cells of ``seeds`` clipped to ``region``, in the order of the seeds."""
    cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=region)
    ordered = []
    for seed in seeds:
        point = shapely.Point(seed)
        cell = next(c for c in cells.geoms if c.covers(point))
        ordered.append(_clean(cell.intersection(region)))
    return ordered


def community_areas() -> list[Area]:
    seeds = [seed for _seq, _name, _kind, seed, _n in COMMUNITIES]
    cells = _cells(OUTLINE, seeds)
    return [
        Area(SUBDISTRICT["code"] + seq, name, cell)
        for (seq, name, _kind, _seed, _n), cell in zip(COMMUNITIES, cells, strict=True)
    ]


def grid_areas(community: Area, count: int) -> list[Area]:
    # A fixed seed per community so that every installation draws the same demo map.
    rng = random.Random(int(community.code))
    min_x, min_y, max_x, max_y = community.geometry.bounds
    seeds: list[tuple[float, float]] = []
    while len(seeds) < count:
        point = (rng.uniform(min_x, max_x), rng.uniform(min_y, max_y))
        if community.geometry.buffer(-0.0008).contains(shapely.Point(point)):
            seeds.append(point)
    seeds.sort(key=lambda p: (-round(p[1], 3), p[0]))  # numbered north to south, west to east
    cells = _cells(community.geometry, seeds)
    return [
        Area(f"{community.code}{number:03d}", f"{community.name}第{number}网格", cell)
        for number, cell in enumerate(cells, start=1)
    ]


def geojson(geometry: BaseGeometry) -> dict[str, Any]:
    data = mapping(geometry)
    return {"type": data["type"], "coordinates": _lists(data["coordinates"])}


def _lists(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_lists(item) for item in value]
    return value
