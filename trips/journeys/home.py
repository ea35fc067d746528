"""trips.journeys: staff home cards, charts and to-do items (joined by ``trips/home.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.home import Card, Chart, TodoItem
from core.permissions import has_perm
from trips.journeys import services
from trips.models import Batch, Nomination


def cards(user: Any) -> list[Card]:
    return []


def charts(user: Any) -> list[Chart]:
    return []


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
