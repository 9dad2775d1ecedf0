"""The registry through which apps put cards on the role homes and entries in the navigation,
and what it puts on each role's home in the demo: the cards, the duties with their links, and
that every link of a home opens a page its role may see."""

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from jiedao.accounts.models import User
from jiedao.web import cards
from tests.roles import ALL_ROLES


def test_cards_come_back_by_order_then_as_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cards, "_providers", {})
    cards.register_cards(
        owner="b",
        provider=lambda user: [
            cards.Card(title="乙", url="/b/", order=20),
            cards.Card(title="甲", url="/a/", order=20),
        ],
    )
    cards.register_cards(
        owner="a", provider=lambda user: [cards.Card(title="丙", url="/c/", order=10, count=3)]
    )
    assert [(c.title, c.url, c.count) for c in cards.cards_for(None)] == [
        ("丙", "/c/", 3),
        ("乙", "/b/", None),
        ("甲", "/a/", None),
    ]


def test_an_owner_registers_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cards, "_providers", {})
    monkeypatch.setattr(cards, "_navigation", {})
    cards.register_cards(owner="x", provider=lambda user: [])
    with pytest.raises(ValueError, match="twice"):
        cards.register_cards(owner="x", provider=lambda user: [])
    cards.register_navigation(owner="x", entries=[("events.view", "X", "events:inbox")])
    with pytest.raises(ValueError, match="twice"):
        cards.register_navigation(owner="x", entries=[])
    assert cards.navigation_entries() == [("events.view", "X", "events:inbox")]


# --- Each role's home, on the demo ------------------------------------------------------------

