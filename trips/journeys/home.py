"""trips.journeys: staff home cards, charts and to-do items (joined by ``trips/home.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.home import Card, Chart, TodoItem
from core.permissions import has_perm
from trips.journeys import figures, services
from trips.models import Batch, Nomination


def cards(user: Any) -> list[Card]:
    """This year's travellers and the first-time share (trips.journeys.figures)."""
    if not has_perm(user, "trips.journeys_view"):
        return []
    year = timezone.localdate().year
    share = figures.first_time_share(user, year)
    return [
        Card(
            label=_("%(y)s年疗休养人数") % {"y": year},
            value=str(share.whole),
            url=reverse("trips:journeys_figures"),
            note=_("首次参加 %(p)s%%") % {"p": share.percent},
        )
    ]


def charts(user: Any) -> list[Chart]:
    """People sent per year (the caller's districts)."""
    if not has_perm(user, "trips.journeys_view"):
        return []
    rows = figures.sent_by_year(user)
    if not rows:
        return []
    return [
        Chart(
            title=_("疗休养参加人数（按年度）"),
            categories=[str(y) for y, _n in rows],
            series=[{"name": _("参加人数"), "data": [n for _y, n in rows]}],
            url=reverse("trips:journeys_figures"),
        )
    ]


def todo_items(user: Any) -> list[TodoItem]:
    """District: travellers whose checklist is open and not cleared. City: travellers not cleared at the
    lock (they cannot board without an override)."""
    if not has_perm(user, "trips.journeys_manage"):
        return []
    now = timezone.now()
    today = timezone.localdate()
    plan = has_perm(user, "trips.journeys_plan")
    items = []
    for batch in Batch.objects.filter(start_date__gte=today, start_date__lte=today + dt.timedelta(days=4)):
        window = services.checklist_window(batch, now)
        if now >= services.departure_moment(batch) or window == "not_open":
            continue
        if window == "locked" and not plan:
            continue
        count = services.uncleared(batch).filter(pk__in=_visible(user)).count()
        label = (_("出发前核查未完成，待市总特许：%(b)s") if window == "locked" else _("出发前核查待填写：%(b)s")) % {
            "b": batch.name
        }
        items.append(
            TodoItem(
                label=label,
                count=count,
                url=reverse("trips:journeys_checklist", args=[batch.pk]),
                due=batch.start_date,
                overdue=count if window == "locked" else 0,
                app="trips",
            )
        )
    return items


def _visible(user: Any) -> Any:
    return Nomination.objects.visible_to(user).values("pk")
