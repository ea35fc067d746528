"""trips.journeys (triprules): demo rules, costs and feedback for the 2021 batches (called by demo.build).

Its own random stream, so no other demo draw moves."""

from __future__ import annotations

import random
from decimal import Decimal

from django.utils import timezone

from trips.models import BatchCost, Nomination, NominationStatus, TripFeedback, TripRules

COMMENTS = ["安排周到，感谢工会关心", "住宿干净，饮食可口", "行程稍紧，希望多些休息时间", "领队很负责", ""]


def build(*, seed: int) -> None:
    if TripRules.objects.exists():
        return
    rng = random.Random(seed + 1414)
    TripRules.objects.create(cap_per_day=Decimal("350"), cap_per_year=Decimal("2500"), note="默认规则（演示）")
    today = timezone.localdate()
    for batch_id, start, end in (
        Nomination.objects.filter(status=NominationStatus.ACCEPTED, batch__end_date__lt=today)
        .values_list("batch_id", "batch__start_date", "batch__end_date")
        .distinct()
        .order_by("batch_id")
    ):
        travellers = list(Nomination.objects.filter(batch_id=batch_id, status=NominationStatus.ACCEPTED))
        n, days = len(travellers), (end - start).days + 1
        for item, amount in (
            ("lodging", n * days * rng.randint(140, 180)),
            ("transport", rng.randint(6000, 9000)),
            ("meals", n * days * rng.randint(70, 110)),
            ("insurance", n * 20),
        ):
            BatchCost.objects.create(batch_id=batch_id, item=item, amount=Decimal(amount))
        for nom in travellers:
            if rng.random() < 0.6:
                TripFeedback.objects.create(
                    nomination=nom, rating=rng.choice([5, 5, 4, 4, 4, 3]), comment=rng.choice(COMMENTS)
                )
