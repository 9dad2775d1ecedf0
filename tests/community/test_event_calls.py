"""吹哨 for an event: the demo lead (三江社区) calls organisations and departments to an event of
the own community from the event's page or the API; another community's lead cannot, and a refusal
changes nothing; the event's page lists its calls; the lead closes the call once every answer has
reported completion (a need's call still closes with the need)."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.community import event_calls, services
from jiedao.community.models import Call, CallResponse, Organisation
from jiedao.core.errors import ApplicationError
from jiedao.events import services as event_services
from jiedao.events.models import Event
from jiedao.geo.models import Grid
from tests.events.conftest import HOME_GRID, OTHER_GRID, report
from tests.factories import UserFactory


@pytest.fixture
def event(wenyan_demo: Any) -> Event:
    return report(grid=HOME_GRID)


def counts() -> tuple[int, int]:
    return (Call.objects.count(), AuditEntry.objects.count())


def test_page_and_api_blow_the_whistle_for_an_event_alike(client_for, users, event):
    other = report(grid=HOME_GRID)
    lead = client_for("grid_lead")

    page = lead.post(f"/community/events/{event.number}/call/", {"message": "请协助清运垃圾"})
    api = lead.post(
        "/api/community/event-calls",
        {"event_number": other.number, "message": "请协助清运垃圾"},
        content_type="application/json",
    )

    by_page = Call.objects.get(event=event)
    by_api = Call.objects.get(event=other)
    assert (page.status_code, page["Location"]) == (302, f"/community/calls/{by_page.pk}/")
    body = api.json()
    assert (api.status_code, body["need_id"], body["event_number"], body["is_open"]) == (
        201,
        None,
        other.number,
        True,
    )
    place = (users["grid_lead"].community_id, event.subdistrict_id, None, "请协助清运垃圾")
    for call in (by_page, by_api):
        assert (call.community_id, call.subdistrict_id, call.need_id, call.message) == place
        assert (
            AuditEntry.objects.filter(action="community.call.blow", target_id=str(call.pk)).count()
            == 1
        )
    assert body["community"] == by_api.community.name


def test_the_call_page_names_the_event(client_for, users, event):
    call = event_calls.call_blow_for_event(actor=users["grid_lead"], event=event, message="请协助")
    page = client_for("grid_lead").get(f"/community/calls/{call.pk}/").content.decode()
    assert f'<a href="/events/{event.number}/" id="call-event">{event.number}</a>' in page


def test_bad_input_is_refused_and_nothing_is_written(client_for, users, event):
    before = counts()
    api = client_for("grid_lead").post(
        "/api/community/event-calls",
        {"event_number": event.number, "message": "  "},
        content_type="application/json",
    )
    assert (api.status_code, api.json()["error"]["field"]) == (422, "message")
    event_calls.call_blow_for_event(actor=users["grid_lead"], event=event, message="请协助")
    with pytest.raises(ApplicationError) as error:
        event_calls.call_blow_for_event(actor=users["grid_lead"], event=event, message="再次")
    assert (error.value.status, str(error.value.message)) == (409, "该事件已有进行中的吹哨。")
    assert counts() == (before[0] + 1, before[1] + 1)


def test_another_communitys_lead_cannot_and_nothing_changes(client_for, users, event):
    other_community = Grid.objects.get(code=OTHER_GRID).community
    other_lead = UserFactory(
        username="other-lead",
        role="grid_lead",
        community=other_community,
        subdistrict=users["grid_lead"].subdistrict,
    )
    assert other_community.pk != event.community_id
    before = counts()
    with pytest.raises(ApplicationError) as error:
        event_calls.call_blow_for_event(actor=other_lead, event=event, message="越权")
    assert error.value.status == 404
    client = client_for("grid_lead")
    client.force_login(other_lead)
    page = client.post(f"/community/events/{event.number}/call/", {"message": "越权"})
    api = client.post(
        "/api/community/event-calls",
        {"event_number": event.number, "message": "越权"},
        content_type="application/json",
    )
    assert (page.status_code, api.status_code) == (404, 404)
    assert counts() == before


@pytest.mark.parametrize(
    ("role", "status"),
    [("grid_worker", 403), ("social_organisation", 403), ("dispatcher", 403), ("resident", 403)],
)
def test_other_roles_cannot_blow_the_whistle_and_nothing_changes(client_for, event, role, status):
    before = counts()
    api = client_for(role).post(
        "/api/community/event-calls",
        {"event_number": event.number, "message": "越权"},
        content_type="application/json",
    )
    assert api.status_code in (status, 404)
    assert counts() == before


def test_the_event_page_shows_its_calls_and_the_button(client_for, users, event):
    lead = client_for("grid_lead")
    before = lead.get(f"/events/{event.number}/").content.decode()
    assert (
        f'action="/community/events/{event.number}/call/"' in before,
        "吹哨</button>" in before,
    ) == (
        True,
        True,
    )
    dispatcher_page = client_for("dispatcher").get(f"/events/{event.number}/").content.decode()
    assert 'id="event-calls"' not in dispatcher_page

    call = event_calls.call_blow_for_event(actor=users["grid_lead"], event=event, message="请协助")

    after = lead.get(f"/events/{event.number}/").content.decode()
    dispatcher_page = client_for("dispatcher").get(f"/events/{event.number}/").content.decode()
    link = f'<a href="/community/calls/{call.pk}/">'
    assert (link in after, "吹哨</button>" in after, link in dispatcher_page) == (True, False, True)


def test_the_event_page_runs_as_many_statements_with_calls_as_without(client_for, users, event):
    quiet = report(grid=HOME_GRID)
    event_calls.call_blow_for_event(actor=users["grid_lead"], event=event, message="请协助")
    client = client_for("dispatcher")
    client.get(f"/events/{quiet.number}/")  # the session and caches warm
    with CaptureQueriesContext(connection) as without:
        client.get(f"/events/{quiet.number}/")
    with CaptureQueriesContext(connection) as with_calls:
        client.get(f"/events/{event.number}/")
    assert len(with_calls.captured_queries) == len(without.captured_queries)


def test_the_lead_closes_the_call_once_every_answer_is_complete(client_for, users, event):
    lead = users["grid_lead"]
    call = event_calls.call_blow_for_event(actor=lead, event=event, message="请协助")

    def close_refused(message: str) -> None:
        before = AuditEntry.objects.count()
        with pytest.raises(ApplicationError) as error:
            event_calls.call_close(actor=lead, call=call)
        assert (error.value.status, str(error.value.message)) == (409, message)
        assert (Call.objects.get(pk=call.pk).closed_at, AuditEntry.objects.count()) == (
            None,
            before,
        )

    close_refused("所有报到方都报告完成后才能结束吹哨。")
    station = Organisation.objects.get(name="三江社工站")
    answer = services.call_report_in(
        actor=users["social_organisation"], call=call, organisation=station
    )
    services.call_report_in_department(actor=users["department_handler"], call=call)
    for response in CallResponse.objects.filter(call=call):
        services.response_transition(actor=SYSTEM, response=response, action="commit", text="协助")
    services.response_transition(actor=SYSTEM, response=answer, action="complete", text="已清运")
    close_refused("所有报到方都报告完成后才能结束吹哨。")
    department_answer = CallResponse.objects.get(call=call, department__isnull=False)
    services.response_transition(
        actor=SYSTEM, response=department_answer, action="complete", text="已清运"
    )

    page = client_for("grid_lead").post(f"/community/calls/{call.pk}/close/")

    call.refresh_from_db()
    assert (page.status_code, call.is_open) == (302, False)
    assert (
        AuditEntry.objects.filter(action="community.call.close", target_id=str(call.pk)).count()
        == 1
    )
    with pytest.raises(ApplicationError) as error:
        services.call_report_in_department(actor=users["department_handler"], call=call)
    assert error.value.status == 409
    # The event's own workflow is not touched by the call.
    assert Event.objects.get(pk=event.pk).status == event.status


def test_a_needs_call_is_not_closed_by_hand_and_a_closed_event_gets_no_call(client_for, users):
    need_call = Call.objects.filter(closed_at__isnull=True, need__isnull=False).first()
    assert need_call is not None
    api = client_for("grid_lead").post(f"/api/community/calls/{need_call.pk}/close")
    assert (api.status_code, api.json()["error"]["code"]) == (409, "need_call")
    closed = report(grid=HOME_GRID)
    event_services.event_transition(event=closed, action="reject", actor=SYSTEM, reason="重复上报")
    with pytest.raises(ApplicationError) as error:
        event_calls.call_blow_for_event(actor=users["grid_lead"], event=closed, message="请协助")
    assert error.value.status == 409


def test_the_demo_calls_for_sanjiangs_newest_open_event(users, event):
    from jiedao.community.demo import event_call_demo_load

    call = event_call_demo_load(subdistrict=users["grid_lead"].subdistrict)

    assert call is not None
    assert (call.event_id, call.called_by_id, call.community_id, call.is_open) == (
        event.pk,
        users["grid_lead"].pk,
        users["grid_lead"].community_id,
        True,
    )
