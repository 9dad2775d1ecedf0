"""The sanitation panel of the leaders' cockpit, the home card and the audit labels, against
records written here (no demo: the panel counts the whole installation)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.labels import action_label
from jiedao.sanitation import services
from jiedao.web import cockpit
from tests.factories import GridFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def panel_of(today):
    return next(p for p in cockpit.panels(today) if str(p.title) == "垃圾分类")


def test_the_panel_counts_the_month_so_far():
    grid = GridFactory()
    subdistrict_id = grid.community.subdistrict_id
    compound = services.compound_create(
        actor=SYSTEM, grid_code=grid.code, name="驾驶舱小区", code="JSC"
    )
    point = services.collection_point_create(
        actor=SYSTEM, compound_id=compound.pk, name="1号投放点", responsible_party="物业"
    )
    services.points_rule_save(
        actor=SYSTEM, subdistrict_id=subdistrict_id, trigger="correct_drop_off", points=3
    )
    services.points_rule_save(
        actor=SYSTEM, subdistrict_id=subdistrict_id, trigger="recycling", points=10
    )
    paper = services.material_save(
        actor=SYSTEM, subdistrict_id=subdistrict_id, name="废纸", pricing_unit="kg", price="0.50"
    )
    first = services.household_register(
        actor=SYSTEM, compound_id=compound.pk, address="1室", contact_name="甲"
    )
    services.household_register(
        actor=SYSTEM, compound_id=compound.pk, address="2室", contact_name="乙"
    )
    for correct, day in ((True, 3), (False, 4), (True, 5)):
        services.drop_off_record(
            actor=SYSTEM,
            collection_point_id=point.pk,
            account_number=first.number,
            waste_class="food",
            weight_kg="1",
            is_correct=correct,
            at=datetime(2026, 10, day, 8, tzinfo=SHANGHAI),
        )
    # Last month's drop-off is not this month's.
    services.drop_off_record(
        actor=SYSTEM,
        collection_point_id=point.pk,
        account_number=first.number,
        waste_class="food",
        weight_kg="1",
        is_correct=True,
        at=datetime(2026, 9, 30, 8, tzinfo=SHANGHAI),
    )
    services.weigh_in_record(
        actor=SYSTEM,
        subdistrict_id=subdistrict_id,
        account_number=first.number,
        material_id=paper.pk,
        quantity="4.5",
        credited_as="points",
        at=datetime(2026, 10, 6, 15, tzinfo=SHANGHAI),
    )

    with translation.override("zh-hans"):
        kpis = {kpi.key: kpi.value for kpi in panel_of(date(2026, 10, 31)).kpis}

    # The balance: 3 points for each of the 3 correct drop-offs (September's included) and
    # 4.5 kg × 0.50 yuan × 10 points per yuan = 22.5, rounded up to 23.
    assert kpis == {
        "sanitation.accounts": 2,
        "sanitation.drop_offs": 3,
        "sanitation.accuracy": Decimal("66.7"),
        "sanitation.recycling_kg": Decimal("4.500"),
        "sanitation.points_balance": 32,
    }


def test_without_accounts_there_is_no_panel():
    with translation.override("zh-hans"):
        titles = [str(panel.title) for panel in cockpit.panels(date(2026, 10, 31))]

    assert "垃圾分类" not in titles


@pytest.mark.parametrize(
    ("code", "chinese"),
    [
        ("sanitation.points.redeem", "积分兑换"),
        ("sanitation.points.earn", "积分获得"),
        ("sanitation.rectification.reject", "未整改到位，退回"),
    ],
)
def test_audit_entries_read_as_labels(code, chinese):
    with translation.override("zh-hans"):
        assert action_label(code) == chinese
