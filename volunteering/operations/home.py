"""volunteering.operations: staff home cards, charts and to-do items (joined by ``volunteering/home.py``)."""

from __future__ import annotations

from typing import Any

from core.home import Card, Chart, TodoItem


def cards(user: Any) -> list[Card]:
    return []


def charts(user: Any) -> list[Chart]:
    return []


def todo_items(user: Any) -> list[TodoItem]:
    return []
