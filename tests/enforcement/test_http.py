"""Through HTTP: zhifa runs a joint inspection on the pages, the business opens the 行政检查码
and rates it; the page and the API refuse a repeat inspection with the same message; the
lists run a constant number of statements."""

import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jiedao.core.localtime import local_today
from jiedao.enforcement import services
from jiedao.enforcement.models import Action, Inspection, Rating, Rectification, Target

from .conftest import state


def alert(response) -> str:
    match = re.search(r'role="alert"[^>]*>(.*?)</p>', response.content.decode(), re.DOTALL)
    return html.unescape(match.group(1).strip()) if match else ""


def test_an_inspection_from_plan_to_rating(client_for, departments, settings):
    settings.ENFORCEMENT_RATINGS_PER_MINUTE = 2
    client = client_for("enforcement_officer")
    action = Action.objects.get(kind="joint", inspections__status="in_progress")
    target = Target.objects.filter(risk_level="medium", inspections__isnull=True).first()

    assert client.get("/enforcement/").status_code == 200
    planned = client.post(
        "/enforcement/inspections/plan/",
        {
            "action_id": action.pk,
            "target_id": target.pk,
            "planned_on": action.starts_on.isoformat(),
            "joining_department_ids": [departments["market"].pk],
        },
    )
    inspection = Inspection.objects.get(target=target)
    assert planned.status_code == 302
    assert planned["Location"] == f"/enforcement/inspections/{inspection.pk}/"

    client.post(f"/enforcement/inspections/{inspection.pk}/transition/", {"action": "start"})
    items = list(inspection.items.order_by("pk"))
    swapped = client.post(
        f"/enforcement/items/{items[0].pk}/",
        {"result": "fail", "notes": "门前堆放纸箱", "working_days": "5"},
        HTTP_HX_REQUEST="true",
    )
    assert swapped.status_code == 200
    assert f'id="item-{items[0].pk}"' in swapped.content.decode()
    assert "不合格" in swapped.content.decode()
    refused = client.post(
        f"/enforcement/items/{items[1].pk}/",
        {"result": "fail", "notes": "", "inspection": inspection.pk},
    )
    assert (refused.status_code, alert(refused)) == (422, "情况说明 为必填项。")
    for item in items[1:]:
        client.post(f"/enforcement/items/{item.pk}/", {"result": "pass"})
    client.post(
        f"/enforcement/inspections/{inspection.pk}/finding/",
        {"description": "后厨排烟管道油污较重", "working_days": "10"},
    )
    completed = client.post(
        f"/enforcement/inspections/{inspection.pk}/transition/",
        {"action": "complete", "text": "发现问题2处，责令限期整改"},
    )
    assert completed.status_code == 302

    inspection.refresh_from_db()
    assert (inspection.status, inspection.conclusion) == ("completed", "发现问题2处，责令限期整改")
    assert list(
        Rectification.objects.filter(inspection=inspection)
        .order_by("pk")
        .values_list("description", "working_days", "status")
    ) == [
        ("门前三包责任落实（市容环境卫生责任区）：门前堆放纸箱", 5, "open"),
        ("后厨排烟管道油污较重", 10, "open"),
    ]
    page = client.get(f"/enforcement/inspections/{inspection.pk}/").content.decode()
    assert f"/enforcement/code/{inspection.code}/" in page
    assert '<svg width="' in page

    business = Client()
    public = business.get(f"/enforcement/code/{inspection.code}/")
    text = public.content.decode()
    assert (public.status_code, public["Cache-Control"]) == (200, "private, no-store")
    assert target.name in text
    assert target.credit_code not in text
    rated = business.post(f"/enforcement/code/{inspection.code}/", {"score": "5"})
    again = business.post(f"/enforcement/code/{inspection.code}/", {"score": "1"})
    limited = business.post(f"/enforcement/code/{inspection.code}/", {"score": "1"})
    assert (rated.status_code, again.status_code, alert(again)) == (302, 409, "该检查已评价过。")
    assert limited.status_code == 429
    assert Rating.objects.get(inspection=inspection).score == 5


