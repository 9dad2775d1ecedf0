"""Event services: intake, idempotency, bad input, routing, duplicates, the workflow's details."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import timezone, translation

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.core.coordinates import CRS, from_wgs84
from jiedao.core.errors import ApplicationError
from jiedao.events import selectors, services
from jiedao.events.models import (
    Category,
    DutyAssignment,
    Event,
    EventAssignment,
    Notification,
)
from jiedao.events.routing import route_propose
from jiedao.events.workflow import Status
from jiedao.geo.lookup import departments_changed
from jiedao.geo.models import Community, Department, Grid

from .conftest import (
    HOME_GRID,
    JPEG,
    OTHER_GRID,
    PNG,
    WEBP,
    act,
    counts,
    drive,
    png,
    point_in,
    report,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)


# --- Intake -----------------------------------------------------------------------------------


def test_report_numbers_places_and_owns_the_event(
    users: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given a grid worker on patrol in their grid, with the phone reporting GCJ-02
    lat, lng = point_in(HOME_GRID)
    gcj = from_wgs84(lat, lng, CRS.GCJ02)

    # when they report exposed rubbish
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.event_report(
            actor=users["grid_worker"],
            category="E0101",
            description="  垃圾桶满溢  ",
            lat=gcj.lat,
            lng=gcj.lng,
            crs="gcj02",
            address="三江路1号",
            photos=[png()],
        )

    # then it is numbered for the day, placed in the grid, stored in WGS-84 and owned by the
    # command centre (首接负责)
    event = outcome.event
    today = timezone.localdate()
    assert outcome.created is True
    assert event.number == f"WY{today:%Y%m%d}-0001"
    assert (event.grid.code, event.community.code, event.subdistrict.code) == (
        HOME_GRID,
        HOME_GRID[:12],
        "330109012",
    )
    assert (round(event.lat, 6), round(event.lng, 6)) == (round(lat, 6), round(lng, 6))
    assert (event.status, event.source, event.description) == (
        "reported",
        "grid_patrol",
        "垃圾桶满溢",
    )
    assert event.responsible_department.code == "command-centre"
    assert (event.reporter_name, event.reporter_phone) == ("王网格", "13800138000")
    assert (event.accept_due_at is not None, event.handle_due_at) == (True, None)
    assert [(step.action, step.from_status, step.to_status) for step in event.steps.all()] == [
        ("report", "", "reported")
    ]
    photo = event.photos.get()
    assert (photo.stage, photo.content_type, photo.size) == ("before", "image/png", len(PNG))
    assert photo.file.name.endswith(".png")
    assert (
        AuditEntry.objects.filter(action="events.event.report", target_id=str(event.pk)).count()
        == 1
    )
    assert list(Notification.objects.filter(event=event).values_list("user__username", "kind")) == [
        ("zhihui", "report")
    ]


def test_numbers_count_per_local_day(users: Any) -> None:
    first = report(at=local(2022, 3, 1, 23, 50))
    second = report(at=local(2022, 3, 1, 23, 55))
    # 00:10 in Shanghai is still 1 March in UTC: the local day decides
    third = report(at=local(2022, 3, 2, 0, 10))

    assert [first.number, second.number, third.number] == [
        "WY20220301-0001",
        "WY20220301-0002",
        "WY20220302-0001",
    ]


def test_a_hotline_report_without_coordinates_lies_in_the_given_grid(users: Any) -> None:
    event = services.event_report(
        actor=users["dispatcher"],
        category="E0301",
        description="夜间施工噪声",
        grid=OTHER_GRID,
        reporter_name="李先生",
        reporter_phone="138-0013-8001",
    ).event

    assert (event.grid.code, event.is_location_approximate, event.source) == (
        OTHER_GRID,
        True,
        "hotline_12345",
    )
    lat, lng = event.lat, event.lng
    assert Grid.objects.get(pk=event.grid_id).code == OTHER_GRID
    assert services._locate(lat=lat, lng=lng, crs="wgs84", grid_code="").grid.code == OTHER_GRID


def bad(**fields: Any) -> dict[str, Any]:
    lat, lng = point_in(HOME_GRID)
    values = {"category": "E0101", "description": "垃圾", "lat": lat, "lng": lng}
    values.update(fields)
    return {key: value for key, value in values.items() if value is not ...}


BAD_INPUT = [
    ("no-category", {"category": ...}, "category", 422),
    ("unknown-category", {"category": "X9999"}, "category", 422),
    ("main-category", {"category": "E01"}, "category", 422),
    ("no-description", {"description": "   "}, "description", 422),
    ("outside-subdistrict", {"lat": 39.9, "lng": 116.4}, "lat", 422),
    ("latitude-out-of-range", {"lat": 95.0}, "lat", 422),
    ("unknown-crs", {"crs": "epsg3857"}, "crs", 422),
    ("no-location", {"lat": ..., "lng": ...}, "lat", 422),
    ("only-lat", {"lng": ...}, "lng", 422),
    ("unknown-grid", {"lat": ..., "lng": ..., "grid": "330109012009009"}, "grid", 422),
    ("grid-mismatch", {"grid": OTHER_GRID}, "grid", 422),
    ("jpg-name-text-bytes", {"photos": ["text"]}, "photos", 422),
    ("gif-bytes", {"photos": ["gif"]}, "photos", 422),
    ("empty-photo", {"photos": ["empty"]}, "photos", 422),
    ("oversized-photo", {"photos": ["large"]}, "photos", 422),
    ("source-not-allowed", {"source": "hotline_12345"}, "source", 422),
    ("unknown-urgency", {"urgency": "asap"}, "urgency", 422),
    ("bad-phone", {"reporter_phone": "call me"}, "reporter_phone", 422),
    ("self-resolved-without-after-photo", {"self_resolved": True}, "after_photos", 422),
    ("bad-client-key", {"client_key": "键"}, "client_key", 422),
]
PHOTOS = {
    "text": b"this is not an image at all",
    "gif": b"GIF89a" + bytes(40),
    "empty": b"",
    "large": PNG + bytes(2000),
}


@override_settings(EVENT_PHOTO_MAX_BYTES=1000)
@pytest.mark.parametrize(
    ("fields", "field", "status"),
    [pytest.param(fields, field, status, id=name) for name, fields, field, status in BAD_INPUT],
)
def test_bad_input_names_the_field_and_stores_nothing(
    fields: dict[str, Any], field: str, status: int, users: Any
) -> None:
    # given a grid worker's report with one thing wrong
    values = bad(**fields)
    if "photos" in values:
        values["photos"] = [png("photo.jpg", PHOTOS[name]) for name in values["photos"]]
    before = counts()

    # when it is submitted
    with pytest.raises(ApplicationError) as raised:
        services.event_report(actor=users["grid_worker"], **values)

    # then the error names the field and nothing at all was written
    assert (raised.value.status, raised.value.field) == (status, field)
    assert str(raised.value.message)
    assert counts() == before


@pytest.mark.parametrize(
    ("content", "content_type", "extension"),
    [(PNG, "image/png", "png"), (JPEG, "image/jpeg", "jpg"), (WEBP, "image/webp", "webp")],
)
def test_photo_type_comes_from_the_content_not_the_name(
    content: bytes, content_type: str, extension: str, users: Any
) -> None:
    event = report(users["grid_worker"], photos=[png("IMG_0001.jpg", content)])

    photo = event.photos.get()
    assert (photo.content_type, photo.file.name.rsplit(".", 1)[1]) == (content_type, extension)


def test_a_failed_self_resolution_rolls_back_the_whole_report(users: Any) -> None:
    # given a grid worker resolving on the spot — in a grid that is not theirs
    before = counts()
    with pytest.raises(ApplicationError) as raised:
        report(
            users["grid_worker"],
            grid=OTHER_GRID,
            self_resolved=True,
            after_photos=[png()],
        )
    assert raised.value.status == 403
    assert counts() == before


def test_self_resolution_on_the_spot_closes_at_once(users: Any) -> None:
    event = report(
        users["grid_worker"],
        photos=[png()],
        self_resolved=True,
        after_photos=[png("after.webp", WEBP)],
        resolution_note="已现场清理",
    )

    assert (event.status, event.is_self_resolved, event.closed_at) == (
        "closed",
        True,
        event.created_at,
    )
    assert event.responsible_user == users["grid_worker"]
    assert [step.action for step in event.steps.all()] == ["report", "self_resolve"]
    assert sorted(event.photos.values_list("stage", flat=True)) == ["after", "before"]


def test_only_grid_workers_resolve_on_the_spot(users: Any) -> None:
    before = counts()
    with pytest.raises(ApplicationError) as raised:
        report(users["resident"], self_resolved=True, after_photos=[png()])
    assert (raised.value.status, raised.value.field) == (403, "self_resolved")
    assert counts() == before


# --- Idempotency ------------------------------------------------------------------------------


def test_the_same_key_and_content_returns_the_first_event(users: Any) -> None:
    first = services.event_report(actor=users["resident"], client_key="k-1", **bad())
    before = counts()

    again = services.event_report(actor=users["resident"], client_key="k-1", **bad())

    assert (again.created, again.event.pk, again.event.number) == (
        False,
        first.event.pk,
        first.event.number,
    )
    assert counts() == before


def test_the_same_key_with_other_content_is_refused(users: Any) -> None:
    first = services.event_report(actor=users["resident"], client_key="k-2", **bad())
    before = counts()

    with pytest.raises(ApplicationError) as raised:
        services.event_report(
            actor=users["resident"], client_key="k-2", **bad(description="别的事")
        )

    assert (raised.value.status, raised.value.field, raised.value.extra) == (
        422,
        "client_key",
        {"number": first.event.number},
    )
    assert counts() == before


def test_keys_belong_to_their_reporter(users: Any) -> None:
    mine = services.event_report(actor=users["resident"], client_key="k-3", **bad())
    theirs = services.event_report(actor=users["grid_worker"], client_key="k-3", **bad())

    assert mine.event.pk != theirs.event.pk
    assert theirs.created is True


# --- Routing ------------------------------------------------------------------------------------


def test_routing_grid_beats_community_beats_the_category_default(users: Any) -> None:
    event = act(report(category="E0101"), "accept")
    assert event.proposed_department.code == "city-management"  # the category's default

    category = Category.objects.get(code="E0101")
    home = Grid.objects.get(code=HOME_GRID)
    department = {d.code: d for d in Department.objects.all()}
    services.catalogue_entry_save(
        actor=users["administrator"],
        instance=DutyAssignment(
            category=category, community=home.community, department=department["enforcement"]
        ),
    )
    assert route_propose(event).code == "enforcement"

    services.catalogue_entry_save(
        actor=users["administrator"],
        instance=DutyAssignment(category=category, grid=home, department=department["safety"]),
    )
    assert route_propose(event).code == "safety"

    other = act(report(category="E0101", grid=OTHER_GRID), "accept")
    assert other.proposed_department.code == "city-management"


def test_routing_falls_back_to_the_parent_and_then_the_command_centre(users: Any) -> None:
    category = Category.objects.get(code="E0804")  # 企业诉求 → economy
    Department.objects.filter(code="economy").update(is_active=False)
    event = report(category="E0804")
    assert route_propose(event).code == "command-centre"

    parent = category.parent
    parent.default_department = Department.objects.get(code="safety")
    parent.save(update_fields=["default_department"])
    assert route_propose(Event.objects.get(pk=event.pk)).code == "safety"


def test_dispatch_may_override_the_proposal(users: Any) -> None:
    event = act(report(category="E0101"), "accept", users["dispatcher"])

    event = act(event, "dispatch", users["dispatcher"], department="enforcement")

    step = event.steps.get(action="dispatch")
    assert step.data == {
        "department": "enforcement",
        "proposed_department": "city-management",
        "overridden": True,
    }
    assert event.responsible_department.code == "enforcement"
    lead = EventAssignment.objects.get(event=event)
    assert (lead.department.code, lead.role, lead.ended_at) == ("enforcement", "lead", None)


@pytest.mark.parametrize(
    ("department", "code"),
    [("", "required"), ("nowhere", "unknown_department")],
)
def test_dispatch_to_an_unknown_department_is_422_and_changes_nothing(
    department: str, code: str, users: Any
) -> None:
    event = act(report(category="E0899"), "accept")  # the proposal is the command centre
    event.proposed_department = None
    event.save(update_fields=["proposed_department"])
    Department.objects.filter(code="command-centre").update(is_active=False)
    departments_changed()  # as a service changing departments would
    before = counts()

    with pytest.raises(ApplicationError) as raised:
        act(event, "dispatch", users["dispatcher"], department=department)

    assert (raised.value.status, raised.value.field, raised.value.code) == (422, "department", code)
    assert counts() == before


# --- Workflow details -----------------------------------------------------------------------------


def dispatched(users: Any, department: str = "city-management", **fields: Any) -> Event:
    event = report(users["resident"], **fields)
    return drive(event, [("accept", {}), ("dispatch", {"department": department})])


def test_return_goes_back_to_the_dispatcher_never_to_nobody(users: Any) -> None:
    event = dispatched(users)

    event = act(event, "return", users["department_handler"], reason="非本部门职责")

    assert (event.status, event.responsible_department.code, event.responsible_user) == (
        "accepted",
        "command-centre",
        None,
    )
    lead = EventAssignment.objects.get(event=event)
    assert (lead.result, lead.ended_at) == ("非本部门职责", event.last_action_at)
    # the returning department still sees the event's history, but may no longer act on it
    assert selectors.event_get(user=users["department_handler"], number=event.number) == event
    assert selectors.event_allowed_actions(event=event, user=users["department_handler"]) == []


def test_joint_handling_calls_departments_which_report_in(
    users: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given an event the enforcement team handles
    event = dispatched(users, department="enforcement")
    handler = users["department_handler"]
    with pytest.raises(ApplicationError):
        selectors.event_get(user=handler, number=event.number)

    # when the enforcement officer blows the whistle for city management and safety (吹哨)
    with django_capture_on_commit_callbacks(execute=True):
        event = act(
            event,
            "call_departments",
            users["enforcement_officer"],
            departments=["city-management", "safety"],
        )

    # then both are assigned, city management sees it and is told, and reports in (报到)
    assert sorted(
        EventAssignment.objects.filter(event=event).values_list("department__code", "role")
    ) == [("city-management", "cooperating"), ("enforcement", "lead"), ("safety", "cooperating")]
    assert selectors.event_get(user=handler, number=event.number) == event
    assert (
        Notification.objects.filter(event=event, user=handler, kind="call_departments").count() == 1
    )
    assert [a.action for a in selectors.event_allowed_actions(event=event, user=handler)] == [
        "report_in"
    ]
    act(event, "report_in", handler, note="已派人清运")
    called = EventAssignment.objects.get(event=event, department__code="city-management")
    assert (called.result, called.reported_in_by) == ("已派人清运", handler)
    assert selectors.event_allowed_actions(event=event, user=handler) == []

    # calling the lead, or a department already waiting, is refused
    for departments in (["enforcement"], ["safety"]):
        with pytest.raises(ApplicationError) as raised:
            act(event, "call_departments", users["dispatcher"], departments=departments)
        assert (raised.value.status, raised.value.field) == (422, "departments")


def test_suspension_restores_the_status_and_restarts_the_clock(users: Any) -> None:
    event = report(category="E0105", at=local(2025, 9, 1, 9, 0))
    event = drive(
        event,
        [
            ("accept", {"at": local(2025, 9, 1, 10, 0)}),
            ("dispatch", {"department": "city-management", "at": local(2025, 9, 1, 10, 5)}),
            ("start_handling", {"at": local(2025, 9, 1, 11, 0)}),
            ("suspend", {"reason": "需拆迁后处理", "at": local(2025, 9, 2, 9, 0)}),
        ],
    )
    assert (event.status, event.status_before_suspension) == ("suspended", "handling")

    event = act(event, "resume", at=local(2025, 11, 3, 9, 0))

    assert (event.status, event.status_before_suspension) == ("handling", "")
    assert event.handle_due_at == local(2025, 11, 6, 17, 30)


def test_verification_failure_is_rework(users: Any) -> None:
    event = drive(
        dispatched(users),
        [("start_handling", {}), ("report_back", {"note": "已清理"})],
    )

    event = act(event, "verify_fail", users["grid_worker"], reason="仍有垃圾")

    assert (event.status, event.rework_count) == ("handling", 1)


def test_rating_and_reopening_by_the_resident(users: Any) -> None:
    resident = users["resident"]
    event = drive(
        dispatched(users),
        [("start_handling", {}), ("report_back", {"note": "已清理"}), ("verify_pass", {})],
    )

    for value in (0, 6, "五"):
        with pytest.raises(ApplicationError) as raised:
            act(event, "rate", resident, satisfaction=value)
        assert (raised.value.status, raised.value.field) == (422, "satisfaction")
    event = act(event, "rate", resident, satisfaction=2)
    with pytest.raises(ApplicationError) as raised:
        act(event, "rate", resident, satisfaction=3)
    assert raised.value.status == 409

    event = act(event, "reopen", resident, reason="垃圾又堆起来了")

    assert (event.status, event.reopen_count, event.satisfaction, event.closed_at) == (
        "handling",
        1,
        None,
        None,
    )
    assert event.responsible_department.code == "city-management"


def test_an_event_resolved_on_the_spot_cannot_be_reopened(users: Any) -> None:
    event = report(users["grid_worker"], self_resolved=True, after_photos=[png()])
    with pytest.raises(ApplicationError) as raised:
        act(event, "reopen", users["dispatcher"], reason="不满意")
    assert raised.value.status == 409


# --- Duplicates and merging -------------------------------------------------------------------------


def offset(lat: float, lng: float, metres_north: float) -> tuple[float, float]:
    return lat + metres_north / 111_195.0, lng


def test_duplicate_candidates_are_open_same_category_near_and_recent(users: Any) -> None:
    lat, lng = point_in(HOME_GRID)
    primary = report(lat=lat, lng=lng, at=timezone.now() - timedelta(hours=10))
    near = report(lat=offset(lat, lng, 30)[0], lng=lng)
    report(category="E0102", lat=lat, lng=lng)  # another category
    report(lat=offset(lat, lng, 80)[0], lng=lng)  # too far
    report(lat=lat, lng=lng, at=timezone.now() - timedelta(hours=100))  # too old
    closed = report(
        users["grid_worker"], lat=lat, lng=lng, self_resolved=True, after_photos=[png()]
    )

    candidates = selectors.event_duplicate_candidates(user=users["dispatcher"], event=near)

    assert [(c.event.number, round(c.distance_metres)) for c in candidates] == [
        (primary.number, 30)
    ]
    assert closed.number not in [c.event.number for c in candidates]
    # the resident sees only candidates among their own reports
    assert selectors.event_duplicate_candidates(user=users["resident"], event=near).items == []


def test_merged_events_follow_the_primary_to_closure(users: Any) -> None:
    primary = report(users["resident"])
    duplicate = report(users["grid_worker"], description="同一处垃圾")
    duplicate = act(duplicate, "merge", users["dispatcher"], primary=primary.number)
    assert (duplicate.status, duplicate.merged_into) == ("merged", primary)

    drive(
        primary,
        [
            ("accept", {}),
            ("dispatch", {"department": "city-management"}),
            ("start_handling", {}),
            ("report_back", {"note": "已清理"}),
            ("verify_pass", {}),
        ],
    )

    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.is_self_resolved, duplicate.closed_at) == (
        "closed",
        False,
        Event.objects.get(pk=primary.pk).closed_at,
    )
    follow = duplicate.steps.latest("id")
    assert (follow.action, follow.actor_label, follow.data) == (
        "follow_primary",
        "system",
        {"primary": primary.number},
    )


def test_merged_events_follow_a_rejection(users: Any) -> None:
    primary = report(users["resident"])
    duplicate = act(report(users["resident"]), "merge", primary=primary.number)

    act(primary, "reject", users["dispatcher"], reason="不属于受理范围")

    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.rejected_at is not None) == ("rejected", True)


@pytest.mark.parametrize("case", ["itself", "closed", "unknown", "has-duplicates"])
def test_bad_merges_are_refused(case: str, users: Any) -> None:
    event = report(users["resident"])
    primary = report(users["resident"])
    if case == "itself":
        target, expected = event.number, (422, "primary")
    elif case == "closed":
        closed = report(users["grid_worker"], self_resolved=True, after_photos=[png()])
        target, expected = closed.number, (409, "primary")
    elif case == "unknown":
        target, expected = "WY20000101-0001", (422, "primary")
    else:
        act(report(users["resident"]), "merge", primary=event.number)
        target, expected = primary.number, (409, "primary")
    before = counts()

    with pytest.raises(ApplicationError) as raised:
        act(event, "merge", users["dispatcher"], primary=target)

    assert (raised.value.status, raised.value.field) == expected
    assert counts() == before


# --- Back-dated history, contact, photos, notifications ----------------------------------------


def test_only_the_system_records_steps_at_another_time(users: Any) -> None:
    event = report(at=local(2022, 1, 10, 9, 0))
    before = counts()
    with pytest.raises(ApplicationError) as raised:
        act(event, "accept", users["dispatcher"], at=local(2022, 1, 10, 10, 0))
    assert (raised.value.status, raised.value.field) == (403, "at")
    for moment in (local(2022, 1, 10, 8, 0), timezone.now() + timedelta(days=1)):
        with pytest.raises(ApplicationError) as raised:
            act(event, "accept", at=moment)
        assert (raised.value.status, raised.value.field) == (422, "at")
    assert counts() == before


def test_back_dated_history_notifies_nobody(
    users: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        event = report(at=local(2022, 1, 10, 9, 0))
        act(event, "accept", at=local(2022, 1, 10, 10, 0))
    assert Notification.objects.filter(event=event).count() == 0
    assert [step.created_at for step in event.steps.all()] == [
        local(2022, 1, 10, 9, 0),
        local(2022, 1, 10, 10, 0),
    ]


def test_revealing_the_reporters_phone_is_logged(users: Any) -> None:
    event = dispatched(users)
    assert selectors.reporter_phone_masked(event) == "138****5678"

    phone = services.event_contact_reveal(event=event, actor=users["dispatcher"])

    assert phone == "13812345678"
    entry = AuditEntry.objects.filter(action="events.event.reveal_contact").get()
    assert (entry.actor, entry.target_id, entry.after) == (
        users["dispatcher"],
        str(event.pk),
        {"field": "reporter_phone", "reporter_name": "张居民"},
    )
    for role, status in (("supervisor", 403), ("grid_lead", 403), ("resident", 403)):
        with pytest.raises(ApplicationError) as raised:
            services.event_contact_reveal(event=event, actor=users[role])
        assert raised.value.status == status


def test_photos_are_added_to_ones_own_step_or_as_a_step(users: Any) -> None:
    handler = users["department_handler"]
    event = act(dispatched(users), "start_handling", handler)
    own_step = event.steps.get(action="start_handling")
    dispatcher_step = event.steps.get(action="dispatch")

    added = services.event_photo_add(
        event=event, actor=handler, photos=[png()], stage="handling", step_id=own_step.pk
    )
    assert [(p.step_id, p.stage) for p in added] == [(own_step.pk, "handling")]

    with pytest.raises(ApplicationError) as raised:
        services.event_photo_add(
            event=event, actor=handler, photos=[png()], step_id=dispatcher_step.pk
        )
    assert (raised.value.status, raised.value.field) == (422, "step")

    services.event_photo_add(event=event, actor=handler, photos=[png()], stage="after")
    assert event.steps.latest("id").action == "add_photo"

    with pytest.raises(ApplicationError) as raised:
        services.event_photo_add(event=event, actor=users["grid_lead"], photos=[])
    assert (raised.value.status, raised.value.field) == (422, "photos")


def test_dispatch_notifies_the_department_and_notifications_can_be_read(
    users: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        event = dispatched(users, department="enforcement")

    officer = users["enforcement_officer"]
    notes = list(selectors.notification_list(user=officer))
    assert [(n.kind, n.event_id) for n in notes] == [("dispatch", event.pk)]
    # A code and its parameters are stored; the sentence is the reader's language's.
    assert (notes[0].message, notes[0].params) == ("", {"note": ""})
    with translation.override("zh-hans"):
        assert notes[0].text == f"{event.number}（暴露垃圾）：派遣"
    with translation.override("en"):
        assert notes[0].text == f"{event.number} (Exposed rubbish): Dispatch"
    assert services.notification_mark_read(actor=officer) == 1
    assert selectors.notification_unread_count(user=officer) == 0
    assert services.notification_mark_read(actor=officer) == 0


# --- What each role may do, and sees -------------------------------------------------------------


def test_allowed_actions_follow_the_table(users: Any) -> None:
    event = report(users["resident"])

    allowed = {
        role: [a.action for a in selectors.event_allowed_actions(event=event, user=users[role])]
        for role in ("dispatcher", "grid_worker", "grid_lead", "supervisor", "resident")
    }

    assert allowed == {
        "dispatcher": ["accept", "reject", "urge", "supervise", "merge"],
        "grid_worker": ["self_resolve"],
        "grid_lead": ["urge"],
        "supervisor": ["urge", "supervise"],
        "resident": [],
    }


def test_inboxes_hold_what_waits_for_each_role(users: Any) -> None:
    reported = report(users["resident"])
    for_department = dispatched(users)
    to_verify = drive(
        dispatched(users), [("start_handling", {}), ("report_back", {"note": "已清理"})]
    )
    elsewhere = dispatched(users, department="enforcement", grid=OTHER_GRID)

    def inbox(role: str) -> list[str]:
        return sorted(e.number for e in selectors.event_inbox(user=users[role]))

    assert inbox("dispatcher") == sorted([reported.number, to_verify.number])
    assert inbox("department_handler") == [for_department.number]
    assert inbox("enforcement_officer") == [elsewhere.number]
    assert inbox("grid_worker") == [to_verify.number]
    assert inbox("grid_lead") == []
    assert inbox("resident") == []


def test_list_scope_per_role(users: Any) -> None:
    home = report(users["resident"])
    other = report(grid=OTHER_GRID)
    dispatched_other = dispatched(users, department="city-management", grid=OTHER_GRID)

    def visible(role: str) -> set[str]:
        return {e.number for e in selectors.event_list(user=users[role]).items}

    everything = {home.number, other.number, dispatched_other.number}
    assert visible("dispatcher") == everything
    assert visible("supervisor") == everything
    assert visible("administrator") == everything
    assert visible("grid_worker") == {home.number}
    assert visible("grid_lead") == {home.number}
    assert visible("department_handler") == {dispatched_other.number}
    assert visible("enforcement_officer") == set()
    assert visible("resident") == {home.number, dispatched_other.number}
    with pytest.raises(ApplicationError) as raised:
        selectors.event_list(user=users["social_organisation"])
    assert raised.value.status == 403


# --- The catalogue ------------------------------------------------------------------------------


def test_the_catalogue_covers_the_seeds_with_departments_and_limits(users: Any) -> None:
    mains = Category.objects.filter(parent__isnull=True)
    subs = Category.objects.filter(parent__isnull=False)
    assert (mains.count(), subs.count()) == (9, 28)
    assert not subs.filter(default_department__isnull=True).exists()
    assert set(subs.values_list("default_department__code", flat=True)) == {
        "enforcement",
        "city-management",
        "safety",
        "agriculture",
        "construction",
        "police",
        "market",
        "water",
        "community-service",
        "economy",
        "command-centre",
    }
    for name in (
        "暴露垃圾",
        "乱堆物料",
        "占道经营",
        "店外经营",
        "违规户外广告",
        "违章停车",
        "非机动车乱停放",
        "施工扰民",
        "渣土撒漏",
        "井盖损坏",
        "路灯损坏",
        "道路破损",
        "河道排污",
        "河道漂浮物",
        "消防通道堵塞",
        "电动自行车违规充电",
        "飞线充电",
        "违法用地",
        "违章搭建",
        "矛盾纠纷",
        "安全隐患",
    ):
        assert subs.filter(name=name).exists(), name
    manhole = Category.objects.get(name="井盖损坏")
    assert (manhole.kind, manhole.parent.name, manhole.handling_limit, manhole.handling_unit) == (
        "component",
        "设施管理",
        4,
        "working_hours",
    )


def test_loading_the_catalogue_again_keeps_administrators_edits(users: Any) -> None:
    Category.objects.filter(code="E0101").update(handling_limit=6)

    result = services.category_catalogue_load(actor=SYSTEM)

    assert result == {"created": 0, "kept": 37}
    assert Category.objects.get(code="E0101").handling_limit == 6


def test_catalogue_edits_are_checked_and_audited(users: Any) -> None:
    admin = users["administrator"]
    category = Category.objects.get(code="E0101")
    category.handling_limit = 2
    services.catalogue_entry_save(actor=admin, instance=category, changed_fields=["handling_limit"])
    entry = AuditEntry.objects.filter(action="events.category.update").get()
    assert (entry.before["handling_limit"], entry.after["handling_limit"]) == (4, 2)

    third_level = Category(
        parent=category, code="E010101", name="三级", kind="event", handling_limit=1
    )
    with pytest.raises(ApplicationError) as raised:
        services.catalogue_entry_save(actor=admin, instance=third_level)
    assert (raised.value.status, raised.value.field) == (422, "parent")

    with pytest.raises(ApplicationError) as raised:
        services.catalogue_entry_save(actor=users["dispatcher"], instance=category)
    assert raised.value.status == 403

    report(category="E0101")
    with pytest.raises(ApplicationError) as raised:
        services.catalogue_entry_delete(actor=admin, instance=category)
    assert raised.value.status == 409
    assert Category.objects.filter(code="E0101").exists()


def test_a_duty_line_needs_a_department_of_the_same_subdistrict(users: Any) -> None:
    community = Community.objects.get(code=HOME_GRID[:12])
    assert community.subdistrict.departments.filter(code="enforcement").exists()
    line = DutyAssignment(
        category=Category.objects.get(code="E0101"),
        community=community,
        department=Department.objects.get(code="enforcement"),
    )
    services.catalogue_entry_save(actor=users["administrator"], instance=line)
    assert AuditEntry.objects.filter(action="events.dutyassignment.create").count() == 1


def test_status_lists_are_plain_values() -> None:
    assert Status.values == [
        "reported",
        "accepted",
        "rejected",
        "dispatched",
        "handling",
        "reported_back",
        "closed",
        "suspended",
        "merged",
    ]


def test_a_category_deactivated_by_an_administrator_is_refused_at_once(
    users: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report(category="E0101")  # the catalogue is now kept by this process
    category = Category.objects.get(code="E0101")
    category.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        services.catalogue_entry_save(
            actor=users["administrator"], instance=category, changed_fields=["is_active"]
        )

    with pytest.raises(ApplicationError) as raised:
        report(category="E0101")

    assert (raised.value.status, raised.value.code, raised.value.field) == (
        422,
        "inactive_category",
        "category",
    )