# The cards each role's home shows, in order: title, where it leads, what it says. The counts
# are the apps' own tests' business. The legal reviewer is the demo's fazhi, an enforcement
# officer designated for the legal review (法制审核).
CARDS: dict[str, list[tuple[str, str, str]]] = {
    "resident": [
        ("消息通知", "/events/notifications/", "您上报的事件有了哪些新进展。"),
        (
            "上报事件",
            "/public/report/",
            "在居民公众门户上报：描述问题或需求，在地图上标出位置并附上照片；上报后会得到跟踪编号和查询码，凭此查看办理进度。",
        ),
        (
            "我的上报",
            "/events/all/",
            "用本账户上报的事件。在公众门户上报的事件，请在门户上凭跟踪编号和查询码查看。",
        ),
    ],
    "grid_worker": [
        ("待办", "/events/", "等待您办理下一步的事件，最紧急的排在最前。"),
        ("已超期", "/events/?tab=overdue", "待办中已超过时限的事件。"),
        ("消息通知", "/events/notifications/", "您办理或上报的事件有了哪些新进展。"),
        ("上报事件", "/events/report/", "巡查发现、来电、转办的问题：附位置和照片上报。"),
        ("我管辖范围内的事件", "/events/all/", "您可查看的全部事件，最新的在前，可筛选。"),
        ("需求清单", "/community/needs/", "本社区居民的需求，从收集到满足。"),
        ("吹哨报到", "/community/", "社区书记已吹哨的需求。"),
        ("垃圾分类", "/sanitation/", "小区、投放点、投放与巡检、积分与再生资源回收。"),
        ("物联感知报警", "/sensors/?state=open", "本辖区设备报警，列表与地图。"),
        (
            "小区红黄黑榜",
            "/sanitation/board/",
            "本月各小区得分、排名和榜单颜色，以及已发布的榜单。",
        ),
    ],
    "grid_lead": [
        ("消息通知", "/events/notifications/", "您办理或上报的事件有了哪些新进展。"),
        ("上报事件", "/events/report/", "巡查发现、来电、转办的问题：附位置和照片上报。"),
        ("我管辖范围内的事件", "/events/all/", "您可查看的全部事件，最新的在前，可筛选。"),
        ("需求清单", "/community/needs/", "本社区居民的需求，从收集到满足。"),
        ("吹哨报到", "/community/", "社区书记已吹哨的需求。"),
        ("社区基金", "/community/fund/", "基金台账：注资、承诺、拨付、可用。"),
        ("重点任务", "/supervision/", "牵头单位尚未报送的重点任务进展。"),
        ("垃圾分类", "/sanitation/", "小区、投放点、投放与巡检、积分与再生资源回收。"),
        ("物联感知报警", "/sensors/?state=open", "本辖区设备报警，列表与地图。"),
        (
            "小区红黄黑榜",
            "/sanitation/board/",
            "本月各小区得分、排名和榜单颜色，以及已发布的榜单。",
        ),
    ],
    "dispatcher": [
        (
            "领导驾驶舱",
            "/cockpit/",
            "各业务数据一屏总览：网格地图、关键指标、趋势与排名，每分钟自动刷新。",
        ),
        ("待办", "/events/", "等待您办理下一步的事件，最紧急的排在最前。"),
        ("已超期", "/events/?tab=overdue", "待办中已超过时限的事件。"),
        ("消息通知", "/events/notifications/", "您办理或上报的事件有了哪些新进展。"),
        ("综合查一次", "/enforcement/inspections/", "进一次门，查多项事，一张问题清单。"),
        ("整改事项", "/enforcement/rectifications/", "发现的问题、整改期限与复查。"),
        ("上报事件", "/events/report/", "巡查发现、来电、转办的问题：附位置和照片上报。"),
        ("我管辖范围内的事件", "/events/all/", "您可查看的全部事件，最新的在前，可筛选。"),
        ("需求清单", "/community/needs/", "街道各社区居民的需求，从收集到满足。"),
        ("吹哨报到", "/community/", "社区书记已吹哨的需求。"),
        ("社区基金", "/community/fund/", "基金台账：注资、承诺、拨付、可用。"),
        ("重点任务", "/supervision/", "牵头单位尚未报送的重点任务进展。"),
        ("垃圾分类", "/sanitation/", "小区、投放点、投放与巡检、积分与再生资源回收。"),
        ("物联感知报警", "/sensors/?state=open", "本辖区设备报警，列表与地图。"),
        (
            "小区红黄黑榜",
            "/sanitation/board/",
            "本月各小区得分、排名和榜单颜色，以及已发布的榜单。",
        ),
    ],
    "department_handler": [
        ("待办", "/events/", "等待您办理下一步的事件，最紧急的排在最前。"),
        ("已超期", "/events/?tab=overdue", "待办中已超过时限的事件。"),
        ("消息通知", "/events/notifications/", "您办理或上报的事件有了哪些新进展。"),
        ("综合查一次", "/enforcement/inspections/", "进一次门，查多项事，一张问题清单。"),
        ("整改事项", "/enforcement/rectifications/", "发现的问题、整改期限与复查。"),
        ("上报事件", "/events/report/", "巡查发现、来电、转办的问题：附位置和照片上报。"),
        ("我管辖范围内的事件", "/events/all/", "您可查看的全部事件，最新的在前，可筛选。"),
        ("需求清单", "/community/needs/", "街道各社区居民的需求，从收集到满足。"),
        ("吹哨报到", "/community/", "社区书记已吹哨的需求。"),
        ("重点任务", "/supervision/", "本部门尚未报送的重点任务进展。"),
        ("垃圾分类", "/sanitation/", "小区、投放点、投放与巡检、积分与再生资源回收。"),
        ("指标", "/indicators/", "本部门负责的指标：填报数值和目标。"),
        ("物联感知报警", "/sensors/?state=open", "本辖区设备报警，列表与地图。"),
        (
            "小区红黄黑榜",
            "/sanitation/board/",
            "本月各小区得分、排名和榜单颜色，以及已发布的榜单。",
        ),
    ],
    "enforcement_officer": [
        ("待办", "/events/", "等待您办理下一步的事件，最紧急的排在最前。"),
        ("已超期", "/events/?tab=overdue", "待办中已超过时限的事件。"),
        ("消息通知", "/events/notifications/", "您办理或上报的事件有了哪些新进展。"),
        ("综合查一次", "/enforcement/inspections/", "进一次门，查多项事，一张问题清单。"),
        ("整改事项", "/enforcement/rectifications/", "发现的问题、整改期限与复查。"),
        ("行政处罚案件", "/enforcement/cases/", "办理中的案件及其法定时限。"),
        ("双公示", "/enforcement/cases/?disclosure=pending", "行政处罚决定须在七个工作日内公示。"),
        ("上报事件", "/events/report/", "巡查发现、来电、转办的问题：附位置和照片上报。"),
        ("我管辖范围内的事件", "/events/all/", "您可查看的全部事件，最新的在前，可筛选。"),
        ("重点任务", "/supervision/", "本部门尚未报送的重点任务进展。"),
        ("指标", "/indicators/", "本部门负责的指标：填报数值和目标。"),
        ("物联感知报警", "/sensors/?state=open", "本辖区设备报警，列表与地图。"),
        (
            "小区红黄黑榜",
            "/sanitation/board/",
            "本月各小区得分、排名和榜单颜色，以及已发布的榜单。",
        ),
    ],
    "supervisor": [
        (
            "领导驾驶舱",
            "/cockpit/",
            "各业务数据一屏总览：网格地图、关键指标、趋势与排名，每分钟自动刷新。",
        ),
        ("消息通知", "/events/notifications/", "您办理或上报的事件有了哪些新进展。"),
        ("综合查一次", "/enforcement/inspections/", "进一次门，查多项事，一张问题清单。"),
        ("整改事项", "/enforcement/rectifications/", "发现的问题、整改期限与复查。"),
        ("行政处罚案件", "/enforcement/cases/", "办理中的案件及其法定时限。"),
        ("双公示", "/enforcement/cases/?disclosure=pending", "行政处罚决定须在七个工作日内公示。"),
        ("法制审核人员", "/enforcement/reviewers/", "负责案件法制审核的指定人员。"),
        ("上报事件", "/events/report/", "巡查发现、来电、转办的问题：附位置和照片上报。"),
        ("我管辖范围内的事件", "/events/all/", "您可查看的全部事件，最新的在前，可筛选。"),
        ("需求清单", "/community/needs/", "街道各社区居民的需求，从收集到满足。"),
        ("吹哨报到", "/community/", "社区书记已吹哨的需求。"),
        ("社区基金", "/community/fund/", "基金台账：注资、承诺、拨付、可用。"),
        ("重点任务", "/supervision/behind/", "牵头单位尚未报送的重点任务进展。"),
        ("垃圾分类", "/sanitation/", "小区、投放点、投放与巡检、积分与再生资源回收。"),
        ("待审核数据", "/indicators/reports/", "从文字报告中读出、等待确认的数据。"),
        ("指标", "/indicators/", "经济和民生指标及其目标完成情况。"),
        ("物联感知报警", "/sensors/?state=open", "本辖区设备报警，列表与地图。"),
        (
            "小区红黄黑榜",
            "/sanitation/board/",
            "本月各小区得分、排名和榜单颜色，以及已发布的榜单。",
        ),
    ],
    "social_organisation": [
        ("需求清单", "/community/needs/", "本社区居民的需求，从收集到满足。"),
        ("吹哨报到", "/community/", "社区书记已吹哨的需求。"),
    ],
    "administrator": [
        (
            "领导驾驶舱",
            "/cockpit/",
            "各业务数据一屏总览：网格地图、关键指标、趋势与排名，每分钟自动刷新。",
        ),
        ("消息通知", "/events/notifications/", "您办理或上报的事件有了哪些新进展。"),
        ("综合查一次", "/enforcement/inspections/", "进一次门，查多项事，一张问题清单。"),
        ("整改事项", "/enforcement/rectifications/", "发现的问题、整改期限与复查。"),
        ("行政处罚案件", "/enforcement/cases/", "办理中的案件及其法定时限。"),
        ("法制审核人员", "/enforcement/reviewers/", "负责案件法制审核的指定人员。"),
        ("我管辖范围内的事件", "/events/all/", "您可查看的全部事件，最新的在前，可筛选。"),
        ("需求清单", "/community/needs/", "街道各社区居民的需求，从收集到满足。"),
        ("吹哨报到", "/community/", "社区书记已吹哨的需求。"),
        ("社区基金", "/community/fund/", "基金台账：注资、承诺、拨付、可用。"),
        ("重点任务", "/supervision/behind/", "牵头单位尚未报送的重点任务进展。"),
        ("垃圾分类", "/sanitation/", "小区、投放点、投放与巡检、积分与再生资源回收。"),
        ("指标", "/indicators/", "经济和民生指标及其目标完成情况。"),
        (
            "用户管理",
            "/manage/users/",
            "新建账户，调整角色和范围，停用账户，重置密码，解除登录锁定。",
        ),
        ("物联感知报警", "/sensors/?state=open", "本辖区设备报警，列表与地图。"),
        (
            "社区和网格",
            "/manage/places/",
            "新建社区和村；更名或撤销社区、村及其网格；上传边界（GeoJSON），保存前在地图上核对。",
        ),
        (
            "小区红黄黑榜",
            "/sanitation/board/",
            "本月各小区得分、排名和榜单颜色，以及已发布的榜单。",
        ),
        ("部门", "/manage/places/departments/", "新建、修改、撤销部门及其职责。"),
        ("职责清单", "/manage/duties/", "各类事件按社区分派给哪个部门。"),
    ],
    "legal_reviewer": [
        ("待办", "/events/", "等待您办理下一步的事件，最紧急的排在最前。"),
        ("已超期", "/events/?tab=overdue", "待办中已超过时限的事件。"),
        ("消息通知", "/events/notifications/", "您办理或上报的事件有了哪些新进展。"),
        ("综合查一次", "/enforcement/inspections/", "进一次门，查多项事，一张问题清单。"),
        ("整改事项", "/enforcement/rectifications/", "发现的问题、整改期限与复查。"),
        ("行政处罚案件", "/enforcement/cases/", "办理中的案件及其法定时限。"),
        ("双公示", "/enforcement/cases/?disclosure=pending", "行政处罚决定须在七个工作日内公示。"),
        ("待法制审核", "/enforcement/cases/?to_review=1", "送交您法制审核的案件。"),
        ("上报事件", "/events/report/", "巡查发现、来电、转办的问题：附位置和照片上报。"),
        ("我管辖范围内的事件", "/events/all/", "您可查看的全部事件，最新的在前，可筛选。"),
        ("重点任务", "/supervision/", "本部门尚未报送的重点任务进展。"),
        ("指标", "/indicators/", "本部门负责的指标：填报数值和目标。"),
        ("物联感知报警", "/sensors/?state=open", "本辖区设备报警，列表与地图。"),
        (
            "小区红黄黑榜",
            "/sanitation/board/",
            "本月各小区得分、排名和榜单颜色，以及已发布的榜单。",
        ),
    ],
}

