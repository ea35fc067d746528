"""The latest paid round for the staff home page (scoped)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from core import extensions as core_points
from core.home import Card, TodoItem
from core.permissions import has_perm
from payments.models import Correction, CorrectionStatus, Payout, PayoutResult, PayoutRound, RoundStatus


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


@core_points.todo_items
def todo_items(user: Any) -> list[TodoItem]:
    """Rounds awaiting the user's act (approval for payments.approve holders, other than the
    round's creator; review of their district's lines for district staff), corrections awaiting
    approval, and failed or returned lines of an approved round not yet re-issued."""
    if not has_perm(user, "payments.view"):
        return []
    items: list[TodoItem] = []
    rounds_url = reverse("payments:round_list")
    drafts = PayoutRound.objects.filter(status=RoundStatus.DRAFT)
    if has_perm(user, "payments.approve"):
        n = drafts.exclude(created_by=user).count()
        items.append(TodoItem(_("待批准的发放批次"), n, rounds_url))
        corrections = Correction.objects.visible_to(user).filter(status=CorrectionStatus.PENDING)
        n = corrections.exclude(requested_by=user).count()
        items.append(TodoItem(_("待审批的名单更正"), n, rounds_url))
    elif has_perm(user, "payments.review"):
        n = (
            Payout.objects.visible_to(user)
            .filter(round__status=RoundStatus.DRAFT)
            .values("round_id")
            .distinct()
            .count()
        )
        items.append(TodoItem(_("待审核本区县名单的发放批次"), n, rounds_url))
    if has_perm(user, "payments.manage"):
        n = (
            Payout.objects.visible_to(user)
            .filter(
                round__status=RoundStatus.APPROVED,
                excluded=False,
                result__in=[PayoutResult.FAILED, PayoutResult.RETURNED],
                reissues__isnull=True,
            )
            .count()
        )
        items.append(TodoItem(_("发放失败或退回待补发"), n, rounds_url))
    return items
