"""The pages of the foundation, for each role: home, map, grid and community detail, audit trail,
sign-in and lockout, language switch. The test client sends no Accept-Language, so pages are in
Chinese, the default."""

import json
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client

from jiedao.audit.models import AuditEntry
from jiedao.audit.views import changed_fields
from jiedao.demo import wenyan
from jiedao.geo.models import Community
from tests.roles import ALL_ROLES, STAFF_ROLES

pytestmark = pytest.mark.django_db


# The demo: community 001 (三江社区) has 6 grids; the subdistrict 7 communities and 35 grids.
SANJIANG_GRIDS = [f"330109012001{number:03d}" for number in range(1, 7)]
OWN_GRID = "330109012001001"
OTHER_GRID = "330109012002001"  # 江澜社区第1网格
OWN_COMMUNITY = "330109012001"
OTHER_COMMUNITY = "330109012002"
COMMUNITY_CODES = [f"330109012{number:03d}" for number in range(1, 8)]
# Roles that see one community (grid worker: only their grid of it) and roles that see all.
COMMUNITY_SCOPED = {"grid_worker", "grid_lead", "social_organisation"}

NOT_IN_SCOPE = "未找到，或不在您的管辖范围内。"


def html(response: Any) -> str:
    return response.content.decode()


def links_to(page: str, prefix: str) -> list[str]:
    """The codes of the links to ``prefix<code>/`` in the page, in order, without repeats."""
    codes = re.findall(rf'href="{re.escape(prefix)}(\d+)/"', page)
    return list(dict.fromkeys(codes))


def json_script(page: str, element_id: str) -> Any:
    match = re.search(
        rf'<script id="{re.escape(element_id)}" type="application/json">(.*?)</script>',
        page,
        re.DOTALL,
    )
    assert match, f"no json_script {element_id}"
    return json.loads(match.group(1))


# --- Home ----------------------------------------------------------------------------------

HOME_CONTENT = {
    "resident": ["您好，张居民", "居民", "请在居民公众门户上报"],
    "grid_worker": ["您好，王网格", "您的网格", "三江社区第1网格", OWN_GRID, "三江社区"],
    "grid_lead": ["您好，李书记", "您的社区", "三江社区", "6 个网格"],
    "dispatcher": ["您好，陈指挥", "闻堰街道的社区和村", "7 个社区/村", "35 个网格", "11 个部门"],
    "department_handler": ["您好，赵城管", "您的部门", "城市综合管理队", "垃圾分类与再生资源回收"],
    "enforcement_officer": ["您好，周执法", "您的部门", "综合行政执法队", "吹哨报到"],
    "supervisor": ["您好，柳主任", "闻堰街道的社区和村", "7 个社区/村", "35 个网格"],
    "social_organisation": ["您好，三江社工站", "您的社区", "三江社区", "6 个网格"],
    "administrator": ["您好，系统管理员", "审计日志", "系统配置（Django 管理后台）", "35 个网格"],
}

ROLE_SUMMARY = {
    "resident": "居民上报问题和需求，跟踪办理进度，并评价处理结果。",
    "grid_worker": "网格员巡查网格，采集事件，就地处置小事，并核查处置结果。",
    "grid_lead": "网格长和社区书记跟踪本社区各网格的事件，催办超时事件，并吹哨召集部门。",
    "dispatcher": "指挥中心调度员受理或不予立案上报的事件，将事件派遣到部门，并督办直至结案。",
    "department_handler": (
        "部门处置人员处置派遣到本部门的事件，退回不属于本部门职责的事件，并可申请延期。"
    ),
    "enforcement_officer": (
        "综合执法队员处置派遣到执法队的事件，开展联合检查（综合查一次）并跟踪所发现问题的整改，"
        "办理行政处罚案件从立案到作出决定，并公示处罚决定（双公示）。"
    ),
    "supervisor": "街道领导和督查室掌握全街道的重点任务、数据看板和排名。",
    "social_organisation": (
        "社会组织承接社区为其对接的居民需求，在社区书记吹哨时报到（吹哨报到），申报公益创投项目，"
        "并报送项目和活动情况。"
    ),
    "administrator": (
        "系统管理员负责设置街道的社区和村、网格和部门，确定各类事件由哪个部门办理，创建用户，"
        "并关注审计日志。"
    ),
}


