"""双公示: the due date on the working calendar, the snapshot taken at publication, masking,
the late flag and its one notification, who may publish and withdraw, refusals that write
nothing, the public list (never an unpublished or withdrawn decision), its files and its
statement counts."""

import csv
import io
import itertools
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from jiedao.accounts.models import User
from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from jiedao.core.localtime import local_zone
from jiedao.enforcement import selectors_cases, services
from jiedao.enforcement.codes import credit_code_check_character
from jiedao.enforcement.models import Case, Disclosure, Target
from jiedao.enforcement.services.disclosure import disclosure_due_on
from jiedao.enforcement.tasks import announce_late_disclosures
from jiedao.events.models import Notification
from jiedao.geo.models import Department
from tests.roles import ALL_ROLES

PUBLISHERS = {"enforcement_officer", "supervisor"}
WITHDRAWERS = {"supervisor"}
SHOP_CREDIT_CODE = "91330109MA2B3C400U"


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=local_zone())


def enforcement() -> Department:
    return Department.objects.get(code="enforcement")


def credit_code(number: int) -> str:
    first17 = f"91330109MA2B3C4{number:02d}"
    return first17 + credit_code_check_character(first17)


SHOPS = itertools.count(1)


def shop(name: str = "杭州萧山闻堰公示测试餐饮店", code: str = "") -> Target:
    """A business of its own, with a credit code no other target has unless ``code`` is given."""
    return Target.objects.create(
        subdistrict=enforcement().subdistrict,
        kind="business",
        name=name,
        credit_code=code or credit_code(next(SHOPS) % 100),
        address="闻堰街道闻兴路8号",
    )


def person() -> Target:
    return Target.objects.create(
        subdistrict=enforcement().subdistrict,
        kind="person",
        name="张三丰",
        id_number="330109199001011237",
    )


def decided(
    target: Target,
    *,
    day: date = date(2024, 9, 27),
    outcome: str = "penalty",
    penalty_kind: str = "fine",
    fine: str = "500",
    violation_type: str = "店外经营",
    facts: str = "当事人在店门外摆放桌椅经营，经调查属实。",
) -> Case:
    """A general-procedure case from its lead to its decision on ``day`` (15:00)."""
    case = services.case_open(
        actor=SYSTEM,
        title="店外经营案",
        target_id=target.pk,
        department_id=enforcement().pk,
        needs_review=False,
        now=at(date(2024, 9, 2)),
    )

    def move(action, moment, **inputs):
        return services.case_transition(
            actor=SYSTEM, case_id=case.pk, action=action, now=moment, **inputs
        )

    move("file", at(date(2024, 9, 3)), occurred_on=date(2024, 9, 1))
    move(
        "notify",
        at(date(2024, 9, 10)),
        facts=facts,
        basis="《浙江省城市市容和环境卫生管理条例》第二十二条",
        violation_type=violation_type,
        proposed_fine=fine if penalty_kind == "fine" else None,
    )
    inputs = {"outcome": outcome}
    if outcome == "penalty":
        inputs.update(penalty_kind=penalty_kind, fine=fine if penalty_kind == "fine" else None)
    return move("decide", at(day, 15), **inputs)


def state(case: Case) -> tuple:
    case.refresh_from_db()
    return (
        Disclosure.objects.count(),
        Disclosure.objects.filter(withdrawn_at__isnull=False).count(),
        AuditEntry.objects.count(),
        Notification.objects.count(),
        case.disclosure,
        case.violation_type,
        case.disclosure_late_at,
    )


# --- The due date ---------------------------------------------------------------------------


def test_the_due_date_runs_seven_working_days_across_national_day_2024(db):
    """Sep 29 (Sunday) and Oct 12 (Saturday) are worked, Oct 1-7 is the holiday."""
    assert disclosure_due_on(at(date(2024, 9, 27), 15)) == date(2024, 10, 12)
    assert disclosure_due_on(at(date(2024, 9, 30), 15)) == date(2024, 10, 15)
    assert disclosure_due_on(at(date(2024, 10, 8), 15)) == date(2024, 10, 16)


def test_the_decide_step_stores_the_due_date(wenyan_demo):
    case = decided(shop())

    assert (case.disclosure, case.disclosure_due_on, case.decision_number) == (
        "pending",
        date(2024, 10, 12),
        "萧闻综执罚〔2024〕1号",
    )


