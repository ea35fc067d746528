"""casework.petitions: staff home cards, charts and to-do items (joined by ``casework/home.py``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.home import Card, Chart, TodoItem
from core.permissions import has_perm


def cards(user: Any) -> list[Card]:
    if not has_perm(user, "casework.petitions_view"):
        return []
    from casework.models import PetitionCase, PetitionStatus  # noqa: PLC0415

    open_cases = PetitionCase.objects.visible_to(user).exclude(status=PetitionStatus.CLOSED)
    overdue = open_cases.filter(due__lt=timezone.localdate()).count()
    url = reverse("casework:petitions_list")
    return [
        Card(
            _("未办结信访件"),
            str(open_cases.count()),
            url + "?view=open",
            note=_("其中 %(n)s 件已超期") % {"n": overdue} if overdue else "",
        )
    ]


def charts(user: Any) -> list[Chart]:
    """Received per year, one series per channel (from the figures' selector)."""
    if not has_perm(user, "casework.petitions_view"):
        return []
    from django.db.models import Count  # noqa: PLC0415

    from casework.models import PetitionCase, PetitionChannel  # noqa: PLC0415

    rows = (
        PetitionCase.objects.visible_to(user)
        .values_list("received_on__year", "channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {(y, c): n for y, c, n in rows}
    years = sorted({y for y, _c in counts})
    if not years:
        return []
    return [
        Chart(
            title=_("信访件受理（按年度、渠道）"),
            categories=[str(y) for y in years],
            series=[
                {"name": str(label), "data": [counts.get((y, key), 0) for y in years]}
                for key, label in PetitionChannel.choices
            ],
            url=reverse("casework:petitions_figures"),
        )
    ]


def todo_items(user: Any) -> list[TodoItem]:
    if not has_perm(user, "casework.petitions_handle"):
        return []
    from casework.models import PetitionCase, PetitionStatus  # noqa: PLC0415

    today = timezone.localdate()
    open_cases = PetitionCase.objects.visible_to(user).exclude(status=PetitionStatus.CLOSED)
    overdue = open_cases.filter(due__lt=today).count()
    waiting = PetitionCase.objects.visible_to(user).filter(status=PetitionStatus.RECEIVED).count()
    url = reverse("casework:petitions_list")
    items = [
        TodoItem(label=_("信访件已超期"), count=overdue, url=url + "?view=overdue", overdue=overdue, app="casework"),
        TodoItem(label=_("信访件待告知受理"), count=waiting, url=url + "?view=notice", app="casework"),
    ]
    if has_perm(user, "casework.petitions_approve"):
        from casework.models import ExtensionStatus, PetitionExtension  # noqa: PLC0415

        pending = (
            PetitionExtension.objects.visible_to(user)
            .filter(status=ExtensionStatus.PENDING)
            .exclude(requested_by=user)
            .count()
        )
        items.append(TodoItem(label=_("信访件延期待审批"), count=pending, url=url + "?view=extension", app="casework"))
    return items
