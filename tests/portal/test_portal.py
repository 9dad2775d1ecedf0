"""The residents' portal through the real HTTP stack: report → tracking number → follow →
rating after the staff close the event through the services; honeypot, retries, throttling,
privacy, moderation and its permissions."""

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from jiedao.audit.models import AuditEntry
from jiedao.events.models import Event, EventPhoto, EventStep
from jiedao.portal.models import PublicReport, PublicVisibility
from jiedao.portal.tokens import CODE_LENGTH, follow_code
from tests.images import PNG, camera_jpeg
from tests.portal.conftest import close_through_services, png, point_in, staff_names
from tests.roles import ALL_ROLES

PHONE = "13812345678"
NAME = "张居民"


def form_uuid(client: Client) -> str:
    page = client.get("/public/report/")
    assert page.status_code == 200
    match = re.search(r'name="client_uuid" value="([0-9a-f-]{36})"', page.content.decode())
    assert match is not None
    return match.group(1)


def report_form(client: Client, **overrides: Any) -> dict[str, Any]:
    lat, lng = point_in()
    data: dict[str, Any] = {
        "category": "E0101",
        "description": "小区门口垃圾堆积，请尽快清理。电话 13812345678",
        "lat": f"{lat:.7f}",
        "lng": f"{lng:.7f}",
        "address": "三江路1号 3幢",
        "reporter_name": NAME,
        "reporter_phone": PHONE,
        "client_uuid": form_uuid(client),
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def submit(client: Client, **overrides: Any) -> Any:
    return client.post("/public/report/", report_form(client, **overrides))


def follow_url(response: Any) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].split("?")[0]


def text(response: Any) -> str:
    return response.content.decode()


# --- Reporting ------------------------------------------------------------------------------


def test_home_is_chinese_by_default_with_english(wenyan_demo: Any) -> None:
    assert "报告问题" in text(Client().get("/public/"))
    english = Client()
    english.cookies["django_language"] = "en"
    assert "Report a problem" in text(english.get("/public/"))


def test_report_page_offers_the_public_catalogue(wenyan_demo: Any) -> None:
    page = text(Client().get("/public/report/"))
    assert '<optgroup label="市容环境">' in page
    assert '<option value="E0101">暴露垃圾</option>' in page
    assert 'name="website"' in page  # the honeypot
    assert "vendor/leaflet/leaflet.js" in page


def test_report_enters_the_workflow_as_a_resident_report(users: Any) -> None:
    client = Client()
    response = client.post("/public/report/", {**report_form(client), "photos": png()})
    url = follow_url(response)
    event = Event.objects.get()
    report = PublicReport.objects.get()
    assert (event.source, event.status, event.category.code) == ("resident", "reported", "E0101")
    assert (event.reporter_name, event.reporter_phone, event.address) == (
        NAME,
        PHONE,
        "三江路1号 3幢",
    )
    assert event.reported_by is None
    assert event.responsible_department.code == "command-centre"
    assert event.accept_due_at is not None
    assert event.client_key.startswith("portal:")
    assert report.channel == "portal"
    assert EventPhoto.objects.get(event=event).stage == "before"
    assert EventStep.objects.get(event=event).actor_label == "portal"
    assert url == f"/public/follow/{event.number}/"
    code = follow_code(event.number, report.follow_salt)
    assert len(code) == CODE_LENGTH
    assert AuditEntry.objects.filter(action="portal.publicreport.create").count() == 1
    # The tracking page shows the number and the follow code, once, on arrival
    page = text(client.get(response["Location"]))
    assert "您的报告已收到" in page
    assert f'<dd class="tracking-number">{event.number}</dd>' in page
    assert f'<dd class="follow-code">{code[:5]}-{code[5:]}</dd>' in page
    assert '<strong class="status-text">已收到，等待受理</strong>' in page