@pytest.mark.parametrize(
    ("outcome", "penalty_kind"),
    [("no_penalty", ""), ("transfer", "")],
    ids=["no_penalty", "transfer"],
)
def test_decisions_other_than_a_penalty_are_not_published(wenyan_demo, outcome, penalty_kind):
    case = decided(shop(), outcome=outcome, penalty_kind=penalty_kind)

    assert (case.disclosure, case.disclosure_due_on) == ("", None)
    with pytest.raises(Conflict) as refused:
        services.disclosure_publish(actor=SYSTEM, case_id=case.pk)
    assert str(refused.value.message) == (
        "只有按一般程序作出的行政处罚决定才予公示，本案没有此类决定。"
    )


def test_the_simple_procedure_is_not_published(users):
    case = services.case_simple(
        actor=users["enforcement_officer"],
        target_id=shop().pk,
        title="当场处罚",
        facts="店外经营",
        basis="第二十二条",
        penalty_kind="warning",
        violation_type="店外经营",
    )

    assert (case.disclosure, case.violation_type, case.penalty_content) == ("", "店外经营", "警告")


# --- Publishing: the snapshot and masking ---------------------------------------------------


def test_the_publication_is_a_snapshot_later_edits_do_not_change(wenyan_demo):
    case = decided(shop(code=SHOP_CREDIT_CODE))

    disclosure = services.disclosure_publish(
        actor=SYSTEM, case_id=case.pk, now=at(date(2024, 10, 8), 16)
    )
    Case.objects.filter(pk=case.pk).update(
        facts="改过的事实", basis="改过的依据", violation_type="改过的类型", fine=Decimal(9)
    )
    Target.objects.filter(pk=case.target_id).update(name="改名后的店")
    disclosure.refresh_from_db()
    case.refresh_from_db()

    assert {
        field: getattr(disclosure, field)
        for field in (
            "party_name",
            "party_kind",
            "credit_code",
            "decision_number",
            "violation_type",
            "facts",
            "basis",
            "penalty_kind",
            "penalty_content",
            "fine",
            "decided_on",
            "authority",
            "due_on",
            "published_on",
            "is_late",
        )
    } == {
        "party_name": "杭州萧山闻堰公示测试餐饮店",
        "party_kind": "business",
        "credit_code": SHOP_CREDIT_CODE,
        "decision_number": "萧闻综执罚〔2024〕1号",
        "violation_type": "店外经营",
        "facts": "当事人在店门外摆放桌椅经营，经调查属实。",
        "basis": "《浙江省城市市容和环境卫生管理条例》第二十二条",
        "penalty_kind": "fine",
        "penalty_content": "罚款人民币500元",
        "fine": Decimal("500.00"),
        "decided_on": date(2024, 9, 27),
        "authority": "萧山区人民政府闻堰街道办事处（综合行政执法队）",
        "due_on": date(2024, 10, 12),
        "published_on": date(2024, 10, 8),
        "is_late": False,
    }
    assert case.disclosure == "published"
    assert list(
        AuditEntry.objects.filter(action__startswith="enforcement.disclosure").values_list(
            "action", flat=True
        )
    ) == ["enforcement.disclosure_publish"]


def test_a_natural_persons_name_is_masked_and_the_id_number_never_published(wenyan_demo, client):
    case = decided(person(), penalty_kind="warning")

    disclosure = services.disclosure_publish(actor=SYSTEM, case_id=case.pk)
    page = client.get("/enforcement/public/").content.decode()

    assert (disclosure.party_name, disclosure.credit_code, disclosure.penalty_content) == (
        "张**",
        "",
        "警告",
    )
    assert "张**" in page
    assert "张三丰" not in page
    assert "330109199001011237" not in page


def test_the_publish_form_completes_a_case_decided_without_a_type_of_violation(users):
    case = decided(shop(), violation_type="")
    officer = users["enforcement_officer"]

    with pytest.raises(InvalidInput) as refused:
        services.disclosure_publish(actor=officer, case_id=case.pk)
    before = state(case)
    disclosure = services.disclosure_publish(
        actor=officer, case_id=case.pk, violation_type="擅自设置户外广告"
    )
    case.refresh_from_db()

    assert str(refused.value.message) == "缺少违法行为类型，无法公示该决定。"
    assert refused.value.field == "violation_type"
    assert before[:2] == (0, 0)
    assert (disclosure.violation_type, case.violation_type, disclosure.published_by) == (
        "擅自设置户外广告",
        "擅自设置户外广告",
        officer,
    )


# --- Refusals write nothing -----------------------------------------------------------------


