"""Staff home: each part's cards, charts and to-do items (hardship, petitions)."""

from __future__ import annotations

from typing import Any

from casework.parts import PARTS
from core import extensions as core_points
from core.home import Card, Chart, TodoItem


@core_points.cards
def cards(user: Any) -> list[Card]:
    return PARTS.gather("home", "cards", user)


@core_points.charts
def charts(user: Any) -> list[Chart]:
    return PARTS.gather("home", "charts", user)


@core_points.todo_items
def todo_items(user: Any) -> list[TodoItem]:
    return PARTS.gather("home", "todo_items", user)
