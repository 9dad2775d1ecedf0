"""Several connections at once on PostgreSQL: the row lock serialises people acting on one event,
two merges in opposite directions queue instead of deadlocking, and the unique client key makes
parallel retries of one report create one event.

Each test starts its threads at a barrier so that they really meet in the database; every thread
closes its own connection. On SQLite (one writer at a time) they are skipped: the PostgreSQL run
executes them.
"""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from jiedao.audit.models import AuditEntry
from jiedao.core.errors import ApplicationError
from jiedao.events import services
from jiedao.events.models import Event, EventStep

from .conftest import HOME_GRID, drive, point_in, report

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only(transactional_db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent connections and row locks")


def run_together(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run the jobs in threads released at once; each result is its return value or the
    ApplicationError it raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = job()
        except ApplicationError as error:
            results[index] = error
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [thread.is_alive() for thread in threads] == [False] * len(jobs)
    return results


def test_accept_and_reject_at_once_one_wins_the_other_gets_409(users: Any) -> None:
    # given a reported event and a dispatcher clicking accept and reject in two windows
    event = report(users["grid_worker"])
    dispatcher = users["dispatcher"]
    audits_before = AuditEntry.objects.count()

    def transition(action: str, **data: Any) -> Callable[[], Any]:
        return lambda: (
            services.event_transition(
                event=Event.objects.get(pk=event.pk), action=action, actor=dispatcher, **data
            ).status
        )

    # when both arrive at the same moment
    results = run_together([transition("accept"), transition("reject", reason="重复上报")])

    # then exactly one wins, the other is told the event moved on, and history is complete
    winners = [result for result in results if isinstance(result, str)]
    losers = [result for result in results if isinstance(result, ApplicationError)]
    assert (len(winners), len(losers)) == (1, 1), results
    assert losers[0].status == 409
    event.refresh_from_db()
    assert event.status == winners[0]
    assert list(EventStep.objects.filter(event=event).values_list("action", "to_status")) == [
        ("report", "reported"),
        ("accept" if winners[0] == "accepted" else "reject", winners[0]),
    ]
    assert AuditEntry.objects.count() == audits_before + 1


def test_two_compatible_actions_at_once_lose_nothing(users: Any) -> None:
    # given an event dispatched to the city management team
    event = drive(
        report(users["grid_worker"]),
        [("accept", {}), ("dispatch", {"department": "city-management"})],
    )

    # when the department asks for an extension while the dispatcher urges, at the same moment
    results = run_together(
        [
            lambda: services.event_transition(
                event=Event.objects.get(pk=event.pk),
                action="request_extension",
                actor=users["department_handler"],
                reason="等待配件",
                working_days=2,
            ),
            lambda: services.event_transition(
                event=Event.objects.get(pk=event.pk),
                action="urge",
                actor=users["dispatcher"],
                note="请尽快",
            ),
        ]
    )

    # then both are applied, one after the other, and neither overwrote the other's change
    assert [isinstance(result, Event) for result in results] == [True, True], results
    event.refresh_from_db()
    assert event.extension_requested_until is not None
    assert event.status == "dispatched"
    assert sorted(EventStep.objects.filter(event=event).values_list("action", flat=True)) == [
        "accept",
        "dispatch",
        "report",
        "request_extension",
        "urge",
    ]
    assert event.last_action_at == EventStep.objects.filter(event=event).latest("id").created_at


def test_eight_parallel_retries_with_one_key_create_one_event(users: Any) -> None:
    # given a resident's phone retrying one report eight times in parallel on a bad network
    lat, lng = point_in(HOME_GRID)
    resident = users["resident"]
    events_before = Event.objects.count()

    def retry() -> Any:
        outcome = services.event_report(
            actor=resident,
            category="E0101",
            description="小区门口垃圾",
            lat=lat,
            lng=lng,
            client_key="7f1c8a9e-retry",
        )
        return outcome.event.number, outcome.created

    results = run_together([retry] * 8)

    # then one event exists, every retry got its number, and exactly one call created it
    assert [isinstance(result, tuple) for result in results] == [True] * 8, results
    assert len({number for number, _created in results}) == 1
    assert sorted(created for _number, created in results) == [False] * 7 + [True]
    assert Event.objects.count() == events_before + 1
    event = Event.objects.get(client_key="7f1c8a9e-retry")
    assert EventStep.objects.filter(event=event).count() == 1
    # the number came from the day's sequence, which the losers' rolled-back attempts drew from
    # too (a sequence is not transactional): one of the first eight, and the next report's
    # number comes after all of them
    assert event.number[-4:] in {f"{n:04d}" for n in range(1, 9)}
    following = services.event_report(
        actor=resident, category="E0101", description="另一件", lat=lat, lng=lng
    ).event
    assert following.number[-4:] == "0009"


@pytest.mark.parametrize("attempt", range(5))
def test_two_merges_in_opposite_directions_at_once_do_not_deadlock(
    users: Any, attempt: int
) -> None:
    # given two reports of one problem, and two dispatchers each merging one into the other
    first, second = report(users["grid_worker"]), report(users["grid_worker"])
    dispatcher = users["dispatcher"]
    audits_before = AuditEntry.objects.count()

    def merge(event: Event, primary: Event) -> Callable[[], Any]:
        return lambda: (
            services.event_transition(
                event=Event.objects.get(pk=event.pk),
                action="merge",
                actor=dispatcher,
                primary=primary.number,
            ).number
        )

    # when both merges arrive at the same moment
    results = run_together([merge(first, second), merge(second, first)])

    # then one merge wins, the other is refused cleanly (no deadlock, no 500)
    winners = [result for result in results if isinstance(result, str)]
    losers = [result for result in results if isinstance(result, ApplicationError)]
    assert (len(winners), len(losers)) == (1, 1), results
    assert (losers[0].status, losers[0].code, losers[0].field) == (
        409,
        "invalid_transition",
        "primary",
    )
    merged = Event.objects.get(number=winners[0])
    primary = second if merged.pk == first.pk else first
    primary.refresh_from_db()
    assert (merged.status, merged.merged_into_id) == ("merged", primary.pk)
    assert (primary.status, primary.merged_into_id) == ("reported", None)
    assert list(EventStep.objects.filter(event=merged).values_list("action", flat=True)) == [
        "report",
        "merge",
    ]
    assert list(EventStep.objects.filter(event=primary).values_list("action", flat=True)) == [
        "report"
    ]
    assert AuditEntry.objects.count() == audits_before + 1
