"""Transactional tests empty every table afterwards (``flush``); the seeded calendar must come
back, or every later test would silently compute 2023 deadlines Monday to Friday."""

from datetime import date

import pytest

from jiedao.core.models import WorkCalendarYear
from jiedao.core.workcalendar import is_workday


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_runs_and_its_database_is_flushed_afterwards():
    assert is_workday(date(2023, 10, 7)) is True


@pytest.mark.django_db(transaction=True)
def test_the_calendar_is_there_again_after_the_flush():
    assert WorkCalendarYear.objects.count() == 23
    assert is_workday(date(2023, 10, 7)) is True
    assert is_workday(date(2023, 10, 6)) is False
