"""The weight table: every weight from 0 to 1000 with two decimals at most, at least one above 0;
a refused change names the measure by its label and writes nothing; a change is audited."""

from decimal import Decimal

import pytest

from jiedao.assessment.models import WeightTable
from jiedao.assessment.services import weights_update
from jiedao.audit.models import AuditEntry
from jiedao.core.errors import InvalidInput

from .conftest import state

KEYS = [
    "handled",
    "on_time",
    "returned",
    "reworked",
    "satisfied",
    "dissatisfied",
    "inspections",
    "rechecks",
    "task_reports",
]


def values(**overrides):
    return {**dict.fromkeys(KEYS, "1"), **overrides}


@pytest.mark.parametrize(
    ("overrides", "messages"),
    [
        ({"handled": "-1"}, [("handled", "处置事件数 须在 0 至 1000 分之间。")]),
        ({"returned": "1000.01"}, [("returned", "退回数 须在 0 至 1000 分之间。")]),
        ({"on_time": "0.125"}, [("on_time", "按期处置数 最多保留两位小数。")]),
        ({"rechecks": "两分"}, [("rechecks", "整改复查数应为数字，而不是“两分”。")]),
        ({"reworked": "NaN"}, [("reworked", "返工数应为数字，而不是“NaN”。")]),
        ({"satisfied": ""}, [("satisfied", "满意评价数 为必填项。")]),
        (
            dict.fromkeys(KEYS, "0"),
            [("handled", "权重：至少有一项考核项的权重须大于 0。")],
        ),
        (
            {"handled": "-5", "inspections": "x"},
            [
                ("handled", "处置事件数 须在 0 至 1000 分之间。"),
                ("inspections", "完成检查数应为数字，而不是“x”。"),
            ],
        ),
    ],
)
def test_a_wrong_weight_is_refused_naming_the_measure_and_nothing_changes(
    team, users, overrides, messages
):
    before = state()

    with pytest.raises(InvalidInput) as refused:
        weights_update(actor=users["supervisor"], team_id=team.pk, values=values(**overrides))

    assert [(error.field, str(error.message)) for error in refused.value.errors] == messages
    assert state() == before


def test_zero_and_a_thousand_are_allowed_and_the_change_is_audited(team, users):
    table = weights_update(
        actor=users["administrator"],
        team_id=team.pk,
        values=values(handled="1000", on_time="0", returned=" 2.5 "),
    )

    stored = WeightTable.objects.get(pk=table.pk)
    assert (stored.handled, stored.on_time, stored.returned, stored.reworked) == (
        Decimal("1000.00"),
        Decimal("0.00"),
        Decimal("2.50"),
        Decimal("1.00"),
    )
    entry = AuditEntry.objects.filter(action="assessment.weights.update").get()
    assert (entry.actor_label, entry.before["handled"], entry.after["handled"]) == (
        "admin",
        "2.00",
        "1000.00",
    )