def test_publishing_a_case_not_decided_is_refused_in_chinese_and_writes_nothing(users):
    case = services.case_open(
        actor=SYSTEM,
        title="尚未决定的案件",
        target_id=shop().pk,
        department_id=enforcement().pk,
        now=at(date(2024, 9, 2)),
    )
    before = state(case)

    with pytest.raises(Conflict) as refused:
        services.disclosure_publish(actor=users["enforcement_officer"], case_id=case.pk)

    assert str(refused.value.message) == (
        "只有按一般程序作出的行政处罚决定才予公示，本案没有此类决定。"
    )
    assert state(case) == before


def test_publishing_twice_and_withdrawing_without_a_reason_are_refused(users):
    case = decided(shop())
    disclosure = services.disclosure_publish(actor=users["enforcement_officer"], case_id=case.pk)
    before = state(case)

    with pytest.raises(Conflict) as twice:
        services.disclosure_publish(actor=users["supervisor"], case_id=case.pk)
    with pytest.raises(InvalidInput) as no_reason:
        services.disclosure_withdraw(
            actor=users["supervisor"], disclosure_id=disclosure.pk, reason="  "
        )

    assert str(twice.value.message) == "该处罚决定已经公示。"
    assert no_reason.value.field == "reason"
    assert "撤销公示的理由" in str(no_reason.value.message)
    assert state(case) == before


def test_an_officer_of_another_department_does_not_find_the_case(users):
    case = decided(shop())
    market = Department.objects.get(code="market")
    other = User.objects.create_user(
        username="zhifa-market",
        password="x",
        role="enforcement_officer",
        subdistrict=market.subdistrict,
        department=market,
    )
    before = state(case)

    with pytest.raises(NotFound):
        services.disclosure_publish(actor=other, case_id=case.pk)

    assert state(case) == before


# --- Who may publish and withdraw -----------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_publish(users, role):
    case = decided(shop())
    before = state(case)

    if role in PUBLISHERS:
        services.disclosure_publish(actor=users[role], case_id=case.pk)
        case.refresh_from_db()
        assert (case.disclosure, Disclosure.objects.filter(case=case).count()) == ("published", 1)
    else:
        with pytest.raises(Forbidden):
            services.disclosure_publish(actor=users[role], case_id=case.pk)
        assert state(case) == before


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_withdraw_a_publication_kept_with_its_reason(users, role):
    case = decided(shop())
    disclosure = services.disclosure_publish(actor=users["enforcement_officer"], case_id=case.pk)
    before = state(case)

    if role in WITHDRAWERS:
        services.disclosure_withdraw(
            actor=users[role], disclosure_id=disclosure.pk, reason="决定已被复议机关撤销"
        )
        disclosure.refresh_from_db()
        case.refresh_from_db()
        assert (
            disclosure.withdrawal_reason,
            disclosure.withdrawn_by,
            case.disclosure,
            Disclosure.objects.filter(case=case).count(),
        ) == ("决定已被复议机关撤销", users[role], "withdrawn", 1)
    else:
        with pytest.raises(Forbidden):
            services.disclosure_withdraw(
                actor=users[role], disclosure_id=disclosure.pk, reason="理由"
            )
        assert state(case) == before


# --- Late: the flag, the list filter, the card and one notification -------------------------


def test_a_late_decision_is_flagged_and_announced_exactly_once(users):
    case = decided(shop())
    zhifa = users["enforcement_officer"]

    on_the_last_day = announce_late_disclosures.enqueue(now=at(date(2024, 10, 12), 23).isoformat())
    first = announce_late_disclosures.enqueue(now=at(date(2024, 10, 14), 1).isoformat())
    second = announce_late_disclosures.enqueue(now=at(date(2024, 10, 15), 1).isoformat())
    case.refresh_from_db()
    notices = Notification.objects.filter(kind="disclosure_late").select_related("user")

    assert (on_the_last_day.return_value, first.return_value, second.return_value) == (0, 1, 0)
    assert case.disclosure_late_at == at(date(2024, 10, 14), 1)
    assert sorted(n.user.username for n in notices) == ["fazhi", "lingdao", "zhifa"]
    assert {n.link for n in notices} == {f"/enforcement/cases/{case.pk}/"}
    assert notices.get(user=zhifa).text == (
        "萧闻综执罚〔2024〕1号：处罚决定未按期公示（公示超期） — 2024-10-12"
    )
    late = selectors_cases.case_list(user=zhifa, disclosure="late")
    assert case in late
    assert selectors_cases.case_counts(user=zhifa)["disclosure_late"] == late.count()