# The duties each role"s home lists ("您在平台上的工作"): the text and the page it links to.
DUTIES: dict[str, list[tuple[str, str | None]]] = {
    "resident": [
        ("上报问题或需求，可在地图上标注位置并附上照片", "/public/report/"),
        ("凭编号查询办理进度", "/public/follow/"),
        ("办结后评价处理结果", None),
    ],
    "grid_worker": [
        ("巡查网格，采集事件（网格采集）", None),
        ("能自行处置的小问题就地解决", None),
        ("其余事件上报，由指挥中心派遣到责任部门", "/events/report/"),
        ("事件结案前核查处置结果", "/events/"),
    ],
    "grid_lead": [
        ("跟踪本社区每个网格的事件", "/events/all/"),
        ("对超时的事件进行催办", None),
        ("问题需要多个部门协同时，吹哨召集部门报到", None),
        ("评估居民需求，并将其对接到社会组织或部门", "/community/needs/"),
    ],
    "dispatcher": [
        ("受理并立案上报的事件，或说明理由不予立案", "/events/"),
        ("将事件派遣到责任部门", None),
        ("接收部门以非本部门职责为由退回的事件", None),
        ("对临期或超期事件进行督办、催办", "/events/all/"),
        ("导入 12345 热线工单", "/events/import/"),
        ("对不宜公开的上报，在居民公众门户上隐藏", "/public/moderation/"),
    ],
    "department_handler": [
        ("处置派遣到本部门的事件并反馈结果", "/events/"),
        ("退回不属于本部门职责的事件，并说明理由", None),
        ("事件需要更多时间时申请延期", None),
        ("社区为本部门吹哨时到场报到（吹哨报到）", "/community/"),
        ("报送本部门牵头的重点任务进展", "/supervision/"),
    ],
    "enforcement_officer": [
        ("处置派遣到本部门的事件并反馈结果", "/events/"),
        ("本部门被召集处置事件时报到（吹哨报到）", None),
        ("安排联合检查（综合查一次），在现场逐项记录检查清单", "/enforcement/inspections/"),
        ("跟踪检查发现的整改事项，并按期复查", "/enforcement/rectifications/"),
        ("办理行政处罚案件：立案、调查取证、法制审核，直至作出决定", "/enforcement/cases/"),
        ("在七个工作日内公示行政处罚决定（双公示）", "/enforcement/cases/?disclosure=pending"),
        ("被指定为法制审核人员后，审核其他队员办理的案件（法制审核）", None),
    ],
    "supervisor": [
        ("督办重点任务及其序时进度", "/supervision/"),
        ("在数据看板上关注结案率和按期结案率", "/events/dashboard/"),
        ("在月度排名中比较各部门和网格", "/events/dashboard/"),
        ("在领导驾驶舱查看各项业务数据", "/cockpit/"),
        ("被指定为法制审核人员后，在作出决定前审核行政处罚案件（法制审核）", None),
    ],
    "social_organisation": [
        ("响应本社区的吹哨（吹哨报到），说明本组织将承担的工作，完成后及时反馈", "/community/"),
        ("查看本社区的居民需求，以及对接给本组织的需求", "/community/needs/"),
        ("申报公益创投项目，并报送获资助项目的节点进展", "/community/grants/"),
        ("安排本组织开展的活动和培训，举办后及时登记", "/community/activities/"),
    ],
    "administrator": [
        ("设置社区、村和网格及其边界", "/manage/places/"),
        ("设置部门及其职责清单", "/manage/places/departments/"),
        ("确定各类事件由哪个部门办理", "/manage/duties/"),
        ("创建用户，并为其指定角色和管辖范围", "/manage/users/"),
        ("查阅审计日志", "/audit/"),
    ],
    "legal_reviewer": [
        ("处置派遣到本部门的事件并反馈结果", "/events/"),
        ("本部门被召集处置事件时报到（吹哨报到）", None),
        ("安排联合检查（综合查一次），在现场逐项记录检查清单", "/enforcement/inspections/"),
        ("跟踪检查发现的整改事项，并按期复查", "/enforcement/rectifications/"),
        ("办理行政处罚案件：立案、调查取证、法制审核，直至作出决定", "/enforcement/cases/"),
        ("在七个工作日内公示行政处罚决定（双公示）", "/enforcement/cases/?disclosure=pending"),
        ("被指定为法制审核人员后，审核其他队员办理的案件（法制审核）", None),
    ],
}


