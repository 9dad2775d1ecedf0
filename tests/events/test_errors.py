"""Errors a person can act on, on every event form: each problem beside its field, named by the
field's label as the form shows it (in Chinese, or English when the UI is English), all the
problems of one submission at once, never an HTTP status or an internal field name; the photos
already chosen survive a refused submission; and a refusal writes nothing."""

import json
import re
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from jiedao.audit.models import AuditEntry
from jiedao.events.held import HELD_DIRECTORY, held_purge
from jiedao.events.models import Event, EventPhoto, EventStep

from .conftest import HOME_GRID, png, point_in, report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_held_photos() -> Any:
    held_purge(older_than=-1)  # the test storage lives as long as the process
    yield
    held_purge(older_than=-1)


TOKEN = re.compile(r'name="held_photos" value="([^"]+)" checked')


def page(response: Any) -> str:
    return response.content.decode()


def signed_in(user: Any) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def errors_beside(text: str, input_id: str) -> list[str]:
    """The messages shown in the field block holding the input ``input_id``."""
    match = re.search(
        rf'<div class="field has-error"[^>]*>(?:(?!<div class="field).)*?id="{input_id}"'
        r'(?:(?!<div class="field).)*',
        text,
        re.DOTALL,
    )
    assert match, f"no error beside {input_id}"
    return re.findall(r'<p class="field-error" role="alert"[^>]*>(.*?)</p>', match.group(0))


def staff_form(**overrides: Any) -> dict[str, Any]:
    lat, lng = point_in(HOME_GRID)
    data = {
        "category": "E0101",
        "description": "三江路口垃圾堆积",
        "lat": f"{lat:.6f}",
        "lng": f"{lng:.6f}",
        "urgency": "normal",
        "client_uuid": "6d1c2a56-0d0e-4f44-9d55-3f0c4a7e0042",
    }
    data.update(overrides)
    return data


def nothing_written() -> tuple[int, int, int, int]:
    return (
        Event.objects.count(),
        EventStep.objects.count(),
        EventPhoto.objects.count(),
        AuditEntry.objects.filter(action__startswith="events.event").count(),
    )


def held_files() -> list[str]:
    try:
        return sorted(default_storage.listdir(HELD_DIRECTORY)[1])
    except FileNotFoundError:
        return []


# --- The staff report form ------------------------------------------------------------------


def test_every_problem_of_a_report_is_shown_at_once_beside_its_field_by_its_label(users):
    response = signed_in(users["dispatcher"]).post(
        "/events/report/",
        staff_form(category="", description="  ", reporter_phone="call me", address="路" * 201),
    )

    text = page(response)
    assert response.status_code == 422
    assert errors_beside(text, "category-search") == ["请选择事件类别。"]
    assert errors_beside(text, "id_description") == ["描述 为必填项。"]
    assert errors_beside(text, "id_address") == ["地址 过长：最多 200 个字符。"]
    assert errors_beside(text, "id_reporter_phone") == ["反映人电话：“call me”不是电话号码。"]
    assert "422" not in text
    assert "description" not in re.sub(r'(name|id|for)="[^"]*"', "", text).split("<form")[1]
    assert nothing_written() == (0, 0, 0, 0)


def test_the_forms_own_problem_and_the_services_are_shown_together(users):
    """A latitude that is not a number is the form's to refuse; the description the service's:
    both come back in one answer."""
    response = signed_in(users["grid_worker"]).post(
        "/events/report/", staff_form(lat="三十", description="")
    )

    text = page(response)
    assert response.status_code == 422
    assert errors_beside(text, "id_description") == ["描述 为必填项。"]
    assert '<p class="field-error" role="alert" id="error-location">纬度 必须是数字。</p>' in text
    assert nothing_written() == (0, 0, 0, 0)


