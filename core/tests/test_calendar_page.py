"""The 工作日历 page: load a year, mark a day, the 待办 warning for a missing year, bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.home import cards
from core.models import CalendarDay
from tests.cast import login

pytestmark = pytest.mark.django_db


def test_load_and_edit_a_year(cast, client) -> None:  # type: ignore[no-untyped-def]
    login(client, cast.city)
    this_year = timezone.localdate().year
    assert any("工作日历" in c.label for c in cards(cast.city))
    assert cards(cast.worker_a) == []
    page = client.get(reverse("system:calendar"))
    assert "工作日历缺少" in page.content.decode()
    assert client.post(reverse("system:calendar_load"), {"year": this_year}).status_code == 302
    # A year chinese-calendar does not know yet: weekends only, holidays marked by hand.
    client.post(reverse("system:calendar_load"), {"year": this_year + 1, "plain": "1"})
    assert CalendarDay.objects.filter(date__year=this_year).count() >= 365
    assert cards(cast.city) == []
    day = dt.date(this_year, 3, 2)
    client.post(reverse("system:calendar_set"), {"date": day.isoformat(), "is_workday": "0", "note": "本地假日"})
    row = CalendarDay.objects.get(date=day)
    assert not row.is_workday and row.note == "本地假日"
    # Bad input: a message, no 500.
    assert client.post(reverse("system:calendar_load"), {"year": "1800"}).status_code == 302
    assert client.post(reverse("system:calendar_set"), {"date": "2999-13-01"}).status_code == 302
    assert client.post(reverse("system:calendar_set"), {"date": "2090-01-05", "is_workday": "1"}).status_code == 302
    assert not CalendarDay.objects.filter(date__year=2090).exists()
    assert client.get(reverse("system:calendar"), {"year": "abc"}).status_code == 200
