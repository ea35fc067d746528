"""The latest paid round for the staff home page (scoped)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from core import extensions as core_points
from core.home import Card
from core.permissions import has_perm
from payments.models import Payout, PayoutResult


@core_points.cards
def cards(user: Any) -> list[Card]:
    if not has_perm(user, "payments.view"):
        return []
    paid = Payout.objects.visible_to(user).filter(excluded=False, result=PayoutResult.PAID)
    latest = paid.order_by("-round__year", "-round_id").values("round_id", "round__title").first()
    if latest is None:
        return []
    figures = paid.filter(round_id=latest["round_id"]).aggregate(total=Sum("amount"), n=Count("id"))
    return [
        Card(
            latest["round__title"],
            f"¥{figures['total']:,.2f}",
            reverse("payments:dashboard"),
            _("已发放 %(n)s 人") % {"n": f"{figures['n']:,}"},
        )
    ]
