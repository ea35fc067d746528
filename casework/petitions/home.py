"""casework.petitions: staff home cards, charts and to-do items (joined by ``casework/home.py``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.home import Card, Chart, TodoItem
from core.permissions import has_perm


def cards(user: Any) -> list[Card]:
    return []


def charts(user: Any) -> list[Chart]:
    return []


def todo_items(user: Any) -> list[TodoItem]:
    if not has_perm(user, "casework.petitions_handle"):
        return []
    from casework.models import PetitionCase, PetitionStatus  # noqa: PLC0415

    today = timezone.localdate()
    open_cases = PetitionCase.objects.visible_to(user).exclude(status=PetitionStatus.CLOSED)
    overdue = open_cases.filter(due__lt=today).count()
    waiting = PetitionCase.objects.visible_to(user).filter(status=PetitionStatus.RECEIVED).count()
    url = reverse("casework:petitions_list")
    return [
        TodoItem(label=_("信访件已超期"), count=overdue, url=url + "?view=overdue", overdue=overdue, app="casework"),
        TodoItem(label=_("信访件待告知受理"), count=waiting, url=url + "?view=notice", app="casework"),
    ]
