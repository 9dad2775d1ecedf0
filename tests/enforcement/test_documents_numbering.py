"""Document numbers (文号): consecutive per subdistrict, series and year, restarting each year,
from the pattern in the settings, issued once per document, and taken by the decide step."""

from datetime import date, datetime, time

import pytest

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.core.localtime import local_today, local_zone
from jiedao.enforcement import services
from jiedao.enforcement.models import Case, CaseDocument, DocumentCounter, Target
from jiedao.enforcement.numbering import issue_number


def local(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=local_zone())


def decided(day: date, outcome: str = "penalty", title: str = "店外经营") -> Case:
    """A case of the demo's first business, back-dated: its lead a week before ``day``, decided
    on ``day`` with ``outcome`` (a warning where it is a penalty)."""
    shop = Target.objects.filter(kind="business").order_by("pk").first()
    case = services.case_open(
        actor=SYSTEM,
        title=title,
        target_id=shop.pk,
        department_id=shop.subdistrict.departments.get(code="enforcement").pk,
        needs_review=False,
        now=local(day.replace(day=1)),
    )

    def move(action: str, hour: int, **inputs: object) -> Case:
        return services.case_transition(
            actor=SYSTEM, case_id=case.pk, action=action, now=local(day, hour), **inputs
        )

    move("file", 9, occurred_on=day.replace(day=1))
    move(
        "notify", 10, facts="当事人店外经营", basis="《浙江省城市市容和环境卫生管理条例》第二十二条"
    )
    penalty = {"penalty_kind": "warning"} if outcome == "penalty" else {}
    return move("decide", 11, outcome=outcome, **penalty)


def test_decisions_are_numbered_consecutively_and_a_no_penalty_apart(wenyan_demo):
    first = decided(date(2024, 3, 11))
    second = decided(date(2024, 3, 12))
    not_punished = decided(date(2024, 3, 13), outcome="no_penalty")
    third = decided(date(2024, 3, 14))
    transferred = decided(date(2024, 3, 15), outcome="transfer")

    assert [case.decision_number for case in (first, second, not_punished, third, transferred)] == [
        "萧闻综执罚〔2024〕1号",
        "萧闻综执罚〔2024〕2号",
        "萧闻综执不罚〔2024〕1号",
        "萧闻综执罚〔2024〕3号",
        "",
    ]
    assert list(Case.objects.filter(pk=third.pk).values_list("decision_number", flat=True)) == [
        "萧闻综执罚〔2024〕3号"
    ]
    assert not CaseDocument.objects.filter(case=transferred).exists()


def test_the_numbers_start_again_each_year(wenyan_demo):
    december = decided(date(2024, 12, 30))
    january = decided(date(2025, 1, 6))
    later = decided(date(2025, 1, 7))

    assert [december.decision_number, january.decision_number, later.decision_number] == [
        "萧闻综执罚〔2024〕1号",
        "萧闻综执罚〔2025〕1号",
        "萧闻综执罚〔2025〕2号",
    ]
    assert sorted(
        DocumentCounter.objects.filter(year__in=(2024, 2025)).values_list("series", "year", "last")
    ) == [("decision", 2024, 1), ("decision", 2025, 2)]


def test_the_pattern_comes_from_the_settings(wenyan_demo, settings):
    settings.ENFORCEMENT_DOCUMENT_NUMBERS = {"decision": "闻堰执法罚字〔{year}〕第{number}号"}

    case = decided(date(2024, 5, 6))
    filing = issue_number(case=case, kind="filing", actor=SYSTEM)

    # The series the setting leaves out keep their default.
    assert (case.decision_number, filing.number) == (
        "闻堰执法罚字〔2024〕第1号",
        "萧闻综执立〔2024〕1号",
    )


def test_a_document_keeps_its_number_and_asking_again_takes_none(wenyan_demo):
    case = decided(date(2024, 6, 3))
    entries = AuditEntry.objects.count()

    first = issue_number(case=case, kind="filing", actor=SYSTEM)
    again = issue_number(case=case, kind="filing", actor=SYSTEM)
    decision = issue_number(case=case, kind="decision", actor=SYSTEM)

    assert (first.pk, first.number) == (again.pk, "萧闻综执立〔2024〕1号")
    assert decision.number == "萧闻综执罚〔2024〕1号"
    assert DocumentCounter.objects.get(series="filing", year=2024).last == 1
    assert list(
        AuditEntry.objects.order_by("pk")[entries:].values_list("action", "target_repr")
    ) == [("enforcement.document_issue", "萧闻综执立〔2024〕1号")]


def test_the_decide_step_issues_the_number_with_its_audit_entries(wenyan_demo):
    entries = AuditEntry.objects.count()

    case = decided(date(2024, 7, 1))

    document = CaseDocument.objects.get(case=case)
    assert (document.kind, document.number, document.issued_at, document.issued_by) == (
        "decision",
        "萧闻综执罚〔2024〕1号",
        local(date(2024, 7, 1), 11),
        None,
    )
    assert list(AuditEntry.objects.order_by("pk")[entries:].values_list("action", flat=True))[
        -3:
    ] == [
        "enforcement.case_decide",
        "enforcement.document_issue",
        "enforcement.case_decision_number",
    ]


@pytest.mark.parametrize(
    ("outcome", "series", "pattern"),
    [
        ("penalty", "decision", "萧闻综执罚〔{}〕{}号"),
        ("no_penalty", "decision_no_penalty", "萧闻综执不罚〔{}〕{}号"),
    ],
)
def test_an_officer_deciding_today_takes_the_next_number(users, outcome, series, pattern):
    officer = users["enforcement_officer"]
    shop = Target.objects.filter(kind="business").order_by("pk").first()
    case = services.case_open(
        actor=officer, title="店外经营", target_id=shop.pk, needs_review=False
    )
    services.case_transition(
        actor=officer, case_id=case.pk, action="file", occurred_on=local_today()
    )
    services.case_transition(
        actor=officer, case_id=case.pk, action="notify", facts="店外经营", basis="第二十二条"
    )
    year = local_today().year
    counter = DocumentCounter.objects.filter(series=series, year=year).first()
    taken = counter.last if counter else 0

    case = services.case_transition(
        actor=officer,
        case_id=case.pk,
        action="decide",
        outcome=outcome,
        penalty_kind="warning" if outcome == "penalty" else "",
    )

    document = CaseDocument.objects.get(case=case)
    assert (document.issued_by, case.decision_number, document.number) == (
        officer,
        pattern.format(year, taken + 1),
        pattern.format(year, taken + 1),
    )
