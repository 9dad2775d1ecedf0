"""The holder of a follow code rates and reopens their report as its reporter: through the
workflow table, its relation and its guards, named in the timeline and the audit trail as the
public reporter, never as the system."""

from typing import Any

import pytest

from jiedao.audit.models import AuditEntry
from jiedao.core.errors import Conflict, NotFound
from jiedao.events.models import Event, EventStep
from jiedao.events.services import event_transition
from jiedao.events.workflow import Action
from jiedao.portal.actors import PORTAL, FollowCodeHolder
from jiedao.portal.selectors import public_report_find, public_report_follow
from jiedao.portal.services import public_report_rate, public_report_reopen, public_report_submit
from tests.portal.conftest import act, close_through_services, png, point_in

pytestmark = pytest.mark.usefixtures("english")


def submitted(description: str = "路灯不亮") -> tuple[Event, str]:
    lat, lng = point_in()
    submission = public_report_submit(
        door=PORTAL,
        channel="portal",
        category="E0101",
        description=description,
        lat=lat,
        lng=lng,
    )
    return submission.event, submission.code


def counts() -> tuple[int, int]:
    return EventStep.objects.count(), AuditEntry.objects.count()


def labels_of(action: str) -> list[str]:
    return list(AuditEntry.objects.filter(action=action).values_list("actor_label", flat=True))


def test_a_rating_is_recorded_as_the_public_reporters(users: Any) -> None:
    event, code = submitted()
    close_through_services(event, users)

    public_report_rate(number=event.number, code=code, satisfaction=5, comment="很好")

    step = EventStep.objects.get(event=event, action=Action.RATE)
    assert (step.actor, step.actor_label, step.note, step.data) == (
        None,
        "portal:reporter",
        "很好",
        {"satisfaction": 5},
    )
    assert labels_of("events.event.rate") == ["portal:reporter"]
    assert labels_of("portal.publicreport.rate") == ["portal:reporter"]


def test_a_second_rating_is_refused_by_the_workflows_guard(users: Any) -> None:
    event, code = submitted()
    close_through_services(event, users)
    public_report_rate(number=event.number, code=code, satisfaction=3)
    before = counts()

    with pytest.raises(Conflict) as error:
        public_report_rate(number=event.number, code=code, satisfaction=1)

    assert str(error.value.message) == f"Event {event.number} has already been rated."
    assert (error.value.code, error.value.extra) == (
        "invalid_transition",
        {"status": "closed", "action": "rate", "guard": "not_rated"},
    )
    assert counts() == before
    event.refresh_from_db()
    assert event.satisfaction == 3


def test_a_reopening_is_recorded_as_the_public_reporters(users: Any) -> None:
    event, code = submitted()
    close_through_services(event, users)

    public_report_reopen(number=event.number, code=code, reason="灯又坏了")

    event.refresh_from_db()
    step = EventStep.objects.get(event=event, action=Action.REOPEN)
    assert (event.status, event.reopen_count) == ("handling", 1)
    assert (step.actor, step.actor_label, step.note) == (None, "portal:reporter", "灯又坏了")
    assert labels_of("events.event.reopen") == ["portal:reporter"]
    assert labels_of("portal.publicreport.reopen") == ["portal:reporter"]
    assert "system" not in {step.actor_label for step in event.steps.all()}


def test_a_report_resolved_on_the_spot_cannot_be_reopened(users: Any) -> None:
    event, code = submitted()
    act(event, "self_resolve", users["grid_worker"], note="当场修好", photos=[png()])
    before = counts()

    with pytest.raises(Conflict) as error:
        public_report_reopen(number=event.number, code=code, reason="又坏了")

    assert str(error.value.message) == (
        f"Event {event.number} was not handled by a department (it was resolved on the spot or "
        "followed another event), so it cannot be reopened; report a new event instead."
    )
    assert counts() == before


def test_the_follow_page_offers_what_the_workflow_allows_the_holder(users: Any) -> None:
    event, code = submitted()
    resolved, resolved_code = submitted("井盖松动")
    act(resolved, "self_resolve", users["grid_worker"], note="当场修好", photos=[png()])

    def offers(number: str, follow_code: str) -> tuple[bool, bool]:
        followed = public_report_follow(number=number, code=follow_code)
        return followed.can_rate, followed.can_reopen

    while_open = offers(event.number, code)
    close_through_services(event, users)
    closed = offers(event.number, code)
    public_report_rate(number=event.number, code=code, satisfaction=3)
    rated = offers(event.number, code)

    assert (while_open, closed, rated) == ((False, False), (True, True), (False, True))
    assert offers(resolved.number, resolved_code) == (True, False)


def test_a_follow_code_opens_its_own_event_only(users: Any) -> None:
    event, code = submitted()
    other, _other_code = submitted("井盖松动")
    close_through_services(event, users)
    close_through_services(other, users)
    holder = FollowCodeHolder(public_report_find(number=event.number, code=code))
    before = counts()

    with pytest.raises(NotFound):
        event_transition(event=other, action=Action.RATE, actor=holder, satisfaction=1)

    assert counts() == before
    other.refresh_from_db()
    assert other.satisfaction is None
