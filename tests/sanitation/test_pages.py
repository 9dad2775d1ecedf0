"""The sanitation pages and API through the real HTTP stack: the inspector's phone page, the
compound's month, the two doors agreeing, the lists' statement counts, and the households'
points lookup on the portal (no sign-in, rate-limited)."""

from decimal import Decimal

import pytest
from django.test import Client

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.localtime import local_today
from jiedao.sanitation import codes, selectors, services
from jiedao.sanitation.models import DropOff, PointsEntry, Rectification


def test_the_inspector_records_a_drop_off_on_the_point_page(client_for, point, account):
    client = client_for("grid_worker")

    page = client.get(f"/sanitation/points/{point.pk}/")
    response = client.post(
        f"/sanitation/points/{point.pk}/drop-offs/",
        {
            "account_number": account.number.lower(),
            "waste_class": "food",
            "weight_kg": "1.75",
            "is_correct": "yes",
        },
        follow=True,
    )

    assert (page.status_code, response.status_code) == (200, 200)
    found = DropOff.objects.get(account=account)
    assert (found.weight_kg, found.is_correct, found.checked_by.username) == (
        Decimal("1.750"),
        True,
        "wangge",
    )
    assert "已记录 SJMY-0025 的投放：1.750 公斤 易腐垃圾。" in response.content.decode()


