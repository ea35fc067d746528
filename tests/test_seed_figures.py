"""The seed's figures (../shared/seed/), reproduced from the records of the default demo."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from census.models import DONE_STATES, Campaign
from core.models import User
from payments.models import Payout, PayoutResult, PayoutRound
from payments.selectors import round_totals
from people.models import Level
from tests.cast import login


@pytest.mark.django_db
def test_default_demo_gives_the_seeds_figures() -> None:
    """Every figure the seed quotes about what is built comes from the records of the default
    demo (``manage.py demo_data``: 2,293 people, seed 2026), and the pages show them.

    - "协会完成全市2293名市级以上劳模情况调查": the 2025 census surveyed 2,293 people.
    - "共发放慰问金253万余元，其中1276名市级劳模首次获得春节慰问金": the 2026 round."""
    out = io.StringIO()
    call_command("demo_data", stdout=out)

    census = Campaign.objects.get(year=2025)
    assert census.records.count() == 2293
    assert census.records.filter(state__in=DONE_STATES).count() == 2293 == census.summary["surveyed"]
    assert census.summary["text"].startswith("普查 2,293 人，")
    assert f"census: 2025 {census.summary['text']}" in out.getvalue()
    assert sum(census.summary[k] for k in ("confirmed", "corrected", "deceased")) == 2293
    assert 30 <= census.summary["corrected"] <= 45  # about 1.7%, as in the example (38)
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
