"""How payments follows a merge of two person records."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from core.models import Actor
from core.permissions import has_perm
from payments.models import Correction, ExclusionReason, Payout, PayoutChange, PayoutResult, RoundStatus
from payments.selectors import payouts_of_person
from people import extensions as people_points
from people.history import Item, Section
from people.panels import Panel


@people_points.person_merged
def on_person_merged(*, keep: Any, duplicate: Any, actor: Actor = None) -> None:
    """Lines of the duplicate move to ``keep``. Where both records have a line in the same round,
    that person was listed twice: in a draft the duplicate's line is excluded as 重复; in a frozen
    round it stays where it is (it is history) and the clash is written into the change log."""
    both = set(Payout.objects.filter(person=keep).values_list("round_id", flat=True))
    for payout in Payout.objects.filter(person=duplicate).select_related("round"):
        if payout.round_id not in both:
            Payout.objects.filter(pk=payout.pk).update(person=keep)
            continue
        if payout.round.status == RoundStatus.DRAFT and not payout.excluded:
            Payout.objects.filter(pk=payout.pk).update(excluded=True, excluded_reason=ExclusionReason.DUPLICATE)
            detail = f"人员合并：与“{keep.name}”重复，自动剔除"
        else:
            detail = f"人员合并：与“{keep.name}”（编号 {keep.pk}）在本批次重复，请核查"
        PayoutChange.objects.create(
            round_id=payout.round_id, payout=payout, action=PayoutChange.Action.NOTED, detail=detail[:300]
        )
    Correction.objects.filter(person=duplicate).update(person=keep)


@people_points.person_panels
def person_panels(*, user: Any, person: Any) -> list[Any]:
    """慰问金 on the person page: every line this person has had, newest round first (scoped)."""
    if not has_perm(user, "payments.view"):
        return []
    lines = list(
        Payout.objects.visible_to(user)
        .filter(person=person)
        .select_related("round")
        .order_by("-round__year", "-round__created", "-id")[:20]
    )

    def state(p: Payout) -> str:
        if p.excluded:
            return _("已剔除：%(reason)s") % {"reason": p.get_excluded_reason_display()}
        if p.round.status == RoundStatus.DRAFT:
            return _("审核中")
        if p.result_reason:
            return _("%(result)s：%(reason)s") % {"result": p.get_result_display(), "reason": p.result_reason}
        return str(p.get_result_display())

    return [
        Panel(
            title=_("慰问金"),
            headers=[_("批次"), _("待遇级别"), _("计算依据"), _("金额（元）"), _("首次领取"), _("状态")],
            rows=[
                [
                    p.round.title,
                    p.get_level_display(),
                    p.reason,
                    f"{p.amount:,.2f}",
                    _("是") if p.first_time else _("否"),
                    state(p),
                ]
                for p in lines
            ],
            row_urls=[reverse("payments:round_detail", args=[p.round_id]) + f"?q={quote(person.name)}" for p in lines],
        )
    ]


@people_points.person_history
def portal_sections(*, user: Any, person: Any) -> list[Section]:
    """我的慰问金: each payment the person has had (approved rounds), with its amount and result."""
    items = []
    for p in payouts_of_person(user, person):
        lines = [gettext("金额：¥%(amount)s") % {"amount": f"{p.amount:,.2f}"}, p.reason]
        if p.result_reason:
            lines.append(p.result_reason)
        items.append(Item(title=p.round.title, lines=lines, tag=str(p.get_result_display())))
    paid = sum((p.amount for p in payouts_of_person(user, person).filter(result=PayoutResult.PAID)), start=0)
    title = gettext("我的慰问金")
    if paid:
        title = gettext("我的慰问金（已领取 ¥%(total)s）") % {"total": f"{paid:,.2f}"}
    return [Section(title=title, items=items, order=20, empty_text=gettext("暂无慰问金记录"))]
