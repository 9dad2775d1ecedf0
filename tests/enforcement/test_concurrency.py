"""Two officers completing the same inspection at once on PostgreSQL: the row lock lets one
complete it; the other is told it is completed already, and nothing is lost or written twice."""

import threading

import pytest
from django.db import close_old_connections, connection, connections

from jiedao.accounts.models import User
from jiedao.audit.models import AuditEntry
from jiedao.core.errors import Conflict
from jiedao.enforcement import services
from jiedao.enforcement.models import Inspection
from tests.factories import UserFactory


@pytest.mark.postgres
def test_two_officers_complete_the_same_inspection_at_once(transactional_db, wenyan_demo):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections to PostgreSQL")
    inspection = Inspection.objects.select_related("lead_department").get(status="in_progress")
    zhifa = User.objects.get(username="zhifa")
    colleague = UserFactory(
        username="zhifa2",
        role="enforcement_officer",
        subdistrict=zhifa.subdistrict,
        department=zhifa.department,
    )
    for item in inspection.items.all():
        services.item_record(actor=zhifa, item_id=item.pk, result="pass")
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def complete(officer, conclusion: str) -> None:
        try:
            start.wait()
            services.inspection_transition(
                actor=officer, inspection_id=inspection.pk, action="complete", text=conclusion
            )
            outcomes[officer.username] = "completed"
        except Conflict as refusal:
            outcomes[officer.username] = str(refusal.message)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=complete, args=(zhifa, "周执法的结论")),
        threading.Thread(target=complete, args=(colleague, "第二位队员的结论")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()

    inspection.refresh_from_db()
    winner = inspection.completed_by.username
    loser = "zhifa2" if winner == "zhifa" else "zhifa"
    assert outcomes == {winner: "completed", loser: "处于“已完成”状态的检查不能进行此操作。"}
    assert inspection.conclusion == {"zhifa": "周执法的结论", "zhifa2": "第二位队员的结论"}[winner]
    assert (
        AuditEntry.objects.filter(
            action="enforcement.inspection_complete", target_id=str(inspection.pk)
        ).count()
    ) == 1
