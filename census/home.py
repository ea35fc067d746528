"""Census progress for the staff home page (the open campaign, scoped): the same figures as the
campaign page (``selectors.campaign_figures``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from census.models import Campaign, ChangeProposal, RecordState
from census.selectors import campaign_figures, campaigns_for_user, open_campaign_for
from core import extensions as core_points
from core.home import Card, Chart, TodoItem
from core.permissions import has_perm


def _open_campaign(user: Any) -> Campaign | None:
    if not has_perm(user, "census.view"):
        return None
    return open_campaign_for(user)


@core_points.cards
def cards(user: Any) -> list[Card]:
    campaign = _open_campaign(user)
    if campaign is None:
        return []
    total = campaign_figures(user, campaign)["total"]
    return [
        Card(
            _("%(year)s年普查完成率") % {"year": campaign.year},
            f"{total['percent']:.1f}%" if total["total"] else "—",
            reverse("census:campaign", kwargs={"pk": campaign.pk}),
            _("已完成 %(done)s / %(total)s 人") % {"done": f"{total['surveyed']:,}", "total": f"{total['total']:,}"},
        )
    ]


@core_points.charts
def charts(user: Any) -> list[Chart]:
    campaign = _open_campaign(user)
    if campaign is None:
        return []
    rows = campaign_figures(user, campaign)["rows"]
    if not rows:
        return []
    return [
        Chart(
            _("%(year)s年普查各区县进度") % {"year": campaign.year},
            [str(r["name"]) for r in rows],
            [
                {"name": _("已完成"), "data": [r["surveyed"] for r in rows]},
                {"name": _("未完成"), "data": [r["total"] - r["surveyed"] for r in rows]},
            ],
            reverse("census:campaign", kwargs={"pk": campaign.pk}),
        )
    ]


#: an open campaign's unreached people become a to-do this many days before its deadline
DEADLINE_NEAR_DAYS = 7


@core_points.todo_items
def todo_items(user: Any) -> list[TodoItem]:
    """Change proposals waiting for review (census.review), and the people still not reached in
    an open campaign whose deadline is near or past (census.manage), in the user's scope."""
    items: list[TodoItem] = []
    today = timezone.localdate()
    if has_perm(user, "census.review"):
        waiting = ChangeProposal.objects.visible_to(user).filter(status=ChangeProposal.Status.PENDING)
        f = waiting.aggregate(
            n=Count("pk"),
            late=Count("pk", filter=Q(record__campaign__deadline__lt=today)),
            due=Min("record__campaign__deadline"),
        )
        items.append(TodoItem(_("待审核的普查变更"), f["n"], reverse("census:reviews"), f["due"], f["late"]))
    if has_perm(user, "census.manage"):
        near = today + dt.timedelta(days=DEADLINE_NEAR_DAYS)
        campaigns = campaigns_for_user(user).filter(status=Campaign.Status.OPEN, deadline__lte=near)
        for campaign in campaigns.order_by("deadline", "pk")[:3]:
            n = campaign_figures(user, campaign)["total"][RecordState.PENDING]  # the board's own figure
            late = n if campaign.deadline and campaign.deadline < today else 0
            url = reverse("census:records", kwargs={"pk": campaign.pk}) + f"?state={RecordState.PENDING}"
            label = _("%(year)s年普查尚未联系的人员") % {"year": campaign.year}
            items.append(TodoItem(label, n, url, campaign.deadline, late))
    return items