def test_without_a_location_the_message_names_the_map_pin(users):
    response = signed_in(users["grid_worker"]).post("/events/report/", staff_form(lat="", lng=""))

    assert response.status_code == 422
    assert (
        '<p class="field-error" role="alert" id="error-location">'
        "问题在哪里？请在地图上放置标记（或填写纬度和经度）。</p>"
    ) in page(response)
    assert nothing_written() == (0, 0, 0, 0)


def test_the_report_form_speaks_english_when_the_ui_is_english(users):
    browser = signed_in(users["grid_worker"])
    browser.cookies["django_language"] = "en"

    response = browser.post("/events/report/", staff_form(category="", description=""))

    text = page(response)
    assert response.status_code == 422
    assert errors_beside(text, "category-search") == ["Choose a category for the event."]
    assert errors_beside(text, "id_description") == ["Description is required."]
    assert nothing_written() == (0, 0, 0, 0)


def test_photos_chosen_survive_a_refused_report_and_are_sent_once(users):
    browser = signed_in(users["grid_worker"])

    refused = browser.post(
        "/events/report/",
        staff_form(description="", photos=png("pothole.png"), after_photos=png("after.png")),
    )

    text = page(refused)
    assert refused.status_code == 422
    assert nothing_written() == (0, 0, 0, 0)
    [token] = TOKEN.findall(text)
    assert re.search(r'<img src="data:image/jpeg;base64,[^"]+" alt="pothole.png"', text)
    assert "已保留上次选择的 1 张照片" in text
    assert len(held_files()) == 4  # each photo and its thumbnail

    # Corrected, with the held photo and no file chosen again.
    created = browser.post("/events/report/", staff_form(held_photos=[token]))

    event = Event.objects.get()
    assert created.status_code == 302
    assert list(event.photos.values_list("stage", flat=True)) == ["before"]
    # The after-photo was held too, but not sent back (the box was unticked): left to expire.
    assert len(held_files()) == 2
    # The token is spent: a new report sending it again gets no photo.
    again = staff_form(held_photos=[token], client_uuid="6d1c2a56-0d0e-4f44-9d55-3f0c4a7e0043")
    assert browser.post("/events/report/", again).status_code == 302
    assert (Event.objects.count(), EventPhoto.objects.count()) == (2, 1)


def test_a_held_photo_is_only_its_owners(users):
    refused = signed_in(users["grid_worker"]).post(
        "/events/report/", staff_form(description="", photos=png("pothole.png"))
    )
    [token] = TOKEN.findall(page(refused))

    other = signed_in(users["grid_lead"]).post("/events/report/", staff_form(held_photos=[token]))

    assert other.status_code == 302
    assert EventPhoto.objects.count() == 0


def test_held_photos_expire(users, settings):
    signed_in(users["grid_worker"]).post(
        "/events/report/", staff_form(description="", photos=png("pothole.png"))
    )
    assert len(held_files()) == 2

    assert held_purge(older_than=-1) == 2
    assert held_files() == []


def test_a_photo_that_is_no_image_is_refused_beside_the_photos_and_not_held(users):
    response = signed_in(users["grid_worker"]).post(
        "/events/report/",
        staff_form(description="", photos=png("notes.png", b"just some text, not an image")),
    )

    text = page(response)
    assert response.status_code == 422
    assert errors_beside(text, "id_photos") == [
        (
            "notes.png 不是 JPEG、PNG 或 WebP 图片（按文件内容而不是文件名检查）。"
            "请上传这几种格式之一的照片。"
        )
    ]
    assert errors_beside(text, "id_description") == ["描述 为必填项。"]
    assert TOKEN.findall(text) == []
    assert held_files() == []


# --- The actions on the event detail --------------------------------------------------------


