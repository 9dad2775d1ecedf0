"""The one audited update: saves what changed, writes one entry with the row before and after."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.core.updates import model_create, model_update
from jiedao.geo.models import Community, Department, Grid, Subdistrict

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[120.21, 30.10], [120.22, 30.10], [120.22, 30.11], [120.21, 30.10]]],
}


def make_grid() -> Grid:
    subdistrict = Subdistrict.objects.create(
        name="闻堰街道", code="330109012", district_name="萧山区", center_lat=30.1, center_lng=120.2
    )
    community = Community.objects.create(
        subdistrict=subdistrict,
        name="三江社区",
        kind="community",
        code="330109012001",
        boundary=SQUARE,
    )
    return Grid.objects.create(
        community=community, name="第1网格", code="330109012001001", boundary=SQUARE
    )


def test_a_change_saves_the_changed_fields_and_writes_one_entry_with_before_and_after():
    grid = make_grid()
    updated_before = grid.updated_at
    entries_before = AuditEntry.objects.count()

    changed = model_update(
        instance=grid,
        data={"name": "滨江网格", "code": grid.code},
        actor=SYSTEM,
        action="geo.grid.update",
    )

    assert changed is True
    stored = Grid.objects.get(pk=grid.pk)
    assert stored.name == "滨江网格"
    # auto_now fields are written with the row, as Model.save() would.
    assert stored.updated_at > updated_before
    assert AuditEntry.objects.count() == entries_before + 1
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.actor_label, entry.action, entry.target_type, entry.target_id) == (
        "system",
        "geo.grid.update",
        "geo.grid",
        str(grid.pk),
    )
    assert entry.before == {
        "id": grid.pk,
        "community": grid.community_id,
        "name": "第1网格",
        "code": "330109012001001",
        "boundary": SQUARE,
        "is_synthetic": False,
        "is_active": True,
    }
    assert entry.after == {
        "id": grid.pk,
        "community": grid.community_id,
        "name": "滨江网格",
        "code": "330109012001001",
        "boundary": SQUARE,
        "is_synthetic": False,
        "is_active": True,
    }


def test_only_the_changed_fields_are_in_the_update_statement():
    grid = make_grid()

    with CaptureQueriesContext(connection) as queries:
        model_update(
            instance=grid,
            data={"name": "滨江网格", "boundary": SQUARE},
            actor=SYSTEM,
            action="geo.grid.update",
        )

    updates = [query["sql"] for query in queries if query["sql"].startswith("UPDATE")]
    grid_update = next(sql for sql in updates if Grid._meta.db_table in sql)
    set_clause = grid_update.split(" SET ")[1].split(" WHERE ")[0]
    assert [part.split(" = ")[0].strip('"') for part in set_clause.split(", ")] == [
        "name",
        "updated_at",
    ]


def test_nothing_changed_saves_nothing_and_writes_no_entry():
    grid = make_grid()
    updated_before = grid.updated_at
    entries_before = AuditEntry.objects.count()

    changed = model_update(
        instance=grid,
        data={"name": "第1网格", "boundary": SQUARE, "community": grid.community},
        actor=SYSTEM,
        action="geo.grid.update",
    )

    assert changed is False
    assert Grid.objects.get(pk=grid.pk).updated_at == updated_before
    assert AuditEntry.objects.count() == entries_before


def test_a_relation_is_compared_by_key_and_set_to_none():
    grid = make_grid()
    department = Department.objects.create(
        subdistrict=grid.community.subdistrict, name="城管中队", code="cg", kind="other"
    )
    department_same = Department.objects.get(pk=department.pk)

    first = model_update(
        instance=department,
        data={"subdistrict": department_same.subdistrict},
        actor=SYSTEM,
        action="x",
    )
    second = model_update(
        instance=department, data={"phone": "0571-1"}, actor=SYSTEM, action="geo.department.update"
    )

    assert (first, second) == (False, True)
    assert AuditEntry.objects.get().after["phone"] == "0571-1"


def test_excluded_fields_stay_out_of_the_entry():
    grid = make_grid()

    model_update(
        instance=grid,
        data={"is_synthetic": True},
        actor=SYSTEM,
        action="geo.grid.update",
        exclude=("boundary",),
    )

    entry = AuditEntry.objects.get()
    assert "boundary" not in entry.before
    assert (entry.before["is_synthetic"], entry.after["is_synthetic"]) == (False, True)


def test_a_create_writes_one_entry_with_the_row_and_no_before():
    subdistrict = Subdistrict.objects.create(
        name="闻堰街道", code="330109012", district_name="萧山区", center_lat=30.1, center_lng=120.2
    )

    department = model_create(
        model=Department,
        data={"subdistrict": subdistrict, "name": "城管中队", "code": "cg", "kind": "other"},
        actor=SYSTEM,
        action="geo.department.create",
        exclude=("duties",),
    )

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.target_id, entry.before) == (
        "geo.department.create",
        str(department.pk),
        None,
    )
    assert entry.after == {
        "id": department.pk,
        "subdistrict": subdistrict.pk,
        "name": "城管中队",
        "code": "cg",
        "kind": "other",
        "phone": "",
        "is_active": True,
    }
