"""The rectification item's moves, compared with a literal copy of the table, and each move
applied to every state through the service: only the table's moves pass."""

import pytest

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.errors import Conflict
from jiedao.sanitation import services
from jiedao.sanitation.models import Rectification
from jiedao.sanitation.workflow import RECTIFICATION_TRANSITIONS

INSPECTORS = frozenset({"grid_worker", "grid_lead", "department_handler"})
TABLE = {
    ("open", "report_done"): ("done", INSPECTORS, ("notes",)),
    ("done", "verify"): ("verified", INSPECTORS, ("notes",)),
    ("done", "reject"): ("open", INSPECTORS, ("notes",)),
}


def test_the_table_is_the_one_written_here():
    assert {
        key: (move.target, move.roles, move.inputs)
        for key, move in RECTIFICATION_TRANSITIONS.items()
    } == TABLE


def _item_in(point, status):
    inspection = services.inspection_record(
        actor=SYSTEM,
        collection_point_id=point.pk,
        findings=[services.FindingInput(kind="other", description="测试问题")],
    )
    item = Rectification.objects.get(finding__inspection=inspection)
    if status in ("done", "verified"):
        services.rectification_transition(
            actor=SYSTEM, rectification_id=item.pk, action="report_done", notes="好"
        )
    if status == "verified":
        services.rectification_transition(
            actor=SYSTEM, rectification_id=item.pk, action="verify", notes="好"
        )
    return item


@pytest.mark.parametrize("status", ["open", "done", "verified"])
@pytest.mark.parametrize("action", ["report_done", "verify", "reject", "escalate"])
def test_only_the_tables_moves_pass(point, status, action):
    item = _item_in(point, status)

    if (status, action) in TABLE:
        moved = services.rectification_transition(
            actor=SYSTEM, rectification_id=item.pk, action=action, notes="说明"
        )
        assert moved.status == TABLE[(status, action)][0]
    else:
        with pytest.raises(Conflict):
            services.rectification_transition(
                actor=SYSTEM, rectification_id=item.pk, action=action, notes="说明"
            )
        item.refresh_from_db()
        assert item.status == status
