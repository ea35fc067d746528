"""trips.journeys figures (triprules), counted by hand; the pages of the rules table, costs, incidents,
feedback and figures."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.utils import timezone

from people.models import Person
from trips.checkups import selectors as checkups_selectors
from trips.journeys import figures, home
from trips.models import (
    Batch,
    BatchCost,
    BatchIncident,
    BatchQuota,
    Nomination,
    TravelHistory,
    TripFeedback,
    TripRoute,
    TripRules,
)
from trips.models.checkups import CheckupCampaign


def _person(cast: Any, name: str, region: Any) -> Person:
    p = Person.objects.get(pk=cast.person_a.pk)
    p.pk = None
    p.user = None
    p.id_number_hash = None
    p.name = name
    p.region = region
    p.district = region
    p.save()
    return p


def _batch(route: TripRoute, start: dt.date, days: int = 5) -> Batch:
    return Batch.objects.create(
        route=route, name=f"{start}批", start_date=start, end_date=start + dt.timedelta(days=days - 1), capacity=10
    )


def _world(cast: Any) -> dict[str, Any]:
    r1 = TripRoute.objects.create(name="象山线", destination="象山", days=5, cost_per_day=300)
    r2 = TripRoute.objects.create(name="丽水线", destination="丽水", days=5, cost_per_day=280)
    b2020 = _batch(r1, dt.date(2020, 5, 1))
    b21a = _batch(r1, dt.date(2021, 4, 10))
    b21b = _batch(r2, dt.date(2021, 9, 1))
    p1 = _person(cast, "甲", cast.region_a)
    p2 = _person(cast, "乙", cast.region_a)
    p3 = _person(cast, "丙", cast.region_b)
    p4 = _person(cast, "丁", cast.region_a)
    a, b = cast.region_a, cast.region_b
    Nomination.objects.create(batch=b2020, person=p1, district=a, status="accepted", rank=1)
    Nomination.objects.create(batch=b21a, person=p1, district=a, status="accepted", rank=1)
    Nomination.objects.create(batch=b21a, person=p2, district=a, status="accepted", rank=2)
    Nomination.objects.create(batch=b21b, person=p3, district=b, status="accepted", rank=1)
    Nomination.objects.create(batch=b21b, person=p4, district=a, status="declined", rank=1)
    # 乙 went once before the system (2 trips recorded, one batch here): not a first-timer, year unknown.
    TravelHistory.objects.create(person=p2, district=a, last_trip_year=2021, trips=2)
    TravelHistory.objects.create(person=p1, district=a, last_trip_year=2021, trips=2)
    TripRules.objects.create(cap_per_day=Decimal("300"))
    BatchCost.objects.create(batch=b21a, item="lodging", amount=Decimal("2000.00"))
    BatchCost.objects.create(batch=b21a, item="meals", amount=Decimal("1200.50"))
    return {"b21a": b21a, "b21b": b21b}


@pytest.mark.django_db
def test_figures_counted_by_hand(cast: Any) -> None:
    w = _world(cast)
    city, dist_b = cast.city, cast.district_b
    assert figures.sent_by_year(city) == [(2020, 1), (2021, 3)]
    assert dict(figures.sent_by_district(city, 2021)) == {cast.region_a.name: 2, cast.region_b.name: 1}
    assert figures.sent_by_route(city, 2021) == [("象山线", 2), ("丽水线", 1)]
    share = figures.first_time_share(city, 2021)
    assert (share.part, share.whole, share.percent) == (1, 3, 33.3)  # 丙 only
    assert figures.average_years_since_last(city, 2021) == 1.0  # 甲: 2020 -> 2021
    assert figures.average_years_since_last(city, 2020) is None
    spend = {r.batch.pk: r for r in figures.spending_against_caps(city, 2021)}
    assert spend[w["b21a"].pk].travellers == 2 and spend[w["b21a"].pk].spent == Decimal("3200.50")
    assert spend[w["b21a"].pk].cap == Decimal("3000") and spend[w["b21a"].pk].over
    assert spend[w["b21b"].pk].spent == 0 and spend[w["b21b"].pk].cap == Decimal("1500")
    # 海曙 sees its own travellers only.
    assert figures.sent_by_year(dist_b) == [(2021, 1)]
    assert figures.first_time_share(dist_b, 2021).percent == 100.0
    assert figures.checkup_coverage(city, 2021) is None
    campaign = CheckupCampaign.objects.create(
        year=2021, title="2021体检", starts=dt.date(2021, 3, 1), ends=dt.date(2021, 11, 30)
    )
    assert figures.checkup_coverage(city, 2021) == checkups_selectors.coverage(city, campaign)[-1]


@pytest.mark.django_db
def test_figures_page_and_export(cast: Any, client_for: Any) -> None:
    _world(cast)
    c = client_for("city")
    html = c.get("/trips/figures/?year=2021").content.decode()
    assert 'id="chart-data"' in html and "trips_journeys_figures.js" in html
    assert "33.3%" in html and "超过上限" in html
    assert c.get("/trips/figures/?year=²").status_code == 200
    resp = c.get("/trips/figures.xlsx?year=2021")
    ws = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    values = [tuple(row) for row in ws.iter_rows(values_only=True)]
    assert any(row[:3] == ("各线路参加人数", "象山线", 2) for row in values)


@pytest.mark.django_db
def test_rules_page_saves_and_refuses(cast: Any, client_for: Any) -> None:
    c = client_for("city")
    base = {"statuses": ["front_line", "working"], "gap_years": "3", "health": "exclude", "cap_per_day": "300"}
    resp = c.post("/trips/rules/new/", {**base, "min_age": "70", "max_age": "60"})
    assert resp.status_code == 200 and "最低年龄不能大于最高年龄" in resp.content.decode()
    resp = c.post("/trips/rules/new/", {**base, "cap_per_year": "200"})
    assert "每人每天费用上限不能高于" in resp.content.decode()
    assert c.post("/trips/rules/new/", {**base, "levels": ["national", "provincial"]}).status_code == 302
    row = TripRules.objects.get()
    assert row.year is None and row.levels == ["national", "provincial"] and row.gap_years == 3
    assert "全国级" in c.get("/trips/rules/").content.decode()
    resp = c.post("/trips/rules/new/", base)
    assert resp.status_code == 200 and "已有默认规则" in resp.content.decode()


@pytest.mark.django_db
def test_batch_form_warns_above_cap_and_batch_page_shows_spend(cast: Any, client_for: Any) -> None:
    TripRules.objects.create(cap_per_day=Decimal("250"))
    route = TripRoute.objects.create(name="舟山线", destination="舟山", days=5, cost_per_day=340)
    c = client_for("city")
    resp = c.post(
        "/trips/batches/new/",
        {
            "route": route.pk,
            "name": "2031第1批",
            "start_date": "2031-05-01",
            "end_date": "2031-05-05",
            "capacity": "40",
        },
        follow=True,
    )
    html = resp.content.decode()
    assert "超过每人每天上限" in html and "1700.00" in html
    b = Batch.objects.get(name="2031第1批")
    assert "超过每人每天上限" in c.get(f"/trips/batches/{b.pk}/edit/").content.decode()
    assert c.post(f"/trips/batches/{b.pk}/costs/", {"item": "transport", "amount": "0.001"}).status_code == 200
    assert c.post(f"/trips/batches/{b.pk}/costs/", {"item": "transport", "amount": "880.25"}).status_code == 302
    assert "880.25" in c.get(f"/trips/batches/{b.pk}/").content.decode()


@pytest.mark.django_db
def test_incidents_scoped_and_feedback_on_the_phone(cast: Any, client_for: Any) -> None:
    route = TripRoute.objects.create(name="仙居线", destination="仙居", days=4, cost_per_day=300)
    today = timezone.localdate()
    b = _batch(route, today - dt.timedelta(days=6), days=4)
    BatchQuota.objects.create(batch=b, district=cast.region_a, places=5)
    n = Nomination.objects.create(batch=b, person=cast.person_a, district=cast.region_a, status="accepted", rank=1)
    ca = client_for("district_a")
    at = f"{b.start_date:%Y-%m-%d}T09:30"
    resp = ca.post(
        f"/trips/batches/{b.pk}/incidents/", {"occurred_at": at, "nomination": n.pk, "what": "崴脚", "action": "已送医"}
    )
    assert resp.status_code == 302
    ca.post(f"/trips/batches/{b.pk}/incidents/", {"occurred_at": at, "what": "大巴晚点"})
    assert BatchIncident.objects.count() == 2
    html_b = client_for("district_b").get(f"/trips/batches/{b.pk}/incidents/").content.decode()
    assert "大巴晚点" in html_b and "崴脚" not in html_b
    w = client_for("worker_a")
    assert "评价本次疗休养" in w.get("/trips/my/").content.decode()
    assert w.post(f"/trips/my/{n.pk}/feedback/", {"rating": "9"}).status_code == 200
    assert w.post(f"/trips/my/{n.pk}/feedback/", {"rating": "4", "comment": "安排周到"}).status_code == 302
    w.post(f"/trips/my/{n.pk}/feedback/", {"rating": "5", "comment": "安排周到"})
    assert TripFeedback.objects.get().rating == 5
    page = client_for("city").get(f"/trips/batches/{b.pk}/").content.decode()
    assert "安排周到" in page and "平均 5.0 分" in page
    assert "安排周到" not in client_for("district_b").get(f"/trips/batches/{b.pk}/").content.decode()


@pytest.mark.django_db
def test_travel_file_and_person_panel(cast: Any, client_for: Any) -> None:
    c = client_for("district_a")
    url = f"/trips/people/{cast.person_a.pk}/travel-file/"
    resp = c.post(url, {"health_restricted": "on"})
    assert resp.status_code == 200 and "请填写健康限制的说明" in resp.content.decode()
    assert c.post(url, {"front_line": "on", "health_restricted": "on", "health_note": "高血压"}).status_code == 302
    sheet = TravelHistory.objects.get(person=cast.person_a)
    assert sheet.front_line and sheet.health_note == "高血压"
    assert client_for("district_b").get(url).status_code == 404


@pytest.mark.django_db
def test_home_card_and_chart(cast: Any) -> None:
    _world(cast)
    charts = home.charts(cast.city)
    assert charts and charts[0].categories == ["2020", "2021"] and charts[0].series[0]["data"] == [1, 3]
    assert home.cards(cast.city) and home.cards(cast.worker_a) == []


@pytest.mark.django_db
def test_demo_adds_rules_costs_and_feedback(cast: Any) -> None:
    from trips.journeys import demo  # noqa: PLC0415

    demo.build(size=1, seed=1, stdout=io.StringIO())
    assert TripRules.objects.get().cap_per_day == Decimal("350")
    spent = figures.spending_against_caps(cast.city, 2021)
    assert len(spent) == 5 and all(r.spent > 0 for r in spent if r.travellers)
    travellers = Nomination.objects.filter(batch__start_date__year=2021, status="accepted").count()
    given = TripFeedback.objects.filter(nomination__batch__start_date__year=2021).count()
    assert given <= travellers and (given > 0 or travellers < 5)
