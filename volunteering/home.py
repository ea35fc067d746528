"""Staff home: each part's cards, charts and to-do items (teams, incidents, operations)."""

from __future__ import annotations

from typing import Any

from core import extensions as core_points
from core.home import Card, Chart, TodoItem
from volunteering.incidents import home as incidents_home
from volunteering.operations import home as operations_home
from volunteering.teams import home as teams_home


@core_points.cards
def cards(user: Any) -> list[Card]:
    return teams_home.cards(user) + incidents_home.cards(user) + operations_home.cards(user)


@core_points.charts
def charts(user: Any) -> list[Chart]:
    return teams_home.charts(user) + incidents_home.charts(user) + operations_home.charts(user)


@core_points.todo_items
def todo_items(user: Any) -> list[TodoItem]:
    return teams_home.todo_items(user) + incidents_home.todo_items(user) + operations_home.todo_items(user)
