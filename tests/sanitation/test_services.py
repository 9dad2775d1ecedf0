"""The sanitation services against exact values: drop-offs and their points, inspections with
findings and deadlines in working days, rectification, recycling weigh-ins, redemptions, and
bad input refused with a clear message and nothing written."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.core.errors import Conflict, InvalidInput
from jiedao.events.models import Event
from jiedao.sanitation import services
from jiedao.sanitation.models import (
    Account,
    DropOff,
    Finding,
    Inspection,
    PointsEntry,
    Rectification,
    RecyclingMaterial,
    Reward,
    WeighIn,
)
from tests.images import camera_jpeg

SHANGHAI = ZoneInfo("Asia/Shanghai")


def drop(user, point, account, **overrides):
    arguments = {
        "actor": user,
        "collection_point_id": point.pk,
        "account_number": account.number,
        "waste_class": "food",
        "weight_kg": "2.5",
        "is_correct": True,
    }
    arguments.update(overrides)
    return services.drop_off_record(**arguments)


def counts():
    return (
        DropOff.objects.count(),
        PointsEntry.objects.count(),
        Inspection.objects.count(),
        WeighIn.objects.count(),
        AuditEntry.objects.count(),
    )


def test_a_household_gets_the_next_number_of_its_compound(account):
    assert account.number == "SJMY-0025"
    assert (account.holder_kind, account.grid.code, account.points_balance) == (
        "household",
        "330109012001001",
        0,
    )


def test_a_correct_drop_off_earns_the_rules_points_up_to_the_daily_cap(users, point, account):
    worker = users["grid_worker"]

    first = drop(worker, point, account)
    drop(worker, point, account, waste_class="other", weight_kg="1.25")
    drop(worker, point, account, waste_class="recyclable", weight_kg="0.5")

    account.refresh_from_db()
    assert (first.weight_kg, first.checked_by, first.compound.name) == (
        Decimal("2.500"),
        worker,
        "三江名苑",
    )
    # 2 points per correct drop-off, at most 2 a day: the third earns nothing.
    assert account.points_balance == 4
    assert list(
        PointsEntry.objects.filter(account=account)
        .order_by("pk")
        .values_list("kind", "points", "balance_after")
    ) == [("earn", 2, 2), ("earn", 2, 4)]


def test_an_incorrect_drop_off_is_recorded_and_earns_nothing(users, point, account):
    drop(users["grid_worker"], point, account, is_correct=False)

    account.refresh_from_db()
    assert (
        DropOff.objects.filter(account=account, is_correct=False).count(),
        account.points_balance,
    ) == (1, 0)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"weight_kg": "-1"}, "weight_kg", "重量（公斤）必须大于 0 公斤。"),
        ({"weight_kg": "0"}, "weight_kg", "重量（公斤）必须大于 0 公斤。"),
        (
            {"weight_kg": "5000"},
            "weight_kg",
            "重量（公斤） 5000 公斤超过 50 公斤：请检查秤和数字。",
        ),
        ({"weight_kg": "两斤"}, "weight_kg", "重量（公斤）必须是公斤数，例如 2.5。"),
        (
            {"account_number": "SJMY-9999"},
            "account_number",
            "账户号“SJMY-9999”不存在：请核对卡上的号码。",
        ),
        ({"waste_class": "plastic"}, "waste_class", None),
        ({"is_correct": None}, "is_correct", None),
    ],
)
def test_bad_drop_offs_are_refused_by_the_fields_label_and_nothing_is_written(
    users, point, account, overrides, field, message
):
    before = counts()

    with pytest.raises(InvalidInput) as error:
        drop(users["grid_worker"], point, account, **overrides)

    assert error.value.field == field
    if message is not None:
        assert str(error.value.message) == message
    assert counts() == before


def test_every_problem_of_a_drop_off_is_reported_at_once(users, point, account):
    with pytest.raises(InvalidInput) as error:
        drop(
            users["grid_worker"],
            point,
            account,
            account_number="NOPE",
            weight_kg="-3",
            waste_class="",
        )

    assert [single.field for single in error.value.errors] == [
        "account_number",
        "waste_class",
        "weight_kg",
    ]


def test_a_drop_off_photo_is_checked_and_kept_without_its_metadata(users, point, account):
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("bin.jpg", camera_jpeg(), content_type="image/jpeg")
    found = drop(users["grid_worker"], point, account, photo=photo)

    assert found.photo.name.endswith(".jpg")
    with pytest.raises(InvalidInput) as error:
        drop(
            users["grid_worker"],
            point,
            account,
            photo=SimpleUploadedFile("bin.jpg", b"not an image", content_type="image/jpeg"),
        )
    assert error.value.field == "photo"


def test_an_inspection_turns_findings_into_rectification_items_with_working_day_deadlines(
    point,
):
    # Friday 20 November 2026, 10:00: three working days end on Wednesday 25th at 17:30.
    at = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)

    inspection = services.inspection_record(
        actor=SYSTEM,
        collection_point_id=point.pk,
        findings=[services.FindingInput(kind="overflowing", description="易腐垃圾桶满溢")],
        notes="早班巡查",
        at=at,
    )

    item = Rectification.objects.get(finding__inspection=inspection)
    assert (inspection.inspected_on, item.working_days, item.status, item.responsible_party) == (
        date(2026, 11, 20),
        3,
        "open",
        "三江名苑物业服务中心（示例）",
    )
    assert item.deadline == datetime(2026, 11, 25, 17, 30, tzinfo=SHANGHAI)


def test_a_finding_for_a_department_becomes_an_event(users, point):
    worker = users["grid_worker"]

    inspection = services.inspection_record(
        actor=worker,
        collection_point_id=point.pk,
        findings=[
            services.FindingInput(kind="damaged", description="桶体破裂需更换", route="event")
        ],
    )

    finding = Finding.objects.get(inspection=inspection)
    assert finding.event is not None
    assert (finding.event.category.code, finding.event.grid.code, finding.event.description) == (
        "E0106",
        "330109012001001",
        "三江名苑 · 1号投放点：桶体破裂需更换",
    )
    assert not Rectification.objects.filter(finding=finding).exists()


def test_a_point_is_inspected_once_a_day(users, point):
    worker = users["grid_worker"]
    services.inspection_record(actor=worker, collection_point_id=point.pk)
    before = counts()

    with pytest.raises(InvalidInput) as error:
        services.inspection_record(
            actor=worker,
            collection_point_id=point.pk,
            findings=[services.FindingInput(kind="dirty", description="地面污水")],
        )

    assert error.value.code == "inspected_today"
    assert counts() == before


def test_a_bad_finding_names_its_number_and_nothing_is_written(users, point):
    before = (counts(), Event.objects.count())

    with pytest.raises(InvalidInput) as error:
        services.inspection_record(
            actor=users["grid_worker"],
            collection_point_id=point.pk,
            findings=[
                services.FindingInput(kind="dirty", description="地面污水", route="event"),
                services.FindingInput(kind="dirty", description="", working_days=99),
            ],
        )

    assert [(e.field, str(e.message)) for e in error.value.errors] == [
        ("findings.1.description", "问题 2：描述 为必填项。"),
        ("findings.1.working_days", "问题 2：整改期限（工作日）必须是 1 到 30 之间的整数。"),
    ]
    assert (counts(), Event.objects.count()) == before


def test_a_rectification_is_reported_done_sent_back_and_verified(users, point):
    worker = users["grid_worker"]
    inspection = services.inspection_record(
        actor=worker,
        collection_point_id=point.pk,
        findings=[services.FindingInput(kind="signage", description="标识脱落")],
    )
    item = Rectification.objects.get(finding__inspection=inspection)

    services.rectification_transition(
        actor=worker, rectification_id=item.pk, action="report_done", notes="已补贴"
    )
    services.rectification_transition(
        actor=worker, rectification_id=item.pk, action="reject", notes="贴歪了"
    )
    services.rectification_transition(
        actor=worker, rectification_id=item.pk, action="report_done", notes="重新贴好"
    )
    services.rectification_transition(
        actor=worker, rectification_id=item.pk, action="verify", notes="合格"
    )

    item.refresh_from_db()
    assert (item.status, item.returns, item.done_notes, item.verified_by) == (
        "verified",
        1,
        "重新贴好",
        worker,
    )
    with pytest.raises(Conflict):
        services.rectification_transition(
            actor=worker, rectification_id=item.pk, action="verify", notes="再验"
        )


def test_recycling_is_priced_and_credited_as_points_or_paid_as_money(users, account):
    worker = users["grid_worker"]
    paper = RecyclingMaterial.objects.get(name="废纸")  # 0.80 yuan per kg
    bottles = RecyclingMaterial.objects.get(name="塑料瓶")  # 0.05 yuan per item

    by_weight = services.weigh_in_record(
        actor=worker,
        subdistrict_id=worker.subdistrict_id,
        account_number=account.number,
        material_id=paper.pk,
        quantity="3.4",
        credited_as="points",
    )
    by_count = services.weigh_in_record(
        actor=worker,
        subdistrict_id=worker.subdistrict_id,
        account_number=account.number.lower(),
        material_id=bottles.pk,
        quantity=30,
        credited_as="money",
    )

    account.refresh_from_db()
    # 3.4 kg × 0.80 = 2.72 yuan; 10 points per yuan, rounded half up: 27 points.
    assert (by_weight.value, by_weight.points) == (Decimal("2.72"), 27)
    # 30 bottles × 0.05 = 1.50 yuan, paid in cash: no points.
    assert (by_count.value, by_count.points, by_count.credited_as) == (Decimal("1.50"), 0, "money")
    assert account.points_balance == 27


@pytest.mark.parametrize(
    ("material", "quantity", "message"),
    [
        ("废纸", "-2", "数量必须大于 0 公斤。"),
        ("废纸", "900", "数量 900 公斤超过 500 公斤：请检查秤和数字。"),
        ("塑料瓶", "2.5", "数量必须是整数个，至少 1 个。"),
    ],
)
def test_bad_weigh_ins_are_refused_and_nothing_is_written(
    users, account, material, quantity, message
):
    worker = users["grid_worker"]
    before = counts()

    with pytest.raises(InvalidInput) as error:
        services.weigh_in_record(
            actor=worker,
            subdistrict_id=worker.subdistrict_id,
            account_number=account.number,
            material_id=RecyclingMaterial.objects.get(name=material).pk,
            quantity=quantity,
            credited_as="points",
        )

    assert (error.value.field, str(error.value.message)) == ("quantity", message)
    assert counts() == before


def test_a_redemption_spends_points_and_stock(users, point, account):
    worker = users["grid_worker"]
    services.weigh_in_record(
        actor=worker,
        subdistrict_id=worker.subdistrict_id,
        account_number=account.number,
        material_id=RecyclingMaterial.objects.get(name="废金属").pk,  # 1.50 yuan per kg
        quantity="6",
        credited_as="points",
    )
    bags = Reward.objects.get(name="垃圾袋（一卷）")  # 40 points, 500 in stock
    stock = bags.stock

    entry = services.points_redeem(
        actor=worker,
        subdistrict_id=worker.subdistrict_id,
        account_number=account.number,
        reward_id=bags.pk,
        quantity=2,
    )

    account.refresh_from_db()
    bags.refresh_from_db()
    assert (entry.kind, entry.points, entry.balance_after, account.points_balance) == (
        "redeem",
        80,
        10,
        10,
    )
    assert bags.stock == stock - 2


def test_a_redemption_above_the_balance_is_refused_and_nothing_changes(users, account):
    worker = users["grid_worker"]
    haircut = Reward.objects.get(name="社区理发一次")
    before = counts()

    with pytest.raises(InvalidInput) as error:
        services.points_redeem(
            actor=worker,
            subdistrict_id=worker.subdistrict_id,
            account_number=account.number,
            reward_id=haircut.pk,
        )

    assert (error.value.code, error.value.field, str(error.value.message)) == (
        "above_balance",
        "reward",
        "积分：兑换需要 150 分，账户只有 0 分。",
    )
    account.refresh_from_db()
    assert (account.points_balance, counts()) == (0, before)


def test_the_database_refuses_a_negative_balance_whatever_the_code_does(account):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=account.pk).update(points_balance=-1)


def test_a_moved_out_household_leaves_its_account_closed(users, account):
    services.household_move_out(actor=users["grid_lead"], household_id=account.household_id)

    account.refresh_from_db()
    assert account.is_active is False
    with pytest.raises(InvalidInput) as error:
        drop(users["grid_worker"], account.compound.collection_points.first(), account)
    assert error.value.code == "closed_account"
