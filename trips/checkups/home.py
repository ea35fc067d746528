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
    """This campaign's coverage in the user's scope (the total row of the coverage page)."""
    if not has_perm(user, "trips.checkups_view"):
        return []
    c = selectors.current_campaign()
    if c is None:
        return []
    total = selectors.coverage(user, c)[-1]
    return [
        Card(
            label=_("%(year)s年度体检到检率") % {"year": c.year},
            value=f"{total.coverage}%",
            url=reverse("trips:checkups_coverage", args=[c.pk]),
            note=_("应检 %(due)s 人，已预约 %(booked)s 人，已到检 %(attended)s 人")
            % {"due": f"{total.due:,}", "booked": f"{total.booked:,}", "attended": f"{total.attended:,}"},
        )
    ]


def charts(user: Any) -> list[Chart]:
    """This campaign per district (the rows of the coverage page): 应检, 已预约, 已到检."""
    if not has_perm(user, "trips.checkups_view"):
        return []
    c = selectors.current_campaign()
    if c is None:
        return []
    rows = selectors.coverage(user, c)[:-1]
    if not any(r.due or r.booked for r in rows):
        return []
    return [
        Chart(
            title=_("%(year)s年度体检覆盖（按区县(市)）") % {"year": c.year},
            categories=[r.name for r in rows],
            series=[
                {"name": _("应检"), "data": [r.due for r in rows]},
                {"name": _("已预约"), "data": [r.booked for r in rows]},
                {"name": _("已到检"), "data": [r.attended for r in rows]},
            ],
            url=reverse("trips:checkups_coverage", args=[c.pk]),
        )
    ]


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
