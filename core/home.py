"""The staff home page: each app offers cards (a figure with a link) and charts through
``cards(user)`` / ``charts(user)`` in its ``<app>/home.py``, scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps


@dataclass
class Card:
    label: str
    value: str
    url: str = ""
    note: str = ""


@dataclass
class Chart:
    """An ECharts bar chart: ``categories`` on the x axis, one series per entry of ``series``."""

    title: str
    categories: list[str]
    series: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""


def home_parts(user: Any) -> tuple[list[Card], list[Chart]]:
    cards: list[Card] = []
    charts: list[Chart] = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.home")
        except ModuleNotFoundError:
            continue
        if module.__name__ == __name__:
            continue
        cards.extend(getattr(module, "cards", lambda user: [])(user))
        charts.extend(getattr(module, "charts", lambda user: [])(user))
    return cards, charts
