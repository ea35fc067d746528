"""Census progress for the staff home page (the open campaign, scoped): the same figures as the
campaign page (``selectors.campaign_figures``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from census.models import Campaign
from census.selectors import campaign_figures, open_campaign_for
from core import extensions as core_points
from core.home import Card, Chart
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
