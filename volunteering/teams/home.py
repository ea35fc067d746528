"""volunteering.teams: staff home cards, charts and to-do items (joined by ``volunteering/home.py``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from core.home import Card, Chart, TodoItem
from core.permissions import has_perm
from volunteering.teams import selectors


def cards(user: Any) -> list[Card]:
    return []


def charts(user: Any) -> list[Chart]:
    return []


def todo_items(user: Any) -> list[TodoItem]:
    """Members' reported activities waiting for this leader (or staff) to confirm."""
    if not has_perm(user, "volunteering.activities_confirm"):
        return []
    n = selectors.awaiting_confirmation(user).count()
    return [
        TodoItem(label=_("待确认的服务活动上报"), count=n, url=reverse("volunteering:team_list"), app="volunteering")
    ]
