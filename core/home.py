"""The staff home page: each app offers cards (a figure with a link) and charts through the
``cards`` / ``charts`` extension points (``<app>/home.py``), scoped to the user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from core import extensions


@dataclass
class Card:
    label: str
    value: str
    url: str = ""
    note: str = ""


@dataclass
class TodoItem:
    """Something waiting for the user (待办): what, how many, where to deal with it, by when.
    ``overdue`` counts those past their due date; items with ``count`` 0 are not shown."""

    label: str
    count: int
    url: str
    due: dt.date | None = None
    overdue: int = 0
    app: str = ""


@dataclass
class Chart:
    """An ECharts bar chart: ``categories`` on the x axis, one series per entry of ``series``."""

    title: str
    categories: list[str]
    series: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""


def home_parts(user: Any) -> tuple[list[Card], list[Chart]]:
    cards = [card for make in extensions.cards.implementations() for card in make(user)]
    charts = [chart for make in extensions.charts.implementations() for chart in make(user)]
    return cards, charts
