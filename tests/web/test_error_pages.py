"""Error pages a person can act on: in the reader's language, a plain title and what to do next,
never the HTTP status number (the response keeps it) — for the errors a view raises and for
those Django raises itself (404, 403, 400, 500, a form sent without its token). The API and
Open311 keep answering in their own formats."""

import json
import re
from typing import Any
from unittest import mock
from xml.etree import ElementTree

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from jiedao.events.models import Event
from jiedao.web.errors import server_error

pytestmark = pytest.mark.django_db

NOT_FOUND = (
    "未找到 · 街道 Jiedao 未找到 未找到，或不在您的管辖范围内。 "
    "页面或记录不存在，或不在您的管辖范围内。请检查网址，或从首页重新进入。 返回首页"
)
NOT_ALLOWED = (
    "无权访问 · 街道 Jiedao 无权访问 您的账号没有打开此页面的权限。 "
    "您的账号没有这项权限。如工作需要，请联系系统管理员开通。 返回首页"
)
SERVER_ERROR = (
    "系统出错了 · 街道 Jiedao 系统出错了 一个意外错误中断了这次请求。 "
    "这不是您的操作造成的，错误已被记录。请稍后返回重试；如果再次出现，请告诉系统管理员。 返回首页"
)


def seen(response: Any) -> str:
    """The words a reader sees: the page's title and its main part, without the markup."""
    page = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    main = re.search(r"<main[^>]*>(.*?)</main>", page, re.DOTALL)
    assert title, page[:500]
    assert main, page[:500]
    return " ".join(re.sub(r"<[^>]*>", " ", f"{title.group(1)} {main.group(1)}").split())


def english_words(text: str) -> list[str]:
    return [word for word in re.findall(r"[A-Za-z]{2,}", text) if word != "Jiedao"]


# --- What Django raises ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-page/",  # no URL matches
        "/events/exports/no-such-job/file/",  # Http404 raised by a view
        "/events/import/no-such-job/",
    ],
)
def test_a_missing_page_says_so_in_chinese_with_the_way_back(client_for, path):
    response = client_for("dispatcher").get(path)

    assert response.status_code == 404
    assert seen(response) == NOT_FOUND
    assert english_words(seen(response)) == []
    # The site's own layout, with the signed-in user's navigation.
    assert '<nav aria-label="主导航">' in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/public/no-such-page/",
        "/enforcement/public/file/doc/",  # the public disclosures in a format they do not have
    ],
)
def test_a_missing_public_page_keeps_the_residents_layout(wenyan_demo, path):
    response = Client().get(path)

    assert response.status_code == 404
    assert seen(response) == "出错了 · 街道 Jiedao 出错了 未找到，或不在您的管辖范围内。 返回首页"
    assert '<body class="portal">' in response.content.decode()


def test_permission_denied_by_a_view_says_what_to_do(client_for):
    response = client_for("grid_worker").get("/events/import/")

    assert response.status_code == 403
    assert seen(response) == NOT_ALLOWED


def test_a_denied_import_writes_nothing(client_for):
    before = Event.objects.count()

    response = client_for("grid_worker").post("/events/import/", {"file": ""})

    assert (response.status_code, seen(response)) == (403, NOT_ALLOWED)
    assert Event.objects.count() == before


def test_a_refusal_shown_on_the_error_page_has_no_status_number(client_for):
    """An ApplicationError of a view (here the list's filter date, named by its label)."""
    response = client_for("dispatcher").get("/events/all/", {"from": "notadate"})

    assert response.status_code == 422
    assert seen(response) == (
        "请检查填写的内容 · 街道 Jiedao 请检查填写的内容 "
        "上报日期自 应为形如 2022-06-30 的日期，而不是“notadate”。 "
        "请返回上一页，按上面的提示更正后重试。 返回首页"
    )