def test_the_late_notice_leads_from_the_notifications_page_to_the_case(users, client_for):
    case = decided(shop())
    announce_late_disclosures.enqueue(now=at(date(2024, 10, 14), 1).isoformat())

    page = client_for("supervisor").get("/events/notifications/").content.decode()
    api = client_for("supervisor").get("/api/events/notifications").json()

    assert (
        f'<a href="/enforcement/cases/{case.pk}/">萧闻综执罚〔2024〕1号：处罚决定未按期公示（公示超期）'
        " — 2024-10-12</a>"
    ) in page
    assert [
        (item["event_number"], item["link"], item["kind"])
        for item in api
        if item["kind"] == "disclosure_late"
    ] == [(None, f"/enforcement/cases/{case.pk}/", "disclosure_late")]


def test_the_list_page_flags_and_filters_late_decisions(users, client_for):
    case = decided(shop())
    waiting_title = "等待公示的案件"
    Case.objects.filter(pk=case.pk).update(title=waiting_title)

    late_page = client_for("enforcement_officer").get("/enforcement/cases/?disclosure=late")
    published = decided(shop("另一家店"))
    services.disclosure_publish(actor=SYSTEM, case_id=published.pk)
    pending_page = client_for("enforcement_officer").get("/enforcement/cases/?disclosure=pending")

    assert waiting_title in late_page.content.decode()
    assert "公示超期" in late_page.content.decode()
    assert waiting_title in pending_page.content.decode()
    assert f"/enforcement/cases/{published.pk}/" not in pending_page.content.decode()


# --- The case file's buttons and the API ----------------------------------------------------


def test_the_case_file_publishes_and_the_api_agrees(users, client_for):
    case = decided(shop())
    officer = client_for("enforcement_officer")

    file_page = officer.get(f"/enforcement/cases/{case.pk}/").content.decode()
    response = officer.post(
        f"/enforcement/cases/{case.pk}/publish/",
        {"violation_type": "店外经营", "penalty_content": "罚款人民币伍佰元整"},
    )
    detail = officer.get(f"/api/enforcement/cases/{case.pk}").json()
    again = officer.post(f"/api/enforcement/cases/{case.pk}/disclosure", {}, "application/json")
    public = officer.get("/api/enforcement/public/disclosures").json()

    assert "公示</button>" in file_page
    assert response.status_code == 302
    assert (detail["disclosure"], detail["penalty_content"]) == ("published", "罚款人民币伍佰元整")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_published")
    assert [item["decision_number"] for item in public["items"]] == ["萧闻综执罚〔2024〕1号"]
    assert public["items"][0]["penalty_content"] == "罚款人民币伍佰元整"


def test_the_api_withdraws_for_a_supervisor_only(users, client_for):
    case = decided(shop())
    disclosure = services.disclosure_publish(actor=SYSTEM, case_id=case.pk)
    url = f"/api/enforcement/disclosures/{disclosure.pk}/withdraw"

    refused = client_for("enforcement_officer").post(url, {"reason": "错"}, "application/json")
    withdrawn = client_for("supervisor").post(url, {"reason": "文号有误"}, "application/json")

    assert refused.status_code == 403
    assert (withdrawn.status_code, withdrawn.json()["withdrawal_reason"]) == (200, "文号有误")


# --- The public list and its files ---------------------------------------------------------


def test_the_public_list_shows_only_live_publications(wenyan_demo, client):
    published = decided(shop("已公示的店"))
    withdrawn = decided(shop("已撤销的店"))
    waiting = decided(shop("待公示的店"))
    services.disclosure_publish(actor=SYSTEM, case_id=published.pk)
    gone = services.disclosure_publish(actor=SYSTEM, case_id=withdrawn.pk)
    services.disclosure_withdraw(actor=SYSTEM, disclosure_id=gone.pk, reason="决定被撤销")

    page = client.get("/enforcement/public/")
    api = client.get("/api/enforcement/public/disclosures").json()

    assert page.status_code == 200
    text = page.content.decode()
    assert ("已公示的店" in text, "已撤销的店" in text, "待公示的店" in text) == (
        True,
        False,
        False,
    )
    assert [item["party_name"] for item in api["items"]] == ["已公示的店"]
    assert waiting.disclosure == "pending"


