"""信访 tests: the working-day calendar for the years they count in (shared by the tests' conftest
and the permission matrix's setup)."""

from __future__ import annotations

import datetime as dt

_ROWS: dict[int, list[tuple[dt.date, bool, str]]] = {}  # computed once per test process


def load_test_calendar(years: list[int] | None = None) -> None:
    from core.errors import DomainError  # noqa: PLC0415
    from core.models import CalendarDay  # noqa: PLC0415
    from core.workdays import load_year, missing_years  # noqa: PLC0415

    today = dt.date.today()
    wanted = years or [2020, 2021, 2022, today.year - 1, today.year, today.year + 1]
    for year in missing_years(sorted(set(wanted))):
        if year in _ROWS:
            rows = [CalendarDay(date=d, is_workday=w, note=n) for d, w, n in _ROWS[year]]
            CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)
            continue
        try:
            load_year(year)
        except DomainError:
            load_year(year, plain=True)  # a year chinese-calendar does not know yet: weekends only
        _ROWS[year] = list(CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday", "note"))