def test_a_retried_submission_gives_the_same_report_and_code(users: Any) -> None:
    client = Client()
    data = report_form(client)
    first = client.post("/public/report/", data)
    again = client.post("/public/report/", data)
    assert follow_url(first) == follow_url(again)
    assert Event.objects.count() == 1
    assert PublicReport.objects.count() == 1


def test_a_form_sent_again_with_other_content_is_offered_as_a_new_report(users: Any) -> None:
    client = Client()
    data = report_form(client)
    client.post("/public/report/", data)

    again = client.post("/public/report/", {**data, "description": "路灯不亮"})

    page = text(again)
    assert again.status_code == 422
    assert "此表单已提交过，内容与本次不同。请核对下面的报告，再次提交即可作为新报告。" in page
    assert "portal:" not in page
    assert data["client_uuid"] not in page
    assert "路灯不亮" in page
    assert Event.objects.count() == 1


def test_honeypot_refuses_and_stores_nothing(users: Any) -> None:
    client = Client()
    response = submit(client, website="http://spam.example")
    assert response.status_code == 400
    assert "您的报告未被受理" in text(response)
    assert (Event.objects.count(), PublicReport.objects.count()) == (0, 0)


def problem_text(response: Any) -> str:
    """The message the page shows about what is wrong (the intake's own words)."""
    found = re.findall(r'class="(?:problem|field-error)"[^>]*>([^<]+)<', text(response))
    assert found, "the page says nothing about the problem"
    return " ".join(found)


@pytest.mark.parametrize(
    ("change", "marker"),
    [
        ({"lat": None, "lng": None}, ""),
        ({"lat": "39.9", "lng": "116.4"}, "39.9, 116.4"),
        ({"category": "E01"}, "市容环境"),
        ({"description": ""}, "问题描述 为必填项。"),
        ({"reporter_phone": "call me"}, "call me"),
    ],
)
def test_bad_report_says_what_is_wrong_and_stores_nothing(
    users: Any, change: dict[str, Any], marker: str
) -> None:
    client = Client()
    response = submit(client, **change)
    assert response.status_code == 422
    assert marker in problem_text(response)
    assert (Event.objects.count(), PublicReport.objects.count()) == (0, 0)


def test_a_file_that_is_not_an_image_is_refused(users: Any) -> None:
    client = Client()
    response = client.post(
        "/public/report/",
        {**report_form(client), "photos": png(name="x.png", content=b"GIF89a....")},
    )
    assert response.status_code == 422
    assert "x.png" in problem_text(response)
    assert (Event.objects.count(), EventPhoto.objects.count()) == (0, 0)


def test_submissions_are_throttled_per_address(users: Any, settings: Any) -> None:
    settings.PORTAL_REPORTS_PER_MINUTE = 2
    client = Client(REMOTE_ADDR="10.1.2.3")
    statuses = [submit(client, description=f"问题 {n}").status_code for n in range(2)]
    limited = submit(client, description="第三个")
    assert statuses == [302, 302]
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 61
    assert Event.objects.count() == 2


# --- Following and rating -------------------------------------------------------------------


def test_report_follow_and_rate_after_the_staff_close_it(users: Any) -> None:
    client = Client()
    url = follow_url(submit(client))
    event = Event.objects.get()
    # While open: the status in plain words, no rating form
    page = text(client.get(url))
    assert '<strong class="status-text">已收到，等待受理</strong>' in page
    assert "评价处理结果" not in page
    # The staff close it through the services
    close_through_services(event, users)
    page = text(client.get(url))
    assert '<strong class="status-text">已办结：问题已处理</strong>' in page
    labels = re.findall(r'<span class="step-label">([^<]+)</span>', page)
    assert labels == [
        "已收到报告",
        "已受理",
        "已派给部门",
        "开始处理",
        "已处理，等待现场核查",
        "现场核查通过，已办结",
    ]
    assert '<span class="step-department">' + users["department_handler"].department.name in page
    assert '<p class="step-note">已清理完毕，路面恢复整洁</p>' in page
    assert "评价处理结果" in page
    # The resident rates it
    rated = client.post(url + "rate/", {"satisfaction": "3", "comment": "很及时"})
    assert rated.status_code == 302
    event.refresh_from_db()
    assert event.satisfaction == 3
    step = event.steps.get(action="rate")
    assert (step.note, step.data["satisfaction"]) == ("很及时", 3)
    assert PublicReport.objects.get().rated_at is not None
    assert AuditEntry.objects.filter(action="portal.publicreport.rate").count() == 1
    page = text(client.get(url))
    assert '<dd class="rating">基本满意</dd>' in page
    assert "感谢您的评价" in page
    assert "评价处理结果" not in page
    # Only once
    again = client.post(url + "rate/", {"satisfaction": "1"})
    assert again.status_code == 409
    event.refresh_from_db()
    assert event.satisfaction == 3


