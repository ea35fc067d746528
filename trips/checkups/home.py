"""trips.checkups: staff home cards, charts and to-do items (joined by ``trips/home.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.home import Card, Chart, TodoItem
from core.permissions import has_perm
from trips.checkups import selectors

#: unbooked people become a to-do this many days before the campaign ends
CLOSING_DAYS = 30


def cards(user: Any) -> list[Card]:
    return []


def charts(user: Any) -> list[Chart]:
    return []


def todo_items(user: Any) -> list[TodoItem]:
    if not has_perm(user, "trips.checkups_book"):
        return []
    c = selectors.current_campaign()
    if c is None:
        return []
    items: list[TodoItem] = []
    today = timezone.localdate()
    if c.ends - dt.timedelta(days=CLOSING_DAYS) <= today <= c.ends:
        items.append(
            TodoItem(
                label=_("体检计划即将结束，尚未预约"),
                count=selectors.unbooked_count(user, c),
                url=reverse("trips:checkups_due", args=[c.pk]) + "?unbooked=on",
                due=c.ends,
                app="trips",
            )
        )
    items.append(
        TodoItem(
            label=_("体检需复查，待跟进"),
            count=selectors.recheck_open(user, c).count(),
            url=reverse("trips:checkups_bookings", args=[c.pk]) + "?result=recheck",
            app="trips",
        )
    )
    return items
