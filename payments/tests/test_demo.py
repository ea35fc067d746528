from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from core import demo as core_demo
from core.models import User
from core.testing import login
from payments import demo
from payments.models import Payout, PayoutResult, PayoutRound, RoundStatus
from payments.selectors import round_totals
from people import demo as people_demo
from people.models import Level


@pytest.mark.django_db
def test_demo_builds_past_rounds_that_reconcile_and_tell_the_first_time_story() -> None:
    from core.reference.loader import load_all_reference

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


@pytest.mark.django_db
def test_default_demo_gives_the_seeds_spring_festival_figures() -> None:
    """The seed: "共发放慰问金253万余元，其中1276名市级劳模首次获得春节慰问金". The default demo
    (``manage.py demo_data``: 2,293 people, seed 2026) gives both from its records, and the
    overview page and the home card show them."""
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    round_ = PayoutRound.objects.get(title="2026年春节慰问金")
    paid = Payout.objects.filter(round=round_, excluded=False, result=PayoutResult.PAID)
    city_first = paid.filter(level=Level.CITY, first_time=True).count()
    total = paid.aggregate(total=Sum("amount"))["total"]
    assert city_first == 1276
    assert Decimal(2_530_000) <= total < Decimal(2_540_000)  # 253万余
    assert round_totals(round_).paid_total == total
    assert f"{round_.title} paid ¥{total:,.2f} to " in out.getvalue()
    assert ", 1276 city-level for the first time;" in out.getvalue()

    client = login(Client(), User.objects.get(username="city"))
    overview = client.get(reverse("payments:dashboard"))
    assert overview.context["chosen"] == round_
    figures = overview.context["figures"]
    assert figures["totals"].paid_total == total
    assert [(lv["level"], lv["first_time_paid"]) for lv in figures["levels"] if lv["level"] == Level.CITY] == [
        (Level.CITY, 1276)
    ]
    page = overview.content.decode()
    assert f"¥{total:,.2f}" in page and '<td class="num">1,276</td></tr>' in page
    card = next(c for c in client.get(reverse("core:home")).context["cards"] if c.label == round_.title)
    assert card.value == f"¥{total:,.2f}"