def test_rating_an_open_report_is_refused(users: Any) -> None:
    client = Client()
    url = follow_url(submit(client))
    response = client.post(url + "rate/", {"satisfaction": "5"})
    assert response.status_code == 409
    assert Event.objects.get().satisfaction is None


def test_a_wrong_code_looks_like_a_missing_report(users: Any) -> None:
    client = Client()
    follow_url(submit(client))
    event = Event.objects.get()
    close_through_services(event, users)
    code = follow_code(event.number, PublicReport.objects.get().follow_salt)
    wrong_code = client.get(f"/public/follow/{event.number}/ABCDEFGHJK/")
    wrong_number = client.get(f"/public/follow/WY20000101-0001/{code}/")
    assert wrong_code.status_code == wrong_number.status_code == 404
    assert text(wrong_code).split("<main")[1] == text(wrong_number).split("<main")[1]
    # A browser that was never shown the code is asked for it, and nothing changes
    rate = Client().post(f"/public/follow/{event.number}/rate/", {"satisfaction": "1"})
    assert (rate.status_code, rate["Location"]) == (
        302,
        f"/public/follow/?number={event.number}",
    )
    assert Event.objects.get().satisfaction is None


def test_follow_lookup_form(users: Any) -> None:
    client = Client()
    url = follow_url(submit(client))
    number = Event.objects.get().number
    code = follow_code(number, PublicReport.objects.get().follow_salt)
    typed = f"{code[:5].lower()}-{code[5:]}"
    another_browser = Client()
    assert another_browser.get(url)["Location"] == f"/public/follow/?number={number}"
    response = another_browser.post("/public/follow/", {"number": number.lower(), "code": typed})
    assert response.status_code == 302
    assert response["Location"] == url
    assert '<strong class="status-text">已收到，等待受理</strong>' in text(another_browser.get(url))
    wrong = Client().post("/public/follow/", {"number": number, "code": "22222-22222"})
    assert wrong.status_code == 404
    assert "没有与此跟踪编号和查询码相符的报告" in text(wrong)


def test_guessing_codes_is_throttled(users: Any, settings: Any) -> None:
    settings.PORTAL_LOOKUPS_PER_MINUTE = 3
    client = Client(REMOTE_ADDR="10.5.5.5")
    follow_url(submit(client))
    number = Event.objects.get().number
    statuses = [client.get(f"/public/follow/{number}/2222222{n}22/").status_code for n in range(3)]
    limited = client.get(f"/public/follow/{number}/2222222922/")
    assert statuses == [404, 404, 404]
    assert limited.status_code == 429
    assert limited["Retry-After"].isdigit()


# --- Public list and map, privacy ---------------------------------------------------------


def test_public_pages_show_no_contact_exact_location_or_staff_names(users: Any) -> None:
    client = Client()
    url = follow_url(submit(client))
    event = close_through_services(Event.objects.get(), users)
    cache.clear()
    pages = [
        text(client.get("/public/events/?status=all")),
        text(client.get(url)),
        text(client.get("/public/events/?status=closed")),
    ]
    forbidden = [
        PHONE,
        NAME,
        "三江路1号",
        f"{event.lat:.5f}",
        f"{event.lng:.5f}",
        *staff_names(users),
    ]
    for page in pages:
        for value in forbidden:
            assert value not in page, value
    listing = pages[0]
    assert event.number in listing
    assert "小区门口垃圾堆积，请尽快清理。电话 138****5678" in listing
    assert f'"coordinates": [{round(event.lng, 3)}, {round(event.lat, 3)}]' in listing


