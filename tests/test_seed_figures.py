"""The seed's figures (../shared/seed/), reproduced from the records of the default demo."""

from __future__ import annotations

import io
import subprocess
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
from volunteering.models import Dispatch, DispatchStatus, Incident, IncidentStatus
from volunteering.operations import selectors as ops
from volunteering.operations.demo import APACHE, EPIDEMIC_TITLE, TYPHOON_TITLE


@pytest.mark.django_db
def test_default_demo_gives_the_seeds_figures() -> None:
    """Every figure the seed quotes about what is built comes from the records of the default
    demo (``manage.py demo_data``: 2,293 people, seed 2026), and the pages show them.

    - "协会完成全市2293名市级以上劳模情况调查": the 2025 census surveyed 2,293 people.
    - "共发放慰问金253万余元，其中1276名市级劳模首次获得春节慰问金": the 2026 round.
    - The epidemic: "共组织劳模工匠（技师）280多人，帮扶企业150多家，解决技术难题300多个，服务职工群众12000多人".
    - Typhoon 烟花: "共开展志愿服务活动26场次，紧急调用抽水设备60多台，帮助40多家企业抢修受损设备500多台";
      宁波阿帕奇电器科技股份有限公司: "组织5名电工专家前往实施援助，对10余台进水电动机设备现场拆解维修"."""
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

    # volunteering: each figure read through the one selector the figures page uses
    epidemic = Incident.objects.get(title=EPIDEMIC_TITLE)
    assert epidemic.status == IncidentStatus.CLOSED and epidemic.started.year == 2020
    assert 280 < ops.craftsmen_count(epidemic) < 290  # 280多人
    assert 150 < ops.enterprises_helped(epidemic) < 160  # 150多家
    assert 300 < ops.problems_solved(epidemic) < 400  # 300多个
    assert 12000 < ops.people_served(epidemic) < 13000  # 12000多人
    typhoon = Incident.objects.get(title=TYPHOON_TITLE)
    assert typhoon.status == IncidentStatus.CLOSED and (typhoon.started.year, typhoon.started.month) == (2021, 7)
    assert ops.activities_count(typhoon) == 26  # 26场次
    assert 60 < ops.equipment_sent(typhoon, "pump") < 70  # 60多台
    assert 40 < ops.enterprises_helped(typhoon) < 50  # 40多家
    assert 500 < ops.machines_repaired(typhoon) < 600  # 500多台
    apache = typhoon.needs.get(enterprise=APACHE)
    assert apache.region.name == "洞桥镇"
    rescue = Dispatch.objects.filter(need=apache, status=DispatchStatus.DONE)
    assert rescue.values("person").distinct().count() == 5 == apache.people_needed  # 5名电工专家
    assert apache.specialty is not None and apache.specialty.code == "electric"
    trades = apache.specialty.trades.all()
    assert all(d.person.skills.filter(trade__in=trades).exists() for d in rescue)
    assert 10 < sum(d.machines_repaired for d in rescue) < 20  # 10余台
    assert f"{ops.craftsmen_count(epidemic)} craftsmen" in out.getvalue()
    shown = client.get(reverse("volunteering:operations_figures", args=[typhoon.pk]))
    assert shown.context["rows"] == ops.incident_figures(typhoon)
    assert ("服务活动", 26) in shown.context["rows"]
    pdf = client.get(reverse("volunteering:operations_figures", args=[typhoon.pk]), {"format": "pdf"})
    info = subprocess.run(["pdfinfo", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()  # noqa: S607
    assert "Pages:           1" in info  # the one-page summary for the union leadership

    # 疗休养 (DOMAIN.md: 200+ model workers a year on 5-6 batches): the 2021 batches, and next
    # month's batch as an office sees it weeks ahead (answers, companions, places, checklists).
    from trips.models import Batch, Checklist, Companion, TravelPlace  # noqa: PLC0415

    past = Batch.objects.filter(start_date__year=2021)
    assert past.count() == 5 and past.filter(nominations__status="accepted").count() >= 200
    coming = Batch.objects.exclude(start_date__year=2021).get()
    accepted = coming.nominations.filter(status="accepted")
    assert 0 < accepted.count() <= coming.capacity
    assert Companion.objects.filter(nomination__batch=coming).exists()
    assert TravelPlace.objects.filter(batch=coming).count() >= accepted.count()
    cleared = Checklist.objects.filter(nomination__batch=coming, cleared=True).count()
    assert 0 < cleared < accepted.count()  # half done
