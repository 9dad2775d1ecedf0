"""Document numbers issued at the same moment on PostgreSQL: the counter's row lock gives two
cases consecutive numbers and the same case's document one number, with nothing skipped."""

import threading

import pytest
from django.db import close_old_connections, connection, connections

from jiedao.accounts.models import User
from jiedao.core.localtime import local_today
from jiedao.enforcement import services
from jiedao.enforcement.models import CaseDocument, DocumentCounter, Target
from jiedao.enforcement.services.documents import case_document_issue


@pytest.mark.postgres
def test_notices_issued_at_once_take_consecutive_numbers(transactional_db, wenyan_demo):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections to PostgreSQL")
    zhifa = User.objects.get(username="zhifa")
    shop = Target.objects.filter(kind="business").order_by("pk").first()
    cases = []
    for title in ("店外经营", "占道经营"):
        case = services.case_open(actor=zhifa, title=title, target_id=shop.pk, needs_review=False)
        services.case_transition(
            actor=zhifa, case_id=case.pk, action="file", occurred_on=local_today()
        )
        services.case_transition(
            actor=zhifa, case_id=case.pk, action="notify", facts=title, basis="第二十二条"
        )
        cases.append(case)
    start = threading.Barrier(3)
    numbers: list[tuple[int, str]] = []

    def issue(case_id: int) -> None:
        try:
            start.wait()
            _case, document = case_document_issue(actor=zhifa, case_id=case_id, kind="notice")
            numbers.append((case_id, document.number))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=issue, args=(case_id,))
        for case_id in (cases[0].pk, cases[1].pk, cases[0].pk)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()

    year = local_today().year
    by_case = {case_id: {n for c, n in numbers if c == case_id} for case_id, _n in numbers}
    assert (
        len(numbers),
        sorted(number for found in by_case.values() for number in found),
        CaseDocument.objects.filter(kind="notice").count(),
        DocumentCounter.objects.get(series="notice", year=year).last,
    ) == (3, [f"萧闻综执告〔{year}〕1号", f"萧闻综执告〔{year}〕2号"], 2, 2)