def test_public_list_filters_by_status(users: Any) -> None:
    client = Client()
    follow_url(submit(client))
    open_event = Event.objects.get()
    follow_url(submit(client, description="路灯不亮"))
    closed = close_through_services(Event.objects.exclude(pk=open_event.pk).get(), users)
    listing = text(client.get("/public/events/?status=open"))
    assert open_event.number in listing
    assert closed.number not in listing
    listing = text(client.get("/public/events/?status=closed"))
    assert closed.number in listing
    assert open_event.number not in listing


def test_private_categories_are_not_listed(users: Any) -> None:
    client = Client()
    follow_url(submit(client, category="E0801", description="邻里纠纷"))
    event = Event.objects.get()
    assert event.number not in text(client.get("/public/events/"))


# --- Moderation -----------------------------------------------------------------------------


def test_a_dispatcher_hides_a_report_from_every_public_output(users: Any, client_for: Any) -> None:
    resident = Client()
    url = follow_url(submit(resident))
    event = Event.objects.get()
    dispatcher = client_for("dispatcher")
    queue = text(dispatcher.get("/public/moderation/"))
    assert event.number in queue
    # A reason is required
    dispatcher.post(f"/public/moderation/{event.number}/", {"hidden": "1", "reason": ""})
    assert PublicVisibility.objects.count() == 0
    response = dispatcher.post(
        f"/public/moderation/{event.number}/", {"hidden": "1", "reason": "含个人信息"}
    )
    assert response.status_code == 302
    visibility = PublicVisibility.objects.get()
    assert (visibility.is_hidden, visibility.reason, visibility.changed_by) == (
        True,
        "含个人信息",
        users["dispatcher"],
    )
    assert (
        AuditEntry.objects.filter(
            action="portal.visibility.hide", target_id=str(visibility.pk)
        ).count()
        == 1
    )
    assert event.number not in text(resident.get("/public/events/"))
    assert resident.get(f"/open311/v2/requests/{event.number}.json").status_code == 404
    # The reporter still follows it
    assert resident.get(url).status_code == 200
    # Shown again
    dispatcher.post(f"/public/moderation/{event.number}/", {"hidden": "0"})
    assert event.number in text(resident.get("/public/events/"))
    assert AuditEntry.objects.filter(action="portal.visibility.show").count() == 1


@pytest.mark.parametrize("role", ALL_ROLES)
def test_moderation_is_for_dispatchers_and_administrators(
    users: Any, client_for: Any, role: str
) -> None:
    follow_url(submit(Client()))
    event = Event.objects.get()
    client = client_for(role)
    page = client.get("/public/moderation/")
    hide = client.post(f"/public/moderation/{event.number}/", {"hidden": "1", "reason": "测试"})
    if role in ("dispatcher", "administrator"):
        assert (page.status_code, hide.status_code) == (200, 302)
        assert PublicVisibility.objects.get().is_hidden is True
    else:
        assert (page.status_code, hide.status_code) == (403, 403)
        assert PublicVisibility.objects.count() == 0


