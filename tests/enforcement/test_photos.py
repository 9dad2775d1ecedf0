"""Photos on checklist items and findings: checked and re-encoded as the events' photos (EXIF
left behind), limited in number, added only by the department that answers the item, kept
across a refused form, served only to those who see the inspection and never on the public
page of the 行政检查码, and listed in the API."""

import hashlib
import io
import re
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from jiedao.audit.models import AuditEntry
from jiedao.core.errors import ApplicationError, Forbidden, InvalidInput
from jiedao.enforcement import services
from jiedao.enforcement.models import Inspection, InspectionPhoto, Rectification, Target
from tests.images import JPEG, PNG, WEBP, camera_jpeg
from tests.roles import ALL_ROLES

from .conftest import state

NOT_A_PHOTO = (
    "照片：清单.txt 不是 JPEG、PNG 或 WebP 图片（按文件内容而不是文件名检查）。"
    "请上传这几种格式之一的照片。"
)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def photo_state() -> tuple[Any, ...]:
    """What a refused call must leave as it was: the rows, the audit trail and the files."""
    return (*state(), InspectionPhoto.objects.count(), stored_files())


def stored_files(directory: str = "enforcement") -> list[str]:
    storage = InspectionPhoto.file.field.storage
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:
        return []
    found = [f"{directory}/{name}" for name in files]
    for folder in folders:
        found += stored_files(f"{directory}/{folder}")
    return sorted(found)


def content_of(photo: InspectionPhoto) -> bytes:
    with photo.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def officer(users):
    return users["enforcement_officer"]


@pytest.fixture
def joined(users, officer, departments) -> Inspection:
    """A started 2025 inspection led by the enforcement team, joined by city management (the
    department of the demo's department handler) with an inspection matter of its own."""
    city = departments["city-management"]
    services.matter_create(
        actor=users["administrator"],
        department_id=city.pk,
        code="CG-01",
        title="垃圾分类投放",
        basis="《杭州市生活垃圾管理条例》",
    )
    action = services.action_create(
        actor=officer,
        kind="joint",
        title="2025年综合查一次",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
    )
    target = (
        Target.objects.filter(kind="business", risk_level="medium", inspections__isnull=True)
        .order_by("pk")
        .first()
    )
    inspection = services.inspection_plan(
        actor=officer,
        action_id=action.pk,
        target_id=target.pk,
        planned_on=date(2025, 3, 3),
        joining_department_ids=[city.pk],
    )
    services.inspection_transition(actor=officer, inspection_id=inspection.pk, action="start")
    return inspection


def item_of(inspection: Inspection, code: str) -> Any:
    return inspection.items.get(matter__code=code)


def test_a_failed_item_keeps_its_camera_photo_upright_and_without_exif(officer, joined):
    item = item_of(joined, "ZF-02")

    services.item_record(
        actor=officer,
        item_id=item.pk,
        result="fail",
        notes="店外摆放桌椅经营",
        photos=[upload("IMG_0001.jpg", camera_jpeg())],
    )

    photo = InspectionPhoto.objects.get()
    content = content_of(photo)
    stored = Image.open(io.BytesIO(content))
    assert (
        photo.inspection_id,
        photo.item_id,
        photo.rectification_id,
        photo.content_type,
        photo.uploaded_by.username,
        photo.size,
        photo.sha256,
    ) == (
        joined.pk,
        item.pk,
        None,
        "image/jpeg",
        "zhifa",
        len(content),
        hashlib.sha256(content).hexdigest(),
    )
    assert (stored.size, dict(stored.getexif())) == ((6, 8), {})
    assert b"PhoneCam" not in content
    entry = AuditEntry.objects.get(action="enforcement.item_photos_add")
    assert (entry.target_type, entry.target_id, entry.after) == (
        "enforcement.checklistitem",
        str(item.pk),
        {"photos": [photo.pk]},
    )


def test_a_finding_takes_photos_when_recorded_and_afterwards(officer, joined):
    finding = services.finding_create(
        actor=officer,
        inspection_id=joined.pk,
        description="消防通道堆放杂物",
        photos=[upload("a.png", PNG), upload("b.webp", WEBP)],
    )
    services.finding_photos_add(
        actor=officer, rectification_id=finding.pk, photos=[upload("c.jpg", JPEG)]
    )

    assert list(
        InspectionPhoto.objects.order_by("pk").values_list(
            "rectification_id", "item_id", "content_type"
        )
    ) == [
        (finding.pk, None, "image/png"),
        (finding.pk, None, "image/webp"),
        (finding.pk, None, "image/jpeg"),
    ]
    assert list(
        AuditEntry.objects.filter(action="enforcement.finding_photos_add")
        .order_by("pk")
        .values_list("target_id", flat=True)
    ) == [str(finding.pk), str(finding.pk)]


