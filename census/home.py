"""Census progress for the staff home page (the open campaign, scoped)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from census.models import Campaign, CensusRecord, RecordState
from core import extensions as core_points
from core.home import Card
from core.permissions import has_perm


@core_points.cards
def cards(user: Any) -> list[Card]:
    if not has_perm(user, "census.view"):
        return []
    campaign = Campaign.objects.filter(status=Campaign.Status.OPEN).order_by("-year").first()
    if campaign is None:
        return []
    counts = (
        CensusRecord.objects.visible_to(user)
        .filter(campaign=campaign)
        .aggregate(total=Count("id"), pending=Count("id", filter=Q(state=RecordState.PENDING)))
    )
    done = counts["total"] - counts["pending"]
    percent = f"{done * 100 / counts['total']:.1f}%" if counts["total"] else "—"
    return [
        Card(
            _("%(year)s年普查完成率") % {"year": campaign.year},
            percent,
            reverse("census:campaigns"),
            _("已完成 %(done)s / %(total)s 人") % {"done": f"{done:,}", "total": f"{counts['total']:,}"},
        )
    ]