def home_user(users: dict[str, Any], role: str) -> Any:
    if role == "legal_reviewer":
        return User.objects.get(username="fazhi")
    return users[role]


def home_page(user: Any) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def duties(page: str) -> list[tuple[str, str | None]]:
    section = re.search(r'aria-labelledby="duties-title">(.*?)</section>', page, re.DOTALL)
    assert section, "no duties"
    items = re.search(r'<ul class="duty-list">(.*?)</ul>', section.group(1), re.DOTALL)
    assert items, "no duty list"
    found = []
    for item in re.findall(r"<li>(.*?)</li>", items.group(1), re.DOTALL):
        link = re.search(r'href="([^"]+)"', item)
        text = html.unescape(re.sub(r"<[^>]+>", "", item)).strip()
        found.append((text, html.unescape(link.group(1)) if link else None))
    return found


def main_links(page: str) -> list[str]:
    """Every address the page's content links to (not the navigation), once, in order."""
    main = page.split('<main class="page" id="content">', 1)[1].split("</main>", 1)[0]
    return list(dict.fromkeys(html.unescape(url) for url in re.findall(r'href="(/[^"]*)"', main)))


@pytest.mark.parametrize("role", [*ALL_ROLES, "legal_reviewer"])
def test_each_home_shows_the_cards_of_its_role(users, role):
    with translation.override("zh-hans"):
        shown = [
            (str(card.title), card.url, str(card.description))
            for card in cards.cards_for(home_user(users, role))
        ]

    assert shown == CARDS[role]


@pytest.mark.parametrize("role", [*ALL_ROLES, "legal_reviewer"])
def test_each_home_says_what_the_role_does_and_links_its_pages(users, role):
    page = home_page(home_user(users, role))

    assert duties(page) == DUTIES[role]


@pytest.mark.parametrize("role", [*ALL_ROLES, "legal_reviewer"])
def test_every_link_of_a_home_opens_a_page_the_role_may_see(users, role):
    user = home_user(users, role)
    client = Client()
    client.force_login(user)

    links = main_links(home_page(user))

    assert links
    for url in links:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url


def test_the_resident_reports_on_the_portal(users):
    page = home_page(users["resident"])

    report = re.search(
        r'<a href="([^"]+)" class="home-card-link">\s*<span class="home-card-title">上报事件</span>',
        page,
    )
    assert report
    assert report.group(1) == "/public/report/"
    assert 'href="/events/report/"' not in page.split("<main", 1)[1]
    assert "巡查发现、来电、转办" not in page