def test_an_action_refused_shows_the_message_beside_its_field_without_a_status(users):
    event = report(users["grid_worker"])

    response = signed_in(users["dispatcher"]).post(
        f"/events/{event.number}/actions/reject/", {"reason": "  "}
    )

    text = page(response)
    event.refresh_from_db()
    assert response.status_code == 422
    form = re.search(
        rf'<form method="post" action="/events/{event.number}/actions/reject/".*?</form>',
        text,
        re.DOTALL,
    )
    assert form
    assert re.findall(r'<p class="field-error" role="alert">(.*?)</p>', form.group(0)) == [
        "理由 为必填项。"
    ]
    assert "<strong>422</strong>" not in text
    assert "未作任何更改。请更正下方表单中标出的各项后重新提交。" in text
    assert event.status == "reported"
    assert EventStep.objects.filter(event=event).count() == 1


def test_an_action_keeps_what_was_typed_and_the_photos_chosen(users):
    event = report(users["grid_worker"])
    dispatcher = signed_in(users["dispatcher"])
    dispatcher.post(f"/events/{event.number}/actions/accept/")
    dispatcher.post(f"/events/{event.number}/actions/dispatch/", {"department": "city-management"})
    handler = signed_in(users["department_handler"])
    handler.post(f"/events/{event.number}/actions/start_handling/")

    refused = handler.post(
        f"/events/{event.number}/actions/report_back/",
        {"note": "", "photos": png("done.png")},
    )

    text = page(refused)
    assert refused.status_code == 422, text[:2000]
    [token] = TOKEN.findall(text)
    assert "说明 为必填项。" in text
    done = handler.post(
        f"/events/{event.number}/actions/report_back/",
        {"note": "已修复", "held_photos": [token]},
    )
    event.refresh_from_db()
    assert done.status_code == 302
    assert event.status == "reported_back"
    assert event.photos.filter(stage="after").count() == 1


def dispatched_by_page(users: Any) -> Event:
    """An event reported in the home grid, accepted and dispatched to city management."""
    event = report(users["grid_worker"])
    dispatcher = signed_in(users["dispatcher"])
    dispatcher.post(f"/events/{event.number}/actions/accept/")
    dispatcher.post(f"/events/{event.number}/actions/dispatch/", {"department": "city-management"})
    event.refresh_from_db()
    assert event.status == "dispatched"
    return event


def action_errors(text: str, number: str, action: str) -> list[str]:
    """The messages shown in the form of ``action``, in the order of its fields."""
    form = re.search(
        rf'<form method="post" action="/events/{number}/actions/{action}/".*?</form>',
        text,
        re.DOTALL,
    )
    assert form, f"no form for {action}"
    return re.findall(r'<p class="field-error" role="alert">(.*?)</p>', form.group(0))


def unchanged(event: Event) -> tuple[str, str, int, int]:
    event.refresh_from_db()
    return (
        event.status,
        event.supervision_kind,
        EventStep.objects.filter(event=event).count(),
        AuditEntry.objects.filter(action__startswith="events.event").count(),
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # Both the service's own rules: a note is required, the date lies in the past.
        (
            {"note": "", "deadline": "2020-01-01"},
            ["答复期限：请选择督办当天或以后的日期。", "说明 为必填项。"],
        ),
        # The form refuses the date; the service still checks the note.
        (
            {"note": "  ", "deadline": "明天"},
            ["答复期限：请填写日期，如 2026-12-01。", "说明 为必填项。"],
        ),
    ],
)
def test_a_supervision_shows_every_problem_beside_its_field(users, data, expected):
    event = dispatched_by_page(users)
    before = unchanged(event)

    response = signed_in(users["dispatcher"]).post(
        f"/events/{event.number}/actions/supervise/", data
    )

    text = page(response)
    assert response.status_code == 422
    assert action_errors(text, event.number, "supervise") == expected
    assert "未作任何更改。请更正下方表单中标出的各项后重新提交。" in text
    assert "422" not in re.sub(r"<[^>]*>", " ", text)
    assert unchanged(event) == before


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"reason": "", "working_days": "99"},
            ["延期为 1 到 30 个工作日，不能是 99。", "理由 为必填项。"],
        ),
        (
            {"reason": "", "working_days": "three"},
            ["延长工作日数：请以整数填写工作日数，例如 3。", "理由 为必填项。"],
        ),
    ],
)
def test_an_extension_request_shows_every_problem_beside_its_field(users, data, expected):
    event = dispatched_by_page(users)
    handler = signed_in(users["department_handler"])
    handler.post(f"/events/{event.number}/actions/start_handling/")
    before = unchanged(event)

    response = handler.post(f"/events/{event.number}/actions/request_extension/", data)

    text = page(response)
    assert response.status_code == 422
    assert action_errors(text, event.number, "request_extension") == expected
    # What was typed stays in the form.
    assert f'name="working_days" min="1" max="30" value="{data["working_days"]}"' in text
    assert unchanged(event) == before


