"""Fixtures for enforcement. The Wenyan demo (with its enforcement catalogue, 64 targets and
today's work, but not the 2022 history) is loaded once per module (see tests/wenyan_once.py)."""

from typing import Any

import pytest

from jiedao.audit.models import AuditEntry
from jiedao.enforcement.models import (
    Action,
    ChecklistItem,
    Inspection,
    Rating,
    Rectification,
    Target,
)
from jiedao.geo.geometry import parse_boundary
from jiedao.geo.models import Department, Grid

# Who may do what, written out here rather than read from the policy, so that the tests hold the
# permission table to an independent statement of it (the roles are in tests/roles.py).
READERS = {
    "enforcement_officer",
    "department_handler",
    "supervisor",
    "dispatcher",
    "administrator",
}
TARGET_MANAGERS = {"enforcement_officer", "administrator"}
PLANNERS = {"enforcement_officer"}
CHECKERS = {"enforcement_officer", "department_handler"}
OVERRIDERS = {"supervisor"}

HOME_GRID = "330109012001001"


def state() -> tuple[int, ...]:
    """What a refused or failed call must leave as it was."""
    return (
        Target.objects.count(),
        Action.objects.count(),
        Inspection.objects.count(),
        ChecklistItem.objects.exclude(result="pending").count(),
        Rectification.objects.count(),
        Rectification.objects.filter(status="open").count(),
        Rating.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def departments(wenyan_demo: Any) -> dict[str, Department]:
    return {department.code: department for department in Department.objects.all()}


@pytest.fixture
def home_point(wenyan_demo: Any) -> tuple[float, float]:
    """(lat, lng) of a point inside grid 330109012001001, in WGS-84."""
    point = parse_boundary(Grid.objects.get(code=HOME_GRID).boundary).representative_point()
    return point.y, point.x


def business(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "kind": "business",
        "name": "杭州萧山闻堰测试餐饮店",
        "credit_code": "91330109MA2B3C4D5Q",
        "address": "闻堰街道闻兴路1号",
        "trade": "餐饮服务",
        "risk_level": "low",
    }
    fields.update(overrides)
    return fields
