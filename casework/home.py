"""Staff home: each part's cards, charts and to-do items (hardship, petitions)."""

from __future__ import annotations

from typing import Any

from casework.hardship import home as hardship_home
from casework.petitions import home as petitions_home
from core import extensions as core_points
from core.home import Card, Chart, TodoItem


@core_points.cards
def cards(user: Any) -> list[Card]:
    return hardship_home.cards(user) + petitions_home.cards(user)


@core_points.charts
def charts(user: Any) -> list[Chart]:
    return hardship_home.charts(user) + petitions_home.charts(user)


@core_points.todo_items
def todo_items(user: Any) -> list[TodoItem]:
    return hardship_home.todo_items(user) + petitions_home.todo_items(user)
