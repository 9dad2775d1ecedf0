"""Local time is defined once: the installation's TIME_ZONE, Asia/Shanghai (UTC+8)."""

from datetime import UTC, date, datetime, time
from unittest import mock

from django.utils import timezone

from jiedao.core.localtime import local_days, local_end, local_start, local_time, local_today


def test_the_local_zone_is_shanghai():
    moment = datetime(2026, 11, 28, 16, 30, tzinfo=UTC)

    assert local_time(moment).isoformat() == "2026-11-29T00:30:00+08:00"


def test_today_is_the_local_day_not_the_utc_one():
    with mock.patch.object(
        timezone, "now", return_value=datetime(2026, 11, 28, 16, 30, tzinfo=UTC)
    ):
        assert local_today() == date(2026, 11, 29)
    with mock.patch.object(
        timezone, "now", return_value=datetime(2026, 11, 28, 15, 59, tzinfo=UTC)
    ):
        assert local_today() == date(2026, 11, 28)


def test_a_local_day_starts_and_ends_at_local_midnight():
    day = date(2022, 6, 30)

    assert local_start(day).astimezone(UTC) == datetime(2022, 6, 29, 16, 0, tzinfo=UTC)
    assert local_end(day).astimezone(UTC) == datetime(2022, 6, 30, 15, 59, 59, 999999, tzinfo=UTC)
    assert local_end(day).time() == time.max


def test_local_days_are_a_half_open_range_including_both_ends():
    start, end = local_days(date(2022, 1, 1), date(2022, 6, 30))

    assert (start.isoformat(), end.isoformat()) == (
        "2022-01-01T00:00:00+08:00",
        "2022-07-01T00:00:00+08:00",
    )
