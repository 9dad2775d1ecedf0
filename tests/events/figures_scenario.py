"""The hand-built month of events the figures tests share (through the services)."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from jiedao.events.models import Event

from .conftest import OTHER_GRID, act, png, report

SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH = {"since": date(2022, 3, 1), "until": date(2022, 3, 31)}


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)


@pytest.fixture(name="march")
def march_events(users: Any) -> dict[str, Event]:
    """Seven events: six reported in March 2022, one in February.

    A self-resolved on the spot; B dispatched and closed on time, rated 5; C closed late after a
    rework, rated 3; D extended and still being handled (overdue at the end of March); E
    rejected; F accepted on the last afternoon of March (not yet due); G in February."""
    a = report(
        at=local(2022, 3, 1, 9), source="grid_patrol", self_resolved=True, after_photos=[png()]
    )
    b = report(at=local(2022, 3, 2, 9), source="grid_patrol")
    act(b, "accept", at=local(2022, 3, 2, 9, 10))
    act(b, "dispatch", at=local(2022, 3, 2, 9, 20), department="city-management")
    act(b, "start_handling", at=local(2022, 3, 2, 9, 30))
    act(b, "report_back", at=local(2022, 3, 2, 10), note="清理完毕")
    act(b, "verify_pass", at=local(2022, 3, 2, 10, 30))
    act(b, "rate", at=local(2022, 3, 2, 10, 30), satisfaction=5)
    c = report(at=local(2022, 3, 3, 9), source="grid_patrol", grid=OTHER_GRID)
    act(c, "accept", at=local(2022, 3, 3, 9, 10))
    act(c, "dispatch", at=local(2022, 3, 3, 9, 20), department="city-management")
    act(c, "start_handling", at=local(2022, 3, 3, 9, 30))
    act(c, "report_back", at=local(2022, 3, 10, 10), note="已处理")
    act(c, "verify_fail", at=local(2022, 3, 10, 11), reason="仍有垃圾")
    act(c, "report_back", at=local(2022, 3, 10, 14), note="已再次处理")
    act(c, "verify_pass", at=local(2022, 3, 10, 15))
    act(c, "rate", at=local(2022, 3, 10, 15), satisfaction=3)
    d = report(at=local(2022, 3, 4, 9), source="grid_patrol", grid=OTHER_GRID)
    act(d, "accept", at=local(2022, 3, 4, 9, 10))
    act(d, "dispatch", at=local(2022, 3, 4, 9, 20), department="city-management")
    act(d, "start_handling", at=local(2022, 3, 4, 9, 30))
    act(d, "request_extension", at=local(2022, 3, 4, 10), reason="需协调", working_days=2)
    act(d, "decide_extension", at=local(2022, 3, 4, 11), approve=True)
    e = report(at=local(2022, 3, 5, 9), source="resident", category="E0201")
    act(e, "reject", at=local(2022, 3, 5, 10), reason="不属于受理范围")
    f = report(at=local(2022, 3, 31, 16), source="hotline_12345", category="E0201")
    act(f, "accept", at=local(2022, 3, 31, 16, 10))
    g = report(at=local(2022, 2, 28, 9), source="grid_patrol")
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g}
