"""Staff home: each part's cards, charts and to-do items (journeys, checkups)."""

from __future__ import annotations

from typing import Any

from core import extensions as core_points
from core.home import Card, Chart, TodoItem
from trips.checkups import home as checkups_home
from trips.journeys import home as journeys_home


@core_points.cards
def cards(user: Any) -> list[Card]:
    return journeys_home.cards(user) + checkups_home.cards(user)


@core_points.charts
def charts(user: Any) -> list[Chart]:
    return journeys_home.charts(user) + checkups_home.charts(user)


@core_points.todo_items
def todo_items(user: Any) -> list[TodoItem]:
    return journeys_home.todo_items(user) + checkups_home.todo_items(user)
