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


@extensions.cards
def cards(user: Any) -> list[Card]:
    """core's own: a warning card when the working-day calendar lacks this or next year (deadlines
    counted in working days could not be computed)."""
    from django.urls import reverse  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415
    from django.utils.translation import gettext as _  # noqa: PLC0415

    from core.permissions import has_perm  # noqa: PLC0415
    from core.workdays import missing_years  # noqa: PLC0415

    if not has_perm(user, "calendar.edit"):
        return []
    this_year = timezone.localdate().year
    missing = missing_years([this_year, this_year + 1])
    if not missing:
        return []
    years = "、".join(map(str, missing))
    return [
        Card(
            label=_("工作日历缺年份"),
            value=years,
            url=reverse("system:calendar"),
            note=_("请载入，否则按工作日的期限无法计算"),
        )
    ]