def test_home_shows_the_role_its_work_and_its_scope(client_for, subtests):
    for role in ALL_ROLES:
        with subtests.test(role=role):
            response = client_for(role).get("/")

            assert response.status_code == 200
            assert [template.name for template in response.templates][:2] == [
                f"web/home/{role}.html",
                "web/home/_layout.html",
            ]
            page = html(response)
            assert ROLE_SUMMARY[role] in page
            for content in HOME_CONTENT[role]:
                assert content in page


def test_resident_home_shows_no_internal_data(client_for):
    page = html(client_for("resident").get("/"))

    assert "三江社区" not in page
    assert links_to(page, "/geo/grids/") == []
    assert 'href="/geo/map/"' not in page
    assert 'href="/audit/"' not in page


def test_grid_worker_home_links_to_their_grid_and_the_map(client_for):
    page = html(client_for("grid_worker").get("/"))

    assert links_to(page, "/geo/grids/") == [OWN_GRID]
    assert links_to(page, "/geo/communities/") == [OWN_COMMUNITY]
    assert 'href="/geo/map/"' in page


def test_community_home_lists_the_grids_of_the_community(client_for, subtests):
    for role in ["grid_lead", "social_organisation"]:
        with subtests.test(role=role):
            page = html(client_for(role).get("/"))

            assert links_to(page, "/geo/grids/") == SANJIANG_GRIDS
            assert links_to(page, "/geo/communities/") == [OWN_COMMUNITY]


def test_subdistrict_home_lists_every_community_with_its_grid_count(client_for, subtests):
    for role in ["dispatcher", "supervisor", "administrator"]:
        with subtests.test(role=role):
            page = html(client_for(role).get("/"))

            assert links_to(page, "/geo/communities/") == COMMUNITY_CODES
            counts = re.findall(r'<td class="number">(\d+)</td>', page)
            assert counts == ["6", "6", "5", "5", "5", "4", "4"]


def test_only_the_administrator_home_links_to_audit_and_configuration(client_for, subtests):
    for role in ALL_ROLES:
        with subtests.test(role=role):
            page = html(client_for(role).get("/"))
            is_admin = role == "administrator"
            assert ('href="/audit/"' in page) is is_admin, role
            assert ('href="/admin/"' in page) is is_admin, role


def test_top_bar_shows_name_role_navigation_and_sign_out(client_for):
    page = html(client_for("grid_worker").get("/"))

    assert '<span class="who-name">王网格</span><span class="who-role">网格员</span>' in page
    navigation = re.findall(r'<ul class="nav-links">(.*?)</ul>', page, re.DOTALL)[0]
    assert '<a href="/" aria-current="page">首页</a>' in navigation
    assert '<a href="/geo/map/">地图</a>' in navigation
    assert 'href="/audit/"' not in navigation
    assert 'action="/accounts/logout/" method="post"' in page
    assert '<button class="link-button" name="language" value="en"' in page


def test_a_resident_reports_from_the_navigation_on_the_portal_and_staff_on_their_form(client_for):
    def report_link(role: str) -> list[str]:
        page = html(client_for(role).get("/"))
        navigation = re.findall(r'<ul class="nav-links">(.*?)</ul>', page, re.DOTALL)[0]
        return re.findall(r'<a href="([^"]+)">上报事件</a>', navigation)

    assert report_link("resident") == ["/public/report/"]
    assert report_link("grid_worker") == ["/events/report/"]


# --- Anonymous visitors --------------------------------------------------------------------


PROTECTED_URLS = [
    "/",
    "/geo/map/",
    f"/geo/grids/{OWN_GRID}/",
    f"/geo/communities/{OWN_COMMUNITY}/",
    "/audit/",
]


def test_anonymous_visitor_is_sent_to_sign_in(wenyan_demo, subtests):
    for url in PROTECTED_URLS:
        with subtests.test(url=url):
            response = Client().get(url)

            assert response.status_code == 302
            assert response["Location"] == f"/accounts/login/?next={url}"