def test_a_refused_drop_off_shows_each_problem_beside_its_field(client_for, point, account):
    response = client_for("grid_worker").post(
        f"/sanitation/points/{point.pk}/drop-offs/",
        {
            "account_number": "SJMY-9999",
            "waste_class": "food",
            "weight_kg": "-2",
            "is_correct": "no",
        },
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert "账户号“SJMY-9999”不存在：请核对卡上的号码。" in body
    assert "重量（公斤）必须大于 0 公斤。" in body
    assert DropOff.objects.filter(collection_point=point, account__number="SJMY-9999").count() == 0


def test_the_inspection_form_turns_a_finding_into_a_rectification_item(client_for, point):
    response = client_for("grid_worker").post(
        f"/sanitation/points/{point.pk}/inspection/",
        {
            "finding_0_kind": "mixed",
            "finding_0_description": "其他垃圾桶里有厨余",
            "finding_0_route": "rectification",
            "finding_0_working_days": "2",
            "notes": "晚班",
        },
        follow=True,
    )

    assert response.status_code == 200
    item = Rectification.objects.get(finding__description="其他垃圾桶里有厨余")
    assert (item.working_days, item.finding.description, item.finding.inspection.notes) == (
        2,
        "其他垃圾桶里有厨余",
        "晚班",
    )
    assert "巡检已记录，发现 1 个问题。" in response.content.decode()


def test_the_page_and_the_api_refuse_the_same_weight_with_the_same_words(
    client_for, point, account
):
    client = client_for("grid_worker")
    body = {
        "account_number": account.number,
        "waste_class": "other",
        "weight_kg": "80",
        "is_correct": True,
    }

    api = client.post(
        f"/api/sanitation/points/{point.pk}/drop-offs", body, content_type="application/json"
    )
    page = client.post(f"/sanitation/points/{point.pk}/drop-offs/", {**body, "is_correct": "yes"})

    message = "重量（公斤） 80 公斤超过 50 公斤：请检查秤和数字。"
    assert (api.status_code, api.json()["error"]["field"], api.json()["error"]["message"]) == (
        422,
        "weight_kg",
        message,
    )
    assert (page.status_code, message in page.content.decode()) == (422, True)


def test_the_api_records_a_drop_off_and_answers_the_points(client_for, point, account):
    response = client_for("department_handler").post(
        f"/api/sanitation/points/{point.pk}/drop-offs",
        {
            "account_number": account.number,
            "waste_class": "recyclable",
            "weight_kg": 0.8,
            "is_correct": True,
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    data = response.json()
    assert (data["weight_kg"], data["points_earned"], data["points_balance"]) == ("0.800", 2, 2)


def test_the_api_inspection_with_findings(client_for, point):
    response = client_for("grid_lead").post(
        f"/api/sanitation/points/{point.pk}/inspections",
        {
            "notes": "",
            "findings": [{"kind": "overflowing", "description": "满溢", "working_days": 1}],
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    findings = response.json()["findings"]
    assert [(f["kind"], f["route"], f["event_number"]) for f in findings] == [
        ("overflowing", "rectification", "")
    ]
    assert (
        findings[0]["rectification_id"]
        == Rectification.objects.get(finding_id=findings[0]["id"]).pk
    )


def test_a_point_outside_the_area_answers_404_on_both_doors(client_for, other_compound):
    point = other_compound.collection_points.first()
    client = client_for("grid_worker")

    assert client.get(f"/sanitation/points/{point.pk}/").status_code == 404
    assert client.get(f"/api/sanitation/points/{point.pk}").status_code == 404


def test_the_compound_month_counts_its_records(client_for, compound, point, account):
    services.drop_off_record(
        actor=SYSTEM,
        collection_point_id=point.pk,
        account_number=account.number,
        waste_class="food",
        weight_kg="2",
        is_correct=False,
    )
    today = local_today()
    figures = selectors.compound_month(compound=compound, month=today)
    response = client_for("grid_lead").get(
        f"/api/sanitation/compounds/{compound.pk}/month", {"month": f"{today:%Y-%m}"}
    )

    assert response.status_code == 200
    data = response.json()
    assert (data["drop_offs"], data["households"], data["participating_households"]) == (
        figures.drop_offs,
        figures.households,
        figures.participating,
    )
    # The test's household is one of the compound's 25 and took part this month.
    assert (figures.households, figures.drop_offs >= 1) == (25, True)


def test_lists_run_a_constant_number_of_statements(users, compound, django_assert_num_queries):
    lead = users["grid_lead"]

    with django_assert_num_queries(1):
        selectors.compound_list(user=lead)
    with django_assert_num_queries(1):
        selectors.accounts_of(user=lead, compound=compound)
    with django_assert_num_queries(1):
        selectors.rectification_list(user=lead)
    with django_assert_num_queries(4):
        selectors.overview(user=lead, today=local_today())


def test_a_household_sees_its_points_with_its_number_and_code(account, point):
    services.drop_off_record(
        actor=SYSTEM,
        collection_point_id=point.pk,
        account_number=account.number,
        waste_class="food",
        weight_kg="1",
        is_correct=True,
    )
    code = codes.lookup_code(account.number, account.code_salt)
    client = Client()

    page = client.post(
        "/public/points/", {"number": account.number, "code": codes.display_code(code).lower()}
    )
    api = client.post(
        "/api/sanitation/public/points",
        {"number": account.number, "code": code},
        content_type="application/json",
    )
    wrong = client.post("/public/points/", {"number": account.number, "code": "AAAA-AAAA"})

    assert page.status_code == 200
    assert '<strong id="balance">2</strong>' in page.content.decode()
    assert (api.status_code, api.json()["points_balance"], len(api.json()["entries"])) == (
        200,
        2,
        1,
    )
    assert "测试户主" not in page.content.decode()
    assert (wrong.status_code, "账户号与查询码不匹配" in wrong.content.decode()) == (422, True)


def test_the_points_lookup_is_rate_limited_per_address(settings, account):
    settings.PORTAL_LOOKUPS_PER_MINUTE = 2
    client = Client()
    for _attempt in range(2):
        client.post("/public/points/", {"number": account.number, "code": "AAAAAAAA"})

    refused = client.post("/public/points/", {"number": account.number, "code": "AAAAAAAA"})

    assert (refused.status_code, refused.has_header("Retry-After")) == (429, True)


def test_the_card_shows_the_number_the_code_and_a_qr_code(client_for, account):
    response = client_for("grid_worker").get(f"/sanitation/accounts/{account.number}/card/")

    body = response.content.decode()
    code = codes.display_code(codes.lookup_code(account.number, account.code_salt))
    assert response.status_code == 200
    assert f'<dd id="lookup-code">{code}</dd>' in body
    assert "<svg" in body
    assert (
        client_for("dispatcher").get(f"/sanitation/accounts/{account.number}/card/").status_code
        == 403
    )


def test_a_redemption_above_the_balance_on_the_page_says_so(client_for, account):
    from jiedao.sanitation.models import Reward

    haircut = Reward.objects.get(name="社区理发一次")
    response = client_for("grid_worker").post(
        f"/sanitation/accounts/{account.number}/redeem/", {"reward": haircut.pk, "quantity": "1"}
    )

    assert response.status_code == 422
    assert "积分：兑换需要 150 分，账户只有 0 分。" in response.content.decode()
    assert PointsEntry.objects.filter(account=account).count() == 0


@pytest.mark.parametrize(
    "path", ["/sanitation/", "/sanitation/rectifications/", "/sanitation/weigh-ins/new/"]
)
def test_the_pages_open_for_an_inspector(client_for, path):
    assert client_for("grid_worker").get(path).status_code == 200


def test_the_home_card_and_the_compound_page(client_for, compound):
    client = client_for("grid_lead")

    home = client.get("/")
    page = client.get(f"/sanitation/compounds/{compound.pk}/")

    assert "垃圾分类" in home.content.decode()
    assert (page.status_code, "三江名苑" in page.content.decode()) == (200, True)


def test_a_grid_worker_registers_a_household_and_gets_its_card(client_for, compound):
    client = client_for("grid_worker")

    refused = client.post(
        f"/sanitation/compounds/{compound.pk}/households/new/",
        {"address": "7幢1单元701室", "contact_name": " ", "people": "0"},
    )
    opened = client.post(
        f"/sanitation/compounds/{compound.pk}/households/new/",
        {"address": "7幢1单元701室", "contact_name": "新住户", "contact_phone": "", "people": "2"},
    )

    assert refused.status_code == 422
    assert "家庭人数须为 1 到 30 之间的整数。" in refused.content.decode()
    assert opened.status_code == 302
    assert opened["Location"] == "/sanitation/accounts/SJMY-0025/card/"


def test_a_weigh_in_on_the_page(client_for, account):
    from jiedao.sanitation.models import RecyclingMaterial, WeighIn

    metal = RecyclingMaterial.objects.get(name="废金属")
    response = client_for("department_handler").post(
        "/sanitation/weigh-ins/new/",
        {
            "account_number": account.number,
            "material": metal.pk,
            "quantity": "2",
            "credited_as": "points",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "回收已记录：3.00 元，30 分。" in response.content.decode()
    assert WeighIn.objects.get(account=account).points == 30


def test_a_bad_month_is_named_by_its_label(client_for, compound):
    response = client_for("grid_worker").get(
        f"/sanitation/compounds/{compound.pk}/", {"month": "2026-13"}
    )

    # 月度: the label of the compound page's month filter.
    assert response.status_code == 422
    assert "月度 应为形如 2022-05 的月份，而不是“2026-13”。" in response.content.decode()


def test_the_api_names_a_bad_month_by_the_same_label(client_for, compound):
    response = client_for("grid_worker").get(
        f"/api/sanitation/compounds/{compound.pk}/month", {"month": "2026-13"}
    )

    assert response.status_code == 422
    assert response.json()["error"]["message"] == "月度 应为形如 2022-05 的月份，而不是“2026-13”。"