def test_the_page_and_the_api_refuse_a_repeat_inspection_alike(client_for):
    client = client_for("enforcement_officer")
    running = Inspection.objects.get(status="in_progress")
    fields = {
        "action_id": running.action_id,
        "target_id": running.target_id,
        "planned_on": running.planned_on.isoformat(),
    }
    before = state()

    page = client.post("/enforcement/inspections/plan/", fields)
    api = client.post("/api/enforcement/inspections", fields, content_type="application/json")

    message = (
        f"{running.target.name}已于{running.planned_on.isoformat()}接受检查，两次检查至少间隔30天。"
    )
    assert (page.status_code, alert(page)) == (409, message)
    assert (api.status_code, api.json()["error"]["message"], api.json()["error"]["code"]) == (
        409,
        message,
        "repeat_inspection",
    )
    assert [e["id"] for e in api.json()["error"]["extra"]["earlier"]] == [running.pk]
    assert f"/enforcement/inspections/{running.pk}/" in page.content.decode()
    assert state() == before


def test_an_invalid_credit_code_through_the_api_names_the_field(client_for):
    before = state()

    response = client_for("enforcement_officer").post(
        "/api/enforcement/targets",
        {"kind": "business", "name": "闻堰测试店", "credit_code": "91330109MA2B3C4D5R"},
        content_type="application/json",
    )

    assert (response.status_code, response.json()["error"]) == (
        422,
        {
            "code": "check",
            "message": "统一社会信用代码：校验码（最后一位）不正确，请核对。",
            "field": "credit_code",
            "extra": {},
        },
    )
    assert state() == before


def count_statements(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "statements"),
    # A page counts one more than its API: the navigation's unread-notifications badge.
    [
        ("/api/enforcement/inspections", 7),
        ("/api/enforcement/targets", 6),
        ("/api/enforcement/rectifications", 6),
        ("/api/enforcement/actions", 6),
        ("/enforcement/inspections/", 8),
        ("/enforcement/rectifications/", 7),
        ("/enforcement/targets/", 7),
        ("/enforcement/", 10),  # with the notices sent for the user's legal review
        ("/enforcement/matters/", 8),
        ("/api/enforcement/matters", 6),
    ],
)
def test_lists_run_a_constant_number_of_statements(client_for, users, url, statements):
    client = client_for("enforcement_officer")
    first = count_statements(client, url)
    officer = users["enforcement_officer"]
    extra = services.action_create(
        actor=officer,
        kind="complaint",
        title="投诉核查",
        starts_on=local_today(),
        ends_on=local_today(),
    )
    for target in Target.objects.filter(inspections__isnull=True).order_by("pk")[:3]:
        inspection = services.inspection_plan(
            actor=officer, action_id=extra.pk, target_id=target.pk, planned_on=local_today()
        )
        services.inspection_transition(actor=officer, inspection_id=inspection.pk, action="start")
        services.finding_create(actor=officer, inspection_id=inspection.pk, description="问题")

    assert (first, count_statements(client, url)) == (statements, statements)


def test_the_catalogue_page_adds_a_matter_through_the_service(client_for, departments):
    client = client_for("enforcement_officer")
    market = departments["market"]
    before = state()

    empty = client.post(
        "/enforcement/matters/", {"department_id": market.pk, "code": "SC-09", "title": ""}
    )
    refused = client_for("department_handler").post(
        "/enforcement/matters/", {"department_id": market.pk, "code": "SC-09", "title": "价格欺诈"}
    )
    assert (empty.status_code, alert(empty)) == (422, "检查事项 为必填项。")
    assert refused.status_code == 403
    assert state() == before

    added = client.post(
        "/enforcement/matters/",
        {"department_id": market.pk, "code": "SC-09", "title": "价格欺诈", "basis": "《价格法》"},
    )
    page = client.get("/enforcement/matters/").content.decode()
    assert added.status_code == 302
    assert "<td>SC-09</td><td>价格欺诈</td><td>《价格法》</td>" in page