def test_the_public_list_filters_by_dates_and_text(wenyan_demo, client):
    for name, day in (("九月的店", date(2024, 9, 27)), ("十月的店", date(2024, 10, 9))):
        services.disclosure_publish(actor=SYSTEM, case_id=decided(shop(name), day=day).pk)

    def names(query):
        return [
            item["party_name"]
            for item in client.get(f"/api/enforcement/public/disclosures?{query}").json()["items"]
        ]

    assert names("") == ["十月的店", "九月的店"]
    assert names("from=2024-10-01") == ["十月的店"]
    assert names("to=2024-09-30") == ["九月的店"]
    assert names("q=九月") == ["九月的店"]
    bad = client.get("/enforcement/public/?from=2024-13-01")
    assert bad.status_code == 422
    assert "决定日期自" in bad.content.decode()


def test_the_csv_and_the_workbook_hold_the_filtered_list_formula_safe(wenyan_demo, client):
    case = decided(shop('=HYPERLINK("http://evil")', SHOP_CREDIT_CODE), facts="+当事人店外经营")
    services.disclosure_publish(actor=SYSTEM, case_id=case.pk, now=at(date(2024, 10, 8), 16))
    services.disclosure_publish(
        actor=SYSTEM, case_id=decided(shop("筛掉的店"), day=date(2024, 10, 9)).pk
    )
    header = [
        "行政相对人名称",
        "统一社会信用代码",
        "决定书文号",
        "违法行为类型",
        "违法事实",
        "处罚依据",
        "处罚类别",
        "处罚内容",
        "罚款金额（元）",
        "处罚决定日期",
        "处罚机关",
        "公示日期",
    ]
    row = [
        '\'=HYPERLINK("http://evil")',
        SHOP_CREDIT_CODE,
        "萧闻综执罚〔2024〕1号",
        "店外经营",
        "'+当事人店外经营",
        "《浙江省城市市容和环境卫生管理条例》第二十二条",
        "罚款",
        "罚款人民币500元",
    ]

    csv_response = client.get("/enforcement/public/file/csv/?to=2024-09-30")
    xlsx_response = client.get("/enforcement/public/file/xlsx/?to=2024-09-30")
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active

    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    body = csv_response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(body.removeprefix("\ufeff")))) == [
        header,
        [
            *row,
            "500.00",
            "2024-09-27",
            "萧山区人民政府闻堰街道办事处（综合行政执法队）",
            "2024-10-08",
        ],
    ]
    # A workbook's dates come back as midnight without a zone: compared as dates.
    values = [
        [value.date() if isinstance(value, datetime) else value for value in line]
        for line in sheet.iter_rows(values_only=True)
    ]
    assert values == [
        header,
        [
            *row,
            500,
            date(2024, 9, 27),
            "萧山区人民政府闻堰街道办事处（综合行政执法队）",
            date(2024, 10, 8),
        ],
    ]
    assert (sheet["I2"].number_format, sheet["J2"].number_format) == ("0.00", "yyyy-mm-dd")


def test_the_public_doors_are_rate_limited(wenyan_demo, client, settings):
    settings.ENFORCEMENT_DISCLOSURE_PAGES_PER_MINUTE = 2
    settings.ENFORCEMENT_DISCLOSURE_FILES_PER_MINUTE = 1

    pages = [client.get("/enforcement/public/").status_code for _ in range(3)]
    files = [client.get("/enforcement/public/file/csv/").status_code for _ in range(2)]

    assert (pages, files) == ([200, 200, 429], [200, 429])


def _many(count: int) -> None:
    """``count`` live publications, copied from one made by the services (a read test)."""
    case = decided(shop())
    model = services.disclosure_publish(actor=SYSTEM, case_id=case.pk)
    for number in range(count - 1):
        copy = Case.objects.get(pk=case.pk)
        copy.pk = None
        copy.save()
        model.pk = None
        model.case = copy
        model.decision_number = f"萧闻综执罚〔2024〕{number + 2}号"
        model.save()


@pytest.mark.parametrize("count", [3, 30])
def test_the_public_page_and_file_take_the_same_statements_for_3_and_30_rows(
    wenyan_demo, client, count
):
    _many(count)

    with CaptureQueriesContext(connection) as page_queries:
        page = client.get("/enforcement/public/")
    with CaptureQueriesContext(connection) as file_queries:
        document = client.get("/enforcement/public/file/csv/")

    assert page.status_code == document.status_code == 200
    assert document.content.decode("utf-8").count("\r\n") == count + 1
    # The session and the rate limit's cache take none: one statement for the rows each.
    assert (len(page_queries), len(file_queries)) == (1, 1)
