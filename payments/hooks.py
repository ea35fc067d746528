"""How payments follows a merge of two person records."""

from __future__ import annotations

from typing import Any

from payments.models import Correction, ExclusionReason, Payout, PayoutChange, RoundStatus


def on_person_merged(*, keep: Any, duplicate: Any) -> None:
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
