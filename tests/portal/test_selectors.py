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