def test_a_bad_request_gets_a_plain_page(wenyan_demo):
    """A host the site does not serve: Django refuses the request (400) before any view."""
    response = Client().get("/", HTTP_HOST="evil.example")

    page = response.content.decode()
    assert response.status_code == 400
    assert seen(response) == (
        "无法处理这个请求 · 街道 Jiedao 无法处理这个请求 请求的格式有误，已被拒绝。 "
        "请返回上一页，检查填写的内容后重新提交。 返回首页"
    )
    assert "主导航" not in page


def test_a_server_error_page_needs_neither_the_database_nor_the_request(
    django_assert_num_queries,
):
    request = RequestFactory().get("/events/")  # no user, no session

    with translation.override("zh-hans"), django_assert_num_queries(0):
        try:
            raise ValueError("a bug")
        except ValueError:
            response = server_error(request)

    assert response.status_code == 500
    assert seen(response) == SERVER_ERROR


def test_a_server_error_through_the_whole_stack(client_for):
    client = client_for("dispatcher")
    client.raise_request_exception = False

    with mock.patch("jiedao.events.selectors.event_list", side_effect=RuntimeError("a bug")):
        response = client.get("/events/all/")

    assert response.status_code == 500
    assert seen(response) == SERVER_ERROR


def test_the_pages_speak_english_when_the_reader_does(client_for):
    client = client_for("dispatcher")
    client.cookies["django_language"] = "en"

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert seen(response) == (
        "Not found · 街道 Jiedao Not found Not found, or outside your scope. This page or "
        "record does not exist, or it is outside your scope. Check the address, or start "
        "again from the home page. Back to home"
    )


def test_a_form_sent_without_its_token_says_the_form_expired(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["grid_worker"])
    before = Event.objects.count()

    response = client.post("/events/report/", {"description": "垃圾"})

    assert response.status_code == 403
    assert seen(response) == (
        "表单已过期 · 街道 Jiedao 表单已过期 "
        "未保存任何内容：页面打开的时间过长，或您已在此期间退出登录。 "
        "请返回并刷新页面（如提示登录，请重新登录），再填写表单并重新提交。 返回首页"
    )
    assert Event.objects.count() == before


def test_the_lockout_page_shows_no_status_number(users):
    client = Client()
    username = users["grid_worker"].username

    responses = [
        client.post("/accounts/login/", {"username": username, "password": "wrong"})
        for _ in range(5)
    ]

    assert [response.status_code for response in responses] == [200, 200, 200, 200, 429]
    assert seen(responses[-1]) == (
        "已锁定 · 街道 Jiedao 已锁定 "
        "登录失败次数过多：该账户已被暂时锁定。请稍后再试，或联系系统管理员。 返回登录"
    )


# --- The machine doors keep their formats ---------------------------------------------------


def test_the_api_answers_an_unknown_address_with_its_json_error(client_for):
    response = client_for("dispatcher").get("/api/no-such-endpoint/")

    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": "not_found",
            "message": "未找到，或不在您的管辖范围内。",
            "field": None,
            "extra": {},
        }
    }


def test_the_api_answers_a_server_error_with_its_json_error(django_assert_num_queries):
    request = RequestFactory().get("/api/events/")

    with translation.override("zh-hans"), django_assert_num_queries(0):
        try:
            raise ValueError("a bug")
        except ValueError:
            response = server_error(request)

    assert response.status_code == 500
    assert json.loads(response.content) == {
        "error": {
            "code": "server_error",
            "message": "一个意外错误中断了这次请求。",
            "field": None,
            "extra": {},
        }
    }


def test_open311_answers_an_unknown_address_in_the_format_asked_for(wenyan_demo):
    as_json = Client().get("/open311/v2/no-such-thing.json")
    as_xml = Client().get("/open311/v2/no-such-thing.xml")

    assert as_json.status_code == as_xml.status_code == 404
    assert as_json.json() == [{"code": 404, "description": "未找到，或不在您的管辖范围内。"}]
    root = ElementTree.fromstring(as_xml.content)  # noqa: S314 (our own answer)
    assert (root.findtext("error/code"), root.findtext("error/description")) == (
        "404",
        "未找到，或不在您的管辖范围内。",
    )