def test_a_file_that_is_not_a_photo_is_refused_naming_the_field_and_nothing_is_written(
    officer, joined
):
    item = item_of(joined, "ZF-01")
    before = photo_state()

    with pytest.raises(InvalidInput) as error:
        services.item_record(
            actor=officer,
            item_id=item.pk,
            result="fail",
            notes="门前堆放纸箱",
            photos=[upload("清单.txt", b"not a photo at all")],
        )

    assert (error.value.field, str(error.value.message)) == ("photos", NOT_A_PHOTO)
    assert photo_state() == before


def test_missing_notes_and_a_bad_photo_are_reported_together(officer, joined):
    item = item_of(joined, "ZF-01")
    before = photo_state()

    with pytest.raises(InvalidInput) as error:
        services.item_record(
            actor=officer,
            item_id=item.pk,
            result="fail",
            notes="",
            photos=[upload("门头.jpg", JPEG), upload("清单.txt", b"not a photo at all")],
        )

    assert [(single.field, str(single.message)) for single in error.value.errors] == [
        ("notes", "情况说明 为必填项。"),
        ("photos", NOT_A_PHOTO),
    ]
    assert photo_state() == before


def test_more_photos_than_allowed_are_refused_and_nothing_is_written(officer, joined, settings):
    settings.ENFORCEMENT_PHOTOS_PER_RECORD = 2
    item = item_of(joined, "ZF-01")
    services.item_photos_add(
        actor=officer, item_id=item.pk, photos=[upload("1.png", PNG), upload("2.png", PNG)]
    )
    before = photo_state()

    with pytest.raises(InvalidInput) as error:
        services.item_photos_add(actor=officer, item_id=item.pk, photos=[upload("3.png", PNG)])

    assert (error.value.field, str(error.value.message), error.value.extra) == (
        "photos",
        "照片：每个检查项或发现最多 2 张照片，已有 2 张，本次上传 1 张。",
        {"max_photos": 2},
    )
    assert photo_state() == before


def test_a_joining_department_adds_photos_to_its_own_items_only(users, joined):
    handler = users["department_handler"]

    own = services.item_photos_add(
        actor=handler, item_id=item_of(joined, "CG-01").pk, photos=[upload("a.png", PNG)]
    )
    before = photo_state()
    with pytest.raises(Forbidden):
        services.item_photos_add(
            actor=handler, item_id=item_of(joined, "ZF-01").pk, photos=[upload("b.png", PNG)]
        )

    assert [(photo.item.matter.code, photo.uploaded_by.username) for photo in own] == [
        ("CG-01", "chengguan")
    ]
    assert photo_state() == before


def attempt(call: Any) -> int:
    """The status of the call (201 when it succeeded); a refusal changes nothing."""
    before = photo_state()
    try:
        call()
    except ApplicationError as refusal:
        assert photo_state() == before
        return refusal.status
    return 201


