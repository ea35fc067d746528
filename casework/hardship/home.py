"""casework.hardship: staff home cards, charts and to-do items (joined by ``casework/home.py``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.hardship import selectors
from casework.models.hardship import FileStatus, HardshipFile
from core.home import Card, Chart, TodoItem
from core.permissions import has_perm


def cards(user: Any) -> list[Card]:
    if not has_perm(user, "casework.hardship_view"):
        return []
    open_files = HardshipFile.objects.visible_to(user).filter(status=FileStatus.OPEN).count()
    overdue = selectors.rechecks_for(user, overdue_only=True).count()
    return [
        Card(_("在档困难档案"), str(open_files), reverse("casework:hardship_list") + "?status=open"),
        Card(
            _("年度复核逾期"),
            str(overdue),
            reverse("casework:hardship_rechecks") + "?overdue=1",
            note=_("需尽快复核") if overdue else "",
        ),
    ]


def charts(user: Any) -> list[Chart]:
    if not has_perm(user, "casework.hardship_view"):
        return []
    rows = (
        HardshipFile.objects.visible_to(user)
        .filter(status=FileStatus.OPEN)
        .values("category__name")
        .annotate(n=Count("id"))
        .order_by("category__name")
    )
    if not rows:
        return []
    return [
        Chart(
            title=_("在档困难档案（按类别）"),
            categories=[r["category__name"] or "—" for r in rows],
            series=[{"name": _("在档"), "data": [r["n"] for r in rows]}],
            url=reverse("casework:hardship_figures"),
        )
    ]


def todo_items(user: Any) -> list[TodoItem]:
    items: list[TodoItem] = []
    if has_perm(user, "casework.hardship_manage"):
        today = timezone.localdate()
        rechecks = selectors.rechecks_for(user).filter(due__lte=today)
        items.append(
            TodoItem(
                label=_("困难档案年度复核"),
                count=rechecks.count(),
                url=reverse("casework:hardship_rechecks") + "?overdue=1",
                overdue=rechecks.filter(due__lt=today).count(),
                app="casework",
            )
        )
        flagged = HardshipFile.objects.visible_to(user).filter(status=FileStatus.OPEN, close_flagged=True).count()
        items.append(
            TodoItem(
                label=_("困难档案待销档"),
                count=flagged,
                url=reverse("casework:hardship_list") + "?flagged=on&status=open",
                app="casework",
            )
        )
    if has_perm(user, "casework.hardship_approve"):
        pending = selectors.pending_help(user).exclude(entered_by=user).count()
        items.append(
            TodoItem(
                label=_("现金帮扶待复核"),
                count=pending,
                url=reverse("casework:hardship_help_list") + "?status=pending",
                app="casework",
            )
        )
    return items
