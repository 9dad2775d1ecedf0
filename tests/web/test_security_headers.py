"""Content-Security-Policy on every page, no inline scripts or handlers in any page, and
``Cache-Control: private, no-store`` on every answer for a signed-in user."""

import re
from typing import Any

import pytest
from django.test import Client

from jiedao.events.models import Event
from jiedao.web.middleware import content_security_policy
from tests.events.conftest import report

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

STAFF_PAGES = [
    ("dispatcher", "/"),
    ("dispatcher", "/events/"),
    ("dispatcher", "/events/report/"),
    ("dispatcher", "/events/map/"),
    ("dispatcher", "/events/dashboard/"),
    ("dispatcher", "/geo/map/"),
    ("dispatcher", "/geo/grids/330109012001001/"),
    ("dispatcher", "/supervision/"),
    ("administrator", "/audit/"),
    ("dispatcher", "/public/moderation/"),
]
PUBLIC_PAGES = ["/public/", "/public/report/", "/public/events/", "/public/follow/"]


def inline_code(page: str) -> list[str]:
    """Inline scripts (not JSON data blocks), event handler attributes and javascript: URLs."""
    found = [
        tag
        for tag in re.findall(r"<script\b[^>]*>", page)
        if "src=" not in tag and 'type="application/json"' not in tag
    ]
    found += re.findall(r"<[^>]*\son[a-z]+\s*=[^>]*>", page)
    found += re.findall(r"<[^>]*javascript:[^>]*>", page)
    found += re.findall(r"<[^>]*\sstyle\s*=[^>]*>", page)
    return found


def test_the_policy_allows_the_tile_server() -> None:
    policy = content_security_policy("https://{s}.tiles.intra:8443/{z}/{x}/{y}.png")
    assert "img-src 'self' data: blob: https://*.tiles.intra:8443;" in policy


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_the_policy_no_inline_code_and_are_cacheable(
    wenyan_demo: Any, path: str
) -> None:
    response = Client().get(path)

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == POLICY
    assert "Cache-Control" not in response
    assert inline_code(response.content.decode()) == []


@pytest.mark.parametrize(("role", "path"), STAFF_PAGES)
def test_staff_pages_have_the_policy_no_inline_code_and_are_private(
    client_for: Any, role: str, path: str
) -> None:
    response = client_for(role).get(path)

    assert response.status_code == 200, path
    assert response["Content-Security-Policy"] == POLICY
    assert response["Cache-Control"] == "private, no-store"
    assert inline_code(response.content.decode()) == []


def test_an_event_page_and_its_api_answer_are_private(users: Any, client_for: Any) -> None:
    event = report(users["grid_worker"])
    client = client_for("dispatcher")

    page = client.get(f"/events/{event.number}/")
    answer = client.get(f"/api/events/{event.number}")

    assert (page.status_code, answer.status_code) == (200, 200)
    assert (page["Cache-Control"], answer["Cache-Control"]) == ("private, no-store",) * 2
    assert inline_code(page.content.decode()) == []
    assert Event.objects.count() == 1


def test_an_answer_to_a_bearer_token_is_private(users: Any, demo_password: str) -> None:
    client = Client()
    issued = client.post(
        "/api/accounts/tokens",
        {"username": users["dispatcher"].username, "password": demo_password},
        content_type="application/json",
    )
    token = issued.json()["token"]

    answer = client.get("/api/events/", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert answer.status_code == 200
    assert answer["Cache-Control"] == "private, no-store"


def test_the_login_page_has_the_policy_and_no_inline_code(wenyan_demo: Any) -> None:
    response = Client().get("/accounts/login/")

    assert response["Content-Security-Policy"] == POLICY
    assert inline_code(response.content.decode()) == []
