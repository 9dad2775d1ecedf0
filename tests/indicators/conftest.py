"""The indicator tests: the demo's indicators (seed 000 read, reviewed and stored as Wenyan's
2022 H1 figures; the test settings leave them out) on top of the shared demo."""

from decimal import Decimal
from typing import Any

import pytest

from jiedao.audit.models import AuditEntry
from jiedao.indicators.extraction import Extraction, Unreadable
from jiedao.indicators.extraction import Figure as ReadFigure
from jiedao.indicators.extraction.types import LOST_BYTES
from jiedao.indicators.models import Figure, Indicator, Report, Value

# Who may do what, written out here rather than read from the policy, so that the tests hold the
# permission table to an independent statement of it (the roles are in tests/roles.py).
READERS = {"supervisor", "administrator", "department_handler", "enforcement_officer"}
ENTERERS = {"department_handler", "enforcement_officer"}
REVIEWERS = {"supervisor"}


def indicators_demo() -> None:
    from jiedao.geo.models import Subdistrict
    from jiedao.indicators.demo import indicators_demo_load

    indicators_demo_load(subdistrict=Subdistrict.objects.get(code="330109012"))


@pytest.fixture(scope="module")
def indicators_for_module(demo_for_module: Any, django_db_blocker: Any) -> None:
    # Inside the module's demo transaction, rolled back with it.
    if demo_for_module is not None:
        with django_db_blocker.unblock():
            indicators_demo()


@pytest.fixture
def wenyan_demo(indicators_for_module: None, wenyan_demo: Any) -> Any:
    indicators_demo()
    return wenyan_demo


@pytest.fixture
def catalogue(wenyan_demo: Any) -> dict[str, Indicator]:
    """code → the demo's indicators."""
    return {indicator.code: indicator for indicator in Indicator.objects.all()}


def state() -> tuple[int, ...]:
    """What a refused or failed call must leave as it was."""
    return (
        Indicator.objects.count(),
        Value.objects.count(),
        sum(Value.objects.values_list("value", flat=True).exclude(value=None), 0),
        Report.objects.count(),
        Figure.objects.filter(status="pending").count(),
        AuditEntry.objects.count(),
    )


TEXT = "上半年，街道实现规上工业总产值16.1亿元。完成清淤2.2万立方米。“调研?!?月27日，"
READ = Extraction(
    text=TEXT,
    figures=[
        ReadFigure(
            name="规上工业总产值",
            value=Decimal(1610000000),
            unit="元",
            yoy_percent=Decimal("9.9"),
            yoy_stated=True,
            sentence="上半年，街道实现规上工业总产值16.1亿元。",
            start=TEXT.index("16.1亿元"),
            end=TEXT.index("16.1亿元") + 6,
        ),
        ReadFigure(
            name=None,
            value=Decimal(22000),
            unit="立方米",
            yoy_percent=None,
            yoy_stated=False,
            sentence="完成清淤2.2万立方米。",
            start=TEXT.index("2.2万立方米"),
            end=TEXT.index("2.2万立方米") + 7,
        ),
    ],
    unreadable=[
        Unreadable(
            sentence="“调研?!?月27日，",
            start=TEXT.index("?!?"),
            end=TEXT.index("?!?") + 3,
            reason=LOST_BYTES,
        )
    ],
)


@pytest.fixture
def extraction(monkeypatch):
    """What the extraction reads out of TEXT (its own tests check the reading itself)."""
    monkeypatch.setattr("jiedao.indicators.services.review.extract", lambda content: READ)