def test_login_page_is_in_chinese_by_default(db):
    response = Client().get("/accounts/login/")

    assert response.status_code == 200
    page = html(response)
    assert '<html lang="zh-Hans">' in page
    assert '<h1 id="signin-title">登录</h1>' in page
    assert "密码连续输错 5 次后，账户将被暂时锁定。" in page


def test_signing_in_through_the_page_lands_on_home(wenyan_demo):
    client = Client()

    response = client.post(
        "/accounts/login/",
        {"username": "wangge", "password": wenyan.DEMO_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain == [("/", 302)]
    assert "三江社区第1网格" in html(response)


def test_wrong_password_shows_the_error_on_the_login_page(wenyan_demo):
    response = Client().post("/accounts/login/", {"username": "wangge", "password": "wrong"})

    assert response.status_code == 200
    assert '<p class="error" role="alert">用户名或密码错误。</p>' in html(response)


def test_login_locks_out_after_the_failure_limit_even_with_the_right_password(wenyan_demo):
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    for _attempt in range(limit - 1):
        response = client.post("/accounts/login/", {"username": "wangge", "password": "wrong"})
        assert response.status_code == 200

    last_wrong = client.post("/accounts/login/", {"username": "wangge", "password": "wrong"})
    right = client.post(
        "/accounts/login/", {"username": "wangge", "password": wenyan.DEMO_PASSWORD}
    )

    assert last_wrong.status_code == 429
    assert right.status_code == 429
    assert (
        '<p class="error" role="alert">'
        "登录失败次数过多：该账户已被暂时锁定。请稍后再试，或联系系统管理员。</p>"
    ) in html(right)
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_and_ends_the_session(client_for):
    client = client_for("grid_worker")

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


# --- Language ------------------------------------------------------------------------------


def test_language_switch_sets_english_and_pages_show_english(client_for):
    client = client_for("grid_worker")

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/geo/map/"})

    assert response.status_code == 302
    assert response["Location"] == "/geo/map/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = html(client.get("/"))
    assert '<html lang="en">' in page
    assert "Welcome, 王网格" in page
    assert '<span class="who-role">Grid worker</span>' in page
    assert ">Sign out</button>" in page
    assert '<button class="link-button" name="language" value="zh-hans"' in page
    map_page = html(client.get("/geo/map/"))
    assert "Synthetic boundaries for demonstration, not the real ones" in map_page


def test_switching_back_to_chinese(client_for):
    client = client_for("grid_worker")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    assert "您好，王网格" in html(client.get("/"))


# --- Map -----------------------------------------------------------------------------------

MAP_GRIDS = {
    "grid_worker": [OWN_GRID],
    "grid_lead": SANJIANG_GRIDS,
    "social_organisation": SANJIANG_GRIDS,
}


def test_map_shows_the_grids_and_communities_of_the_scope(client_for, subtests):
    for role in STAFF_ROLES:
        with subtests.test(role=role):
            response = client_for(role).get("/geo/map/")

            assert response.status_code == 200
            page = html(response)
            grids = json_script(page, "map-grids")
            communities = json_script(page, "map-communities")
            grid_codes = [feature["properties"]["code"] for feature in grids["features"]]
            community_codes = [feature["properties"]["code"] for feature in communities["features"]]
            if role in COMMUNITY_SCOPED:
                assert grid_codes == MAP_GRIDS[role]
                assert community_codes == [OWN_COMMUNITY]
            else:
                assert len(grid_codes) == 35
                assert grid_codes[:2] == ["330109012001001", "330109012001002"]
                assert community_codes == COMMUNITY_CODES
            assert "<h1>闻堰街道地图</h1>" in page
            assert "示意边界，非真实边界" in page


def test_map_page_draws_with_local_leaflet_on_a_plain_background(client_for):
    page = html(client_for("dispatcher").get("/geo/map/"))

    assert '<link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css">' in page
    assert '<script src="/static/vendor/leaflet/leaflet.js"></script>' in page
    assert '<script src="/static/web/map.js"></script>' in page
    assert 'class="map map-plain"' in page
    assert 'data-tile-url=""' in page
    assert "https://" not in page
    assert 'data-grid-url="/geo/grids/__code__/"' in page
    assert 'data-community-url="/geo/communities/__code__/"' in page


def test_map_uses_the_configured_tile_server(client_for, settings):
    settings.MAP_TILE_URL = "http://tiles.intra/{z}/{x}/{y}.png"

    page = html(client_for("dispatcher").get("/geo/map/"))

    assert 'data-tile-url="http://tiles.intra/{z}/{x}/{y}.png"' in page
    assert 'class="map"' in page


def test_grid_worker_map_lists_only_their_grid(client_for):
    page = html(client_for("grid_worker").get("/geo/map/"))

    assert links_to(page, "/geo/grids/") == [OWN_GRID]
    assert "1 个社区/村" in page
    assert "1 个网格" in page


def test_resident_may_not_open_the_map(client_for):
    response = client_for("resident").get("/geo/map/")

    assert response.status_code == 403
    assert "您的角色（居民）无权执行此操作。" in html(response)


def test_map_page_query_count_does_not_grow_with_grids(
    client_for, django_assert_max_num_queries, subtests
):
    # A grid worker's scope needs one more query (their grid's community); the navigation one
    # (the unread notifications of its badge).
    for role, max_queries in [("dispatcher", 9), ("grid_worker", 10)]:
        with subtests.test(role=role):
            client = client_for(role)

            with django_assert_max_num_queries(max_queries):
                response = client.get("/geo/map/")

            assert response.status_code == 200


# --- Grid and community detail -------------------------------------------------------------


def test_grid_detail_in_scope(client_for, subtests):
    for role in STAFF_ROLES:
        with subtests.test(role=role):
            response = client_for(role).get(f"/geo/grids/{OWN_GRID}/")

            assert response.status_code == 200
            page = html(response)
            assert "<h1>三江社区第1网格</h1>" in page
            assert f'<dd class="code">{OWN_GRID}</dd>' in page
            assert (
                '<li><a href="/geo/communities/330109012001/">三江社区</a></li>\n'
                '    <li aria-current="page">三江社区第1网格</li>'
            ) in page
            assert [
                f["properties"]["code"] for f in json_script(page, "grid-map-grids")["features"]
            ] == [OWN_GRID]


def test_grid_detail_outside_scope_is_not_found(client_for, subtests):
    for role in STAFF_ROLES:
        with subtests.test(role=role):
            response = client_for(role).get(f"/geo/grids/{OTHER_GRID}/")

            if role in COMMUNITY_SCOPED:
                assert response.status_code == 404
                assert NOT_IN_SCOPE in html(response)
                assert response.templates[0].name == "web/error.html"
            else:
                assert response.status_code == 200
                assert "<h1>江澜社区第1网格</h1>" in html(response)


def test_grid_worker_asking_for_another_grid_of_their_community_gets_404(client_for):
    response = client_for("grid_worker").get("/geo/grids/330109012001002/")

    page = html(response)
    assert response.status_code == 404
    assert '<h1 id="error-title">未找到</h1>' in page
    assert NOT_IN_SCOPE in page
    assert "404" not in re.sub(r"<[^>]*>", " ", page)  # what the reader sees, not attributes


def test_missing_grid_looks_like_a_hidden_one(client_for):
    response = client_for("dispatcher").get("/geo/grids/330109012009999/")

    assert response.status_code == 404
    assert NOT_IN_SCOPE in html(response)


def test_community_detail_lists_its_grids_in_scope(client_for, subtests):
    for role in STAFF_ROLES:
        with subtests.test(role=role):
            response = client_for(role).get(f"/geo/communities/{OWN_COMMUNITY}/")

            assert response.status_code == 200
            page = html(response)
            assert "<h1>三江社区</h1>" in page
            expected = [OWN_GRID] if role == "grid_worker" else SANJIANG_GRIDS
            assert links_to(page, "/geo/grids/") == expected


def test_community_detail_outside_scope_is_not_found(client_for, subtests):
    for role in STAFF_ROLES:
        with subtests.test(role=role):
            response = client_for(role).get(f"/geo/communities/{OTHER_COMMUNITY}/")

            if role in COMMUNITY_SCOPED:
                assert response.status_code == 404
                assert NOT_IN_SCOPE in html(response)
            else:
                assert response.status_code == 200
                assert "<h1>江澜社区</h1>" in html(response)


def test_resident_may_not_open_detail_pages(client_for):
    client = client_for("resident")

    assert client.get(f"/geo/grids/{OWN_GRID}/").status_code == 403
    assert client.get(f"/geo/communities/{OWN_COMMUNITY}/").status_code == 403


# --- Audit trail ---------------------------------------------------------------------------

# The foundation's demo writes 1 subdistrict, 11 departments, 7 communities and 35 grids
# (54 "geo." entries) and 10 users; other capabilities may load more demo data after them.
GEO_ENTRIES = 54


def test_audit_trail_is_forbidden_to_everyone_but_administrators(client_for, users, subtests):
    for role in [role for role in ALL_ROLES if role != "administrator"]:
        with subtests.test(role=role):
            before = AuditEntry.objects.count()

            response = client_for(role).get("/audit/", HTTP_HX_REQUEST="true")

            assert response.status_code == 403
            label = users[role].get_role_display()
            assert f"您的角色（{label}）无权执行此操作。" in html(response)
            assert response.templates[0].name == "web/error.html"
            assert AuditEntry.objects.count() == before


def test_administrator_sees_the_audit_trail_newest_first(client_for):
    total = AuditEntry.objects.count()
    newest = AuditEntry.objects.order_by("-id").first()

    response = client_for("administrator").get("/audit/")

    assert response.status_code == 200
    page = html(response)
    assert [t.name for t in response.templates][:2] == ["audit/log.html", "base.html"]
    assert f"{total} 条记录" in page
    assert 'hx-get="/audit/" hx-target="#audit-entries"' in page
    rows = re.findall(r'data-action="([a-z_.]+)"', page)
    assert len(rows) == min(total, 50)
    assert rows[0] == newest.action
    assert f"第 1 页，共 {-(-total // 50)} 页" in page


def test_audit_filter_over_htmx_returns_only_the_partial(client_for):
    response = client_for("administrator").get(
        "/audit/", {"action": "accounts.user"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert [t.name for t in response.templates] == ["audit/_entries.html"]
    page = html(response)
    assert "<html" not in page
    assert "10 条记录" in page
    assert re.findall(r'data-action="([a-z_.]+)"', page) == ["accounts.user.create"] * 10


def test_audit_history_restore_gets_the_whole_page(client_for):
    """Going back after HTMX pushed a filtered URL reloads the page, not just the table."""
    response = client_for("administrator").get(
        "/audit/",
        {"action": "geo."},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )

    assert response.templates[0].name == "audit/log.html"
    assert 'value="geo."' in html(response)


AUDIT_FILTER_COUNTS = [
    ({"actor": "wangge"}, 0),
    ({"action": "geo."}, GEO_ENTRIES),
    ({"action": "geo.grid."}, 35),
    ({"action": "geo.department.create"}, 11),
    ({"target_type": "geo.grid"}, 35),
    ({"action": "geo.", "since": "2000-01-01"}, GEO_ENTRIES),
    ({"action": "geo.", "actor": "system"}, GEO_ENTRIES),
    ({"until": "2000-01-01"}, 0),
]


def test_audit_filters(client_for, subtests):
    client = client_for("administrator")
    for filters, count in AUDIT_FILTER_COUNTS:
        with subtests.test(**filters):
            response = client.get("/audit/", filters, HTTP_HX_REQUEST="true")

            assert response.status_code == 200
            assert response.context["page"].paginator.count == count


def test_audit_filter_by_target_finds_the_history_of_one_object(client_for):
    community = Community.objects.get(code=OWN_COMMUNITY)

    response = client_for("administrator").get(
        "/audit/",
        {"target_type": "geo.community", "target_id": str(community.pk)},
        HTTP_HX_REQUEST="true",
    )

    assert [entry.action for entry in response.context["page"]] == ["geo.community.create"]
    assert "三江社区" in html(response)


def test_audit_filter_with_dates_the_wrong_way_round_says_so(client_for):
    response = client_for("administrator").get(
        "/audit/", {"since": "2030-01-02", "until": "2030-01-01"}, HTTP_HX_REQUEST="true"
    )

    page = html(response)
    assert response.status_code == 200
    assert "筛选条件有误，请修正后查看记录。" in page
    assert "<li>截止日期: 截止日期早于起始日期。</li>" in page
    assert response.context["page"].paginator.count == 0


def test_audit_second_page_keeps_the_filter(client_for):
    response = client_for("administrator").get(
        "/audit/", {"action": "geo.", "page": "2"}, HTTP_HX_REQUEST="true"
    )

    page = html(response)
    assert len(re.findall(r'data-action="([a-z_.]+)"', page)) == GEO_ENTRIES - 50
    assert "第 2 页，共 2 页" in page
    assert 'href="/audit/?action=geo.&amp;page=1"' in page


def test_audit_shows_times_in_shanghai_and_changes_compactly(client_for):
    entry = AuditEntry.objects.filter(action="geo.subdistrict.create").get()
    local = entry.created_at.astimezone(ZoneInfo("Asia/Shanghai"))

    response = client_for("administrator").get(
        "/audit/", {"action": "geo.subdistrict"}, HTTP_HX_REQUEST="true"
    )

    page = html(response)
    assert local.strftime("%Y-%m-%d %H:%M:%S") in page
    # names and labels in the reader's language, the codes only in the tooltips
    assert '<span class="audit-actor" title="system">系统</span>' in page
    assert (
        '<span class="audit-action" data-action="geo.subdistrict.create" '
        'title="geo.subdistrict.create">街道：新建</span>'
    ) in page
    assert f'title="geo.subdistrict #{entry.target_id}">街道</span><br>闻堰街道</td>' in page
    assert '<span class="key" title="name">名称</span>: <ins>&quot;闻堰街道&quot;</ins>' in page
    assert '<span class="key" title="code">代码</span>: <ins>&quot;330109012&quot;</ins>' in page


def test_audit_page_query_count_does_not_grow_with_entries(
    client_for, django_assert_max_num_queries
):
    client = client_for("administrator")

    # One of them counts the unread notifications for the navigation's badge. The names of
    # the rows the entries refer to by id are read once per model for the whole page: the
    # newest 50 entries name 9 kinds of row (users, subdistricts, departments, and the
    # enforcement demo's actions, cases, checklist items, inspections, rectifications and
    # targets). tests/audit/test_labels.py shows the count is the same for 3 entries and 30.
    with django_assert_max_num_queries(8 + 9):
        response = client.get("/audit/")

    assert response.status_code == 200


def test_changed_fields_of_a_change_keeps_only_what_changed():
    assert changed_fields({"name": "甲", "code": "1"}, {"name": "乙", "code": "1"}) == [
        {
            "key": "name",
            "label": "name",
            "has_before": True,
            "has_after": True,
            "before": '"甲"',
            "after": '"乙"',
        }
    ]


def test_changed_fields_of_a_creation_shows_every_new_key():
    # A value of nothing, and the absent side of a creation, read as —.
    assert changed_fields(None, {"b": [1], "a": None}) == [
        {
            "key": "a",
            "label": "a",
            "has_before": False,
            "has_after": True,
            "before": "—",
            "after": "—",
        },
        {
            "key": "b",
            "label": "b",
            "has_before": False,
            "has_after": True,
            "before": "—",
            "after": "[1]",
        },
    ]


def test_changed_fields_of_plain_values():
    assert changed_fields(1, 1) == []
    assert changed_fields(None, None) == []
    assert changed_fields("x", None) == [
        {
            "key": "",
            "label": "",
            "has_before": True,
            "has_after": False,
            "before": '"x"',
            "after": "—",
        }
    ]