def test_a_role_that_may_not_supervise_is_refused_alone_and_nothing_changes(users):
    """The move itself is refused (403): the input's problems are not the point then."""
    event = dispatched_by_page(users)
    before = unchanged(event)

    response = signed_in(users["grid_worker"]).post(
        f"/events/{event.number}/actions/supervise/", {"note": "", "deadline": "明天"}
    )

    assert response.status_code == 403
    assert "答复期限：请填写日期" not in page(response)
    assert unchanged(event) == before


def test_the_api_gives_both_problems_of_an_extension_request(users, client_for):
    event = dispatched_by_page(users)
    signed_in(users["department_handler"]).post(f"/events/{event.number}/actions/start_handling/")
    before = unchanged(event)

    response = client_for("department_handler").post(
        f"/api/events/{event.number}/actions/request_extension",
        json.dumps({"reason": "", "working_days": 99}),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["error"]["extra"]["errors"] == [
        {"code": "required", "field": "reason", "message": "理由 为必填项。"},
        {
            "code": "invalid",
            "field": "working_days",
            "message": "延期为 1 到 30 个工作日，不能是 99。",
        },
    ]
    assert unchanged(event) == before


# --- The JSON API ---------------------------------------------------------------------------


def test_the_api_gives_every_problem_with_its_field_key_and_the_labelled_message(client_for):
    lat, lng = point_in(HOME_GRID)
    response = client_for("grid_worker").post(
        "/api/events/",
        json.dumps({"category": "", "description": "", "lat": lat, "lng": lng}),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "required",
        "message": "请选择事件类别。",
        "field": "category",
        "extra": {
            "errors": [
                {"code": "required", "field": "category", "message": "请选择事件类别。"},
                {"code": "required", "field": "description", "message": "描述 为必填项。"},
            ]
        },
    }
    assert nothing_written() == (0, 0, 0, 0)


def test_a_form_sent_again_with_other_content_is_offered_as_a_new_report(users):
    browser = signed_in(users["grid_worker"])
    browser.post("/events/report/", staff_form())

    again = browser.post("/events/report/", staff_form(description="另一处垃圾"))

    text = page(again)
    assert again.status_code == 422
    assert (
        "<p>此表单已提交过，内容与本次不同。请核对下面的报告，再次提交即可作为新报告。</p>" in text
    )
    assert "Idempotency" not in text
    assert 'value="6d1c2a56-0d0e-4f44-9d55-3f0c4a7e0042"' not in text
    assert Event.objects.count() == 1


def test_the_api_names_a_value_of_the_wrong_kind_by_its_label(client_for):
    _, lng = point_in(HOME_GRID)
    response = client_for("grid_worker").post(
        "/api/events/",
        json.dumps({"category": "E0101", "description": "垃圾", "lat": "三十", "lng": lng}),
        content_type="application/json",
    )

    error = response.json()["error"]
    assert (response.status_code, error["field"]) == (422, "lat")
    assert error["message"].startswith("纬度："), error["message"]
    assert "lat" not in error["message"]
    assert nothing_written() == (0, 0, 0, 0)
