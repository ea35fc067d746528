from __future__ import annotations

import io

import pytest

from core import demo as core_demo
from core.reference.loader import load_all_reference
from payments import demo
from payments.models import Payout, PayoutRound, RoundStatus
from payments.selectors import round_totals
from people import demo as people_demo


@pytest.mark.django_db
def test_demo_builds_past_rounds_that_reconcile_and_tell_the_first_time_story() -> None:

    load_all_reference()
    out = io.StringIO()
    core_demo.build(size=300, seed=7, stdout=out)
    people_demo.build(size=300, seed=7, stdout=out)
    demo.build(size=300, seed=7, stdout=out)
    rounds = {r.title: r for r in PayoutRound.objects.all()}
    assert sorted(rounds) == ["2025年春节慰问金", "2026年春节慰问金", "2026年春节慰问金（补发）"]
    first, second, follow = rounds["2025年春节慰问金"], rounds["2026年春节慰问金"], rounds["2026年春节慰问金（补发）"]
    assert (first.status, second.status, follow.status) == (RoundStatus.CLOSED, RoundStatus.CLOSED, RoundStatus.DRAFT)
    assert first.approved_by != first.created_by
    for r in (first, second):
        t = round_totals(r)
        assert t.pending_people == 0
        assert t.approved_total == t.paid_total + t.failed_total + t.returned_total
    # City level joined in 2026: every city-level line of 2026 is a first payment; a provincial
    # or national person paid in 2025 is not.
    city = Payout.objects.filter(round=second, level="city", excluded=False)
    assert city.exists() and not city.filter(first_time=False).exists()
    paid_2025 = set(Payout.objects.filter(round=first, result="paid").values_list("person_id", flat=True))
    assert not Payout.objects.filter(round=second, person_id__in=paid_2025, first_time=True).exists()
    failed = Payout.objects.filter(round=second, result__in=["failed", "returned"]).count()
    assert Payout.objects.filter(round=follow).count() == failed
    demo.build(size=300, seed=7, stdout=out)  # a second run leaves it alone
    assert PayoutRound.objects.count() == 3
