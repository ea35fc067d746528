"""信访: the reads (work lists)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from casework.models import PetitionCase, PetitionStatus
from core.errors import DomainError
from core.workdays import add_working_days

DUE_SOON_WORKING_DAYS = 3


def due_soon_limit(today: dt.date) -> dt.date:
    try:
        return add_working_days(today, DUE_SOON_WORKING_DAYS)
    except DomainError:
        return today + dt.timedelta(days=DUE_SOON_WORKING_DAYS)  # calendar not loaded: calendar days


def work_list(user: Any, view: str = "", q: str = "", channel: str = "") -> QuerySet[PetitionCase]:
    today = timezone.localdate()
    qs = PetitionCase.objects.visible_to(user).select_related("district", "handler")
    open_cases = qs.exclude(status=PetitionStatus.CLOSED)
    if view == "overdue":
        qs = open_cases.filter(due__lt=today)
    elif view == "due_soon":
        qs = open_cases.filter(due__gte=today, due__lte=due_soon_limit(today))
    elif view == "notice":
        qs = qs.filter(status=PetitionStatus.RECEIVED)
    elif view == "open":
        qs = open_cases
    if channel:
        qs = qs.filter(channel=channel)
    if q:
        qs = qs.filter(name__contains=q) | qs.filter(number=q)
    return qs.order_by("due", "id") if view in {"overdue", "due_soon"} else qs
