"""Working days (工作日): counted from ``core.CalendarDay``, one row per day, loaded a year at a time
(``manage.py calendar_load 2026`` from the ``chinese-calendar`` package) and edited on the 工作日历
page. A year missing from the table is a clerk-readable DomainError, never a silent guess."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import log_action
from core.errors import DomainError
from core.models import Actor, CalendarDay


class MissingCalendarYear(DomainError):
    pass


def _year_days(year: int) -> dict[dt.date, bool]:
    days = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday"))
    if not days:
        raise MissingCalendarYear(_("工作日历缺少 %(year)s 年，请先在“系统管理 → 工作日历”中载入。") % {"year": year})
    return days


class _Calendar:
    def __init__(self) -> None:
        self.years: dict[int, dict[dt.date, bool]] = {}

    def is_workday(self, day: dt.date) -> bool:
        if day.year not in self.years:
            self.years[day.year] = _year_days(day.year)
        known = self.years[day.year].get(day)
        return known if known is not None else day.weekday() < 5


def is_workday(day: dt.date) -> bool:
    return _Calendar().is_workday(day)


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``day`` (n ≥ 0; n = 0 gives ``day`` itself)."""
    if n < 0:
        raise DomainError(_("工作日数不能为负数。"))
    calendar = _Calendar()
    current = day
    while n > 0:
        current += dt.timedelta(days=1)
        if calendar.is_workday(current):
            n -= 1
    return current


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days in (a, b] — so ``working_days_between(d, add_working_days(d, n)) == n``;
    negative when b is before a."""
    if b < a:
        return -working_days_between(b, a)
    calendar = _Calendar()
    count = 0
    current = a
    while current < b:
        current += dt.timedelta(days=1)
        if calendar.is_workday(current):
            count += 1
    return count


def missing_years(years: list[int]) -> list[int]:
    present = {d.year for d in CalendarDay.objects.filter(date__year__in=years).dates("date", "year")}
    return [y for y in years if y not in present]


def load_year(year: int, *, plain: bool = False) -> int:
    """Fill ``year`` from the chinese-calendar package (holidays and 调休 make-up days); keeps days
    already edited by hand. Returns how many days were added. ``plain``: weekends only, for a year
    the package does not know yet (holidays then marked by hand once the State Council publishes them)."""
    import chinese_calendar  # noqa: PLC0415 (only the loader needs it)

    start = dt.date(year, 1, 1)
    existing = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
    rows = []
    day = start
    while day.year == year:
        if day not in existing:
            try:
                if plain:
                    on_holiday, name = day.weekday() >= 5, None
                else:
                    on_holiday, name = chinese_calendar.get_holiday_detail(day)
            except NotImplementedError as exc:
                raise DomainError(
                    _("chinese-calendar 还没有 %(year)s 年的节假日数据，可先按周末生成，再手工标注节假日。")
                    % {"year": year}
                ) from exc
            workday = not on_holiday
            note = ""
            if name and on_holiday:
                note = str(name)
            elif name and day.weekday() >= 5:
                note = "调休上班"
            rows.append(CalendarDay(date=day, is_workday=workday, note=note))
        day += dt.timedelta(days=1)
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def load_year_by(*, actor: Actor, year: int, plain: bool = False) -> int:
    if not 2004 <= year <= 2100:
        raise DomainError(_("年份不正确。"))
    with transaction.atomic():
        added = load_year(year, plain=plain)
        log_action(actor, "calendar.load", object_repr=str(year), changes={"added": added, "plain": plain})
    return added


def set_day(*, actor: Actor, day: dt.date, is_workday: bool, note: str = "") -> CalendarDay:
    """Mark one day as a working day or a day off (e.g. a local holiday); the year must be loaded."""
    if missing_years([day.year]):
        _year_days(day.year)  # raises the clear error
    with transaction.atomic():
        row, _created = CalendarDay.objects.select_for_update().get_or_create(
            date=day, defaults={"is_workday": is_workday, "note": note}
        )
        before = (row.is_workday, row.note)
        row.is_workday, row.note = is_workday, note
        row.save()
        log_action(
            actor, "calendar.edit", row, changes={"is_workday": [before[0], is_workday], "note": [before[1], note]}
        )
    return row
