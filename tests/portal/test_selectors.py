"""What the public timeline shows and hides."""

from typing import Any

from jiedao.events.models import Event
from jiedao.portal.selectors import public_event_get, public_timeline
from tests.portal.conftest import act, point_in


def report() -> Event:
    from jiedao.accounts.permissions import SYSTEM
    from jiedao.events.services import event_report

    lat, lng = point_in()
    return event_report(
        actor=SYSTEM, category="E0101", description="垃圾", lat=lat, lng=lng, source="resident"
    ).event


def test_timeline_shows_what_happened_not_who_nor_internal_notes(users: Any) -> None:
    event = report()
    act(event, "urge", users["dispatcher"])
    act(event, "supervise", users["dispatcher"], note="督办：请王科长今天处理")
    event = act(
        event, "reject", users["dispatcher"], reason="不属于本街道职责，请拨打 0571-82345678"
    )
    steps = public_timeline(event)
    assert [(step.action, step.label, step.note) for step in steps] == [
        ("report", "已收到报告", ""),
        ("reject", "不予受理", "不属于本街道职责，请拨打 ********5678"),
    ]
    assert public_event_get(event.number).status_note == "不属于本街道职责，请拨打 ********5678"


def test_a_note_flagged_internal_is_never_public(users: Any) -> None:
    event = report()
    event = act(event, "reject", users["dispatcher"], reason="重复报告")
    step = event.steps.get(action="reject")
    step.data = {**step.data, "internal": True}
    step.save(update_fields=["data"])
    assert [step.note for step in public_timeline(event)] == ["", ""]
    assert public_event_get(event.number).status_note == ""


# --- One filter, applied by each door to its own events ---------------------------------------


def test_open_and_closed_are_the_open311_groups_of_statuses() -> None:
    from jiedao.portal.selectors import public_statuses

    assert public_statuses(["open"]) == [
        "reported",
        "accepted",
        "dispatched",
        "handling",
        "reported_back",
        "suspended",
    ]
    assert public_statuses(["closed"]) == ["closed", "merged", "rejected"]
    assert public_statuses(["open", "closed"]) == []
    assert public_statuses([]) == []


def test_the_staff_list_and_the_public_list_filter_alike_each_on_its_own_events(
    users: Any,
) -> None:
    from jiedao.accounts.permissions import SYSTEM
    from jiedao.events.selectors import EventFilters, event_list
    from jiedao.portal.selectors import public_event_list, public_statuses
    from jiedao.portal.services import event_visibility_set

    rubbish = report()
    rejected = act(report(), "reject", users["dispatcher"], reason="重复报告")
    hidden = report()
    event_visibility_set(actor=SYSTEM, number=hidden.number, hidden=True, reason="含个人信息")
    numbers = [rubbish.number, rejected.number, hidden.number]

    def both(**criteria: Any) -> tuple[list[str], list[str]]:
        filters = EventFilters(numbers=numbers, **criteria)
        staff = event_list(user=users["dispatcher"], filters=filters).items
        public = public_event_list(filters, limit=10)
        return sorted(event.number for event in staff), sorted(item.number for item in public)

    assert both() == (sorted(numbers), sorted([rubbish.number, rejected.number]))
    assert both(status=public_statuses(["closed"])) == ([rejected.number], [rejected.number])
    assert both(status=public_statuses(["open"])) == (
        sorted([rubbish.number, hidden.number]),
        [rubbish.number],
    )
    assert both(service_codes=["E0102"]) == ([], [])
    assert both(subdistrict="330109012", service_codes=["E0101"]) == (
        sorted(numbers),
        sorted([rubbish.number, rejected.number]),
    )
    assert both(subdistrict="330109013") == ([], [])