# Who may add photos to the running demo inspection (led by zhifa's enforcement team and joined
# by market supervision and work safety, where the demo has no staff): zhifa alone. The
# department handler's department is not in it (404); the other roles may not record (403).
ITEM_PHOTO_STATUS = {
    "enforcement_officer": 201,
    "department_handler": 404,
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_adds_photos_to_an_item(users, role):
    running = Inspection.objects.get(status="in_progress")
    item = running.items.filter(department_id=running.lead_department_id).order_by("pk").first()

    status = attempt(
        lambda: services.item_photos_add(
            actor=users[role], item_id=item.pk, photos=[upload("a.png", PNG)]
        )
    )

    assert status == ITEM_PHOTO_STATUS.get(role, 403)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_adds_photos_to_a_finding(users, role):
    finding = Rectification.objects.filter(status="open").order_by("pk").first()

    status = attempt(
        lambda: services.finding_photos_add(
            actor=users[role], rectification_id=finding.pk, photos=[upload("a.png", PNG)]
        )
    )

    assert status == (201 if role == "enforcement_officer" else 403)


def held_tokens(body: str) -> list[str]:
    return re.findall(r'name="held_photos" value="([^"]+)"', body)


def test_a_refused_item_keeps_its_photo_for_the_next_attempt(client_for, users):
    client = client_for("enforcement_officer")
    running = Inspection.objects.get(status="in_progress")
    item = running.items.order_by("pk").first()
    url = f"/enforcement/items/{item.pk}/"

    refused = client.post(
        url,
        {
            "result": "fail",
            "notes": "",
            "inspection": running.pk,
            "photos": [upload("门头.jpg", JPEG)],
        },
        HTTP_HX_REQUEST="true",
    )
    tokens = held_tokens(refused.content.decode())
    assert (refused.status_code, len(tokens), InspectionPhoto.objects.count()) == (422, 1, 0)

    recorded = client.post(
        url,
        {
            "result": "fail",
            "notes": "门头招牌破损",
            "inspection": running.pk,
            "held_photos": tokens,
        },
        HTTP_HX_REQUEST="true",
    )
    photo = InspectionPhoto.objects.get()
    assert (recorded.status_code, photo.item_id, photo.content_type) == (200, item.pk, "image/jpeg")
    assert f'src="/enforcement/photos/{photo.pk}/"' in recorded.content.decode()
    assert held_tokens(recorded.content.decode()) == []
    # the held file is gone once the photo is stored
    assert stored_files("held-photos") == []

    shown = client.get(f"/enforcement/photos/{photo.pk}/")
    assert (shown.status_code, shown["Content-Type"], shown.content) == (
        200,
        "image/jpeg",
        content_of(photo),
    )
    assert (
        client_for("department_handler").get(f"/enforcement/photos/{photo.pk}/").status_code == 404
    )
    assert Client().get(f"/enforcement/photos/{photo.pk}/").status_code == 302
    # the public page of the 行政检查码 shows no photo
    public = Client().get(f"/enforcement/code/{running.code}/")
    assert (public.status_code, "/photos/" in public.content.decode()) == (200, False)


def test_the_api_adds_photos_and_lists_them_with_the_inspection(client_for):
    client = client_for("enforcement_officer")
    running = Inspection.objects.get(status="in_progress")
    item = running.items.order_by("pk").first()

    added = client.post(
        f"/api/enforcement/items/{item.pk}/photos", {"photos": [upload("a.png", PNG)]}
    )
    photo = InspectionPhoto.objects.get()
    url = f"/api/enforcement/photos/{photo.pk}"
    assert (added.status_code, added.json()["photos"][0]) == (
        201,
        {
            "id": photo.pk,
            "content_type": "image/png",
            "size": len(PNG),
            "url": url,
            "created_at": added.json()["photos"][0]["created_at"],
        },
    )
    detail = client.get(f"/api/enforcement/inspections/{running.pk}").json()
    listed = {row["id"]: [p["url"] for p in row["photos"]] for row in detail["items"]}
    assert listed[item.pk] == [url]
    assert client.get(url).content == PNG

    empty = client.post(f"/api/enforcement/items/{item.pk}/photos", {})
    assert (
        empty.status_code,
        empty.json()["error"]["field"],
        empty.json()["error"]["message"],
    ) == (
        422,
        "photos",
        "照片：请至少附上一张照片。",
    )
    resident = client_for("resident").post(
        f"/api/enforcement/items/{item.pk}/photos", {"photos": [upload("b.png", PNG)]}
    )
    assert (resident.status_code, InspectionPhoto.objects.count()) == (403, 1)


def test_the_inspection_page_runs_the_same_statements_however_many_photos(client_for, officer):
    client = client_for("enforcement_officer")
    running = Inspection.objects.get(status="in_progress")
    items = list(running.items.filter(department_id=running.lead_department_id).order_by("pk"))
    services.item_record(
        actor=officer,
        item_id=items[0].pk,
        result="fail",
        notes="门前堆放纸箱",
        photos=[upload("a.png", PNG)],
    )
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/enforcement/inspections/{running.pk}/").status_code == 200

    for item in items[1:]:
        services.item_photos_add(
            actor=officer, item_id=item.pk, photos=[upload("b.png", PNG), upload("c.png", PNG)]
        )
    services.finding_photos_add(
        actor=officer,
        rectification_id=Rectification.objects.get(item=items[0]).pk,
        photos=[upload("d.png", PNG)],
    )
    with CaptureQueriesContext(connection) as many:
        page = client.get(f"/enforcement/inspections/{running.pk}/")

    # three items of the lead department: 1 + 2 + 2 photos, and one of the finding
    assert (len(items), page.content.decode().count('src="/enforcement/photos/')) == (3, 6)
    assert len(many) == len(few)


def test_the_findings_page_adds_photos_and_shows_a_refusal_beside_them(client_for):
    client = client_for("enforcement_officer")
    finding = Rectification.objects.filter(status="open").order_by("pk").first()
    url = f"/enforcement/rectifications/{finding.pk}/photos/"
    before = photo_state()

    refused = client.post(url, {"photos": [upload("清单.txt", b"not a photo at all")]})
    assert (refused.status_code, NOT_A_PHOTO in refused.content.decode()) == (422, True)
    assert photo_state() == before

    added = client.post(url, {"photos": [upload("现场.png", PNG)]})
    photo = InspectionPhoto.objects.get()
    page = client.get(f"/enforcement/rectifications/{finding.pk}/recheck/").content.decode()
    assert (added.status_code, added["Location"]) == (
        302,
        f"/enforcement/rectifications/{finding.pk}/recheck/#photos",
    )
    assert (photo.rectification_id, f'src="/enforcement/photos/{photo.pk}/"' in page) == (
        finding.pk,
        True,
    )