def test_moderation_needs_a_sign_in(users: Any) -> None:
    response = Client().get("/public/moderation/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_resident_who_is_not_satisfied_asks_to_reopen(users: Any) -> None:
    client = Client()
    url = follow_url(submit(client))
    event = close_through_services(Event.objects.get(), users)
    response = client.post(url + "reopen/", {"reason": "垃圾又堆起来了"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.status, event.reopen_count) == ("handling", 1)
    assert event.steps.get(action="reopen").note == "垃圾又堆起来了"
    assert AuditEntry.objects.filter(action="portal.publicreport.reopen").count() == 1
    page = text(client.get(url))
    assert '<strong class="status-text">正在处理</strong>' in page
    assert "申请重新处理" not in page
    # Without the code nothing changes
    assert Client().post(f"/public/follow/{event.number}/reopen/", {"reason": "x"})["Location"] == (
        f"/public/follow/?number={event.number}"
    )
    event.refresh_from_db()
    assert event.reopen_count == 1


# --- Follow codes stay out of addresses ---------------------------------------------------


def urls_in(page: str) -> list[str]:
    return re.findall(r'(?:href|action|src|hx-get|hx-post)="([^"]*)"', page)


def test_no_address_rendered_or_redirected_to_carries_the_follow_code(users: Any) -> None:
    client = Client()
    submitted = submit(client)
    event = close_through_services(Event.objects.get(), users)
    code = follow_code(event.number, PublicReport.objects.get().follow_salt)
    shown = f"{code[:5]}-{code[5:]}"
    lookup = Client().post("/public/follow/", {"number": event.number, "code": shown})
    old_link = Client().get(f"/public/follow/{event.number}/{code}/")
    rated = client.post(f"/public/follow/{event.number}/rate/", {"satisfaction": "5"})
    page = text(client.get(submitted["Location"]))
    redirects = [submitted, lookup, old_link, rated]

    assert [response.status_code for response in redirects] == [302, 302, 302, 302]
    assert [response["Location"] for response in redirects] == [
        f"/public/follow/{event.number}/?new=1",
        f"/public/follow/{event.number}/",
        f"/public/follow/{event.number}/",
        f"/public/follow/{event.number}/",
    ]
    assert f'<dd class="follow-code">{shown}</dd>' in page
    assert urls_in(page)
    assert [url for url in urls_in(page) if code in url.upper().replace("-", "")] == []
    assert code not in page.replace(shown, "")


def test_follow_pages_are_private_and_not_stored(users: Any) -> None:
    client = Client()
    url = follow_url(submit(client))
    event = Event.objects.get()
    code = follow_code(event.number, PublicReport.objects.get().follow_salt)

    page = client.get(url)
    old_link = Client().get(f"/public/follow/{event.number}/{code}/")
    public = Client().get("/public/events/")

    assert (page["Cache-Control"], old_link["Cache-Control"]) == ("private, no-store",) * 2
    assert "Cache-Control" not in public


# --- The position of a photo --------------------------------------------------------------


def test_the_report_form_is_offered_where_the_photo_was_taken(users: Any) -> None:
    client = Client()
    response = client.post(
        "/public/report/photo-location/", {"photo": png("IMG_0001.jpg", camera_jpeg())}
    )
    assert response.status_code == 200
    assert response.json() == {"location": {"lat": 30.26, "lng": 120.15}}
    without = client.post("/public/report/photo-location/", {"photo": png("a.png", PNG)})
    assert without.json() == {"location": None}
    assert (Event.objects.count(), EventPhoto.objects.count()) == (0, 0)


def test_a_refused_photo_is_told_when_it_is_chosen(users: Any) -> None:
    polyglot = PNG + b"<html><script>alert(1)</script></html>"
    response = Client().post("/public/report/photo-location/", {"photo": png("x.png", polyglot)})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "photos"
    assert response.json()["error"]["message"] == (
        "照片：x.png 除图像外还含有标记（HTML、SVG 或脚本），相机或手机拍的照片不会这样。请上传原始照片。"
    )


def test_a_reported_camera_photo_keeps_no_position(users: Any) -> None:
    client = Client()
    photo = png("IMG_0001.jpg", camera_jpeg())
    response = client.post("/public/report/", {**report_form(client), "photos": photo})
    assert response.status_code == 302
    stored = EventPhoto.objects.get()
    with stored.file.open("rb") as file:
        content = file.read()
    assert b"Exif" not in content
    assert b"GPS" not in content
