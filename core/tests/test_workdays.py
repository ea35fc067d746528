"""The working-day calendar: hand-counted cases across Spring Festival, National Day and make-up
Saturdays (2021), properties of add_working_days, and a missing year as a DomainError."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from core.models import CalendarDay
from core.workdays import add_working_days, is_workday, missing_years, working_days_between

D = dt.date


@pytest.fixture(scope="module")
def calendar_2021(django_db_setup: object, django_db_blocker: object) -> object:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        call_command("calendar_load", "2021", "2022", stdout=open("/dev/null", "w"))  # noqa: SIM115
    yield
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        CalendarDay.objects.all().delete()


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_2021")]


def test_spring_festival() -> None:
    # 2021-02-11..17 off; Sunday 02-07 and Saturday 02-20 are make-up working days.
    assert add_working_days(D(2021, 2, 10), 1) == D(2021, 2, 18)
    assert add_working_days(D(2021, 2, 18), 2) == D(2021, 2, 20)  # the make-up Saturday
    assert working_days_between(D(2021, 2, 5), D(2021, 2, 8)) == 2  # Sun 02-07 counts
    assert not is_workday(D(2021, 2, 11)) and is_workday(D(2021, 2, 7))


def test_national_day() -> None:
    # 2021-10-01..07 off; Saturday 10-09 is a make-up working day.
    assert add_working_days(D(2021, 9, 30), 1) == D(2021, 10, 8)
    assert add_working_days(D(2021, 9, 30), 2) == D(2021, 10, 9)
    assert working_days_between(D(2021, 9, 30), D(2021, 10, 11)) == 3


def test_fifteen_working_days_across_national_day() -> None:
    # From Thursday 2021-09-23: 24, 26 (Sun make-up), 27, 28, 29, 30 = 6; Oct 8, 9 = 8;
    # 11-15 = 13; 18, 19 = 15.
    assert add_working_days(D(2021, 9, 23), 15) == D(2021, 10, 19)


def test_missing_year_is_a_clear_error() -> None:
    with pytest.raises(DomainError, match="2030"):
        add_working_days(D(2030, 3, 1), 3)
    assert missing_years([2021, 2030]) == [2030]


def test_edited_day_counts() -> None:
    CalendarDay.objects.filter(date=D(2021, 3, 1)).update(is_workday=False)
    assert add_working_days(D(2021, 2, 26), 1) == D(2021, 3, 2)


@settings(max_examples=60, deadline=None)
# The loaded years end on 2022-12-31: 50 working days from 2022-09-30 at most reach mid-December.
@given(st.dates(D(2021, 1, 1), D(2022, 9, 30)), st.integers(0, 40), st.integers(0, 10))
def test_never_lands_on_a_holiday_and_is_monotonic(start: dt.date, n: int, extra: int) -> None:
    end = add_working_days(start, n)
    if n > 0:
        assert is_workday(end)
    assert end >= start
    assert add_working_days(start, n + extra) >= end
    assert working_days_between(start, end) == n
