"""volunteering.operations: staff home cards, charts and to-do items (joined by ``volunteering/home.py``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from core.home import Card, Chart, TodoItem
from core.permissions import has_perm
from volunteering.operations import selectors


def cards(user: Any) -> list[Card]:
    return []


def charts(user: Any) -> list[Chart]:
    return []


def todo_items(user: Any) -> list[TodoItem]:
    """Needs of open incidents still short of people, for those who dispatch (one COUNT, scoped)."""
    if not has_perm(user, "volunteering.incidents_command"):
        return []
    return [
        TodoItem(
            label=_("应急需求尚缺人员，待派遣"),
            count=selectors.uncovered_needs(user).count(),
            url=reverse("volunteering:operations_incidents"),
            app="volunteering",
        )
    ]
