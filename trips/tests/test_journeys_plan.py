"""trips.journeys: the city's planning pages (routes, batches, quotas, moving places) and overlaps."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core.errors import DomainError
from core.models import Region, RegionKind
from trips.journeys import services
from trips.models import Batch, BatchQuota, Nomination, NominationStatus, TripRoute

pytestmark = pytest.mark.django_db


def _route() -> TripRoute:
    return TripRoute.objects.create(name="象山线", destination="象山", days=5, cost_per_day=300)


def _batch(start: dt.date = dt.date(2031, 5, 1), days: int = 5, capacity: int = 10, name: str = "第1批") -> Batch:
    route = TripRoute.objects.filter(name="象山线").first() or _route()
    return Batch.objects.create(
        route=route, name=name, start_date=start, end_date=start + dt.timedelta(days=days - 1), capacity=capacity
    )


def _accept(batch: Batch, person: Any, district: Region) -> Nomination:
    return Nomination.objects.create(
        batch=batch, person=person, district=district, status=NominationStatus.ACCEPTED, rank=1
    )


def test_city_creates_and_edits_a_route(client_for: Any) -> None:
    c = client_for("city")
    r = c.post(
        "/trips/routes/new/",
        {
            "name": "丽水线",
            "destination": "丽水",
            "days": 6,
            "programme": "第一天…",
            "lodging": "宾馆",
            "cost_per_day": "280",
        },
    )
    assert r.status_code == 302
    route = TripRoute.objects.get(name="丽水线")
    r = c.post(
        f"/trips/routes/{route.pk}/edit/",
        {"name": "丽水线", "destination": "丽水", "days": 0, "cost_per_day": "280"},
    )
    assert r.status_code == 200 and "天数须在 1 到 30 之间" in r.content.decode()
    assert "新建线路" in c.get("/trips/routes/").content.decode()
    assert "新建线路" not in client_for("district_a").get("/trips/routes/").content.decode()


def test_city_creates_a_batch_and_bad_dates_are_a_form_error(client_for: Any) -> None:
    route = _route()
    c = client_for("city")
    data = {
        "route": route.pk,
        "name": "2031第2批",
        "start_date": "2031-06-10",
        "end_date": "2031-06-05",
        "capacity": 40,
        "escorts": "张导游",
        "departure": "市总工会门口",
        "departure_at": "2031-06-10T07:30",
        "checklist_items": ["健康声明", "保险"],
    }
    r = c.post("/trips/batches/new/", data)
    assert r.status_code == 200 and "返回日期不能早于出发日期" in r.content.decode()
    assert not Batch.objects.filter(name="2031第2批").exists()
    r = c.post("/trips/batches/new/", data | {"end_date": "2031-06-15"})
    b = Batch.objects.get(name="2031第2批")
    assert r.status_code == 302
    assert b.checklist_items == ["健康声明", "保险"] and b.escorts == "张导游" and b.departure_at is not None
    r = c.post("/trips/batches/new/", data | {"end_date": "2031-06-15", "capacity": "abc"})
    assert r.status_code == 200


def test_a_batch_chooses_its_checklist_and_adds_its_own_items(client_for: Any) -> None:
    route = _route()
    c = client_for("city")
    data = {
        "route": route.pk,
        "name": "2021第1批",
        "start_date": "2031-06-10",
        "end_date": "2031-06-15",
        "capacity": 40,
        "checklist_items": ["健康声明", "健康码", "行程卡"],
        "extra_items": "核酸检测报告\n\n 核酸检测报告 \n防疫承诺书",
    }
    assert c.post("/trips/batches/new/", data).status_code == 302
    b = Batch.objects.get(name="2021第1批")
    assert b.checklist_items == ["健康声明", "健康码", "行程卡", "核酸检测报告", "防疫承诺书"]
    page = c.get(f"/trips/batches/{b.pk}/edit/").content.decode()
    assert "核酸检测报告\n防疫承诺书</textarea>" in page  # the batch's own items come back to edit
    r = c.post(
        f"/trips/batches/{b.pk}/edit/", data | {"extra_items": "这是一项写得非常非常长的核查项目名称超过二十个字了"}
    )
    assert r.status_code == 200 and "超过20字" in r.content.decode()
    r = c.post(f"/trips/batches/{b.pk}/edit/", data | {"extra_items": "\n".join(f"项目{i}" for i in range(11))})
    assert r.status_code == 200 and "最多10项" in r.content.decode()
    b.refresh_from_db()
    assert b.checklist_items == ["健康声明", "健康码", "行程卡", "核酸检测报告", "防疫承诺书"]


def test_quotas_by_hand_must_add_up_and_respect_accepted(cast: Any, client_for: Any) -> None:
    b = _batch(capacity=10)
    c = client_for("city")
    page = c.get(f"/trips/batches/{b.pk}/quotas/").content.decode()
    assert "按符合条件人数分配" in page
    districts = list(Region.objects.filter(kind=RegionKind.DISTRICT))
    form = {"mode": "hand"} | {f"d{d.pk}": 0 for d in districts}
    r = c.post(f"/trips/batches/{b.pk}/quotas/", form | {f"d{cast.region_a.pk}": 6})
    assert r.status_code == 200 and "须等于批次名额" in r.content.decode()
    r = c.post(f"/trips/batches/{b.pk}/quotas/", form | {f"d{cast.region_a.pk}": -1})
    assert r.status_code == 200
    r = c.post(f"/trips/batches/{b.pk}/quotas/", form | {f"d{cast.region_a.pk}": 6, f"d{cast.region_b.pk}": 4})
    assert r.status_code == 302
    assert BatchQuota.objects.get(batch=b, district=cast.region_a).places == 6
    _accept(b, cast.person_a, cast.region_a)
    with pytest.raises(DomainError, match="已有 1 人确认参加"):
        services.set_quotas(actor=cast.city, batch=b, places={cast.region_a.pk: 0, cast.region_b.pk: 10}, exact=True)


def test_split_by_eligible_adds_up(cast: Any, client_for: Any) -> None:
    b = _batch(capacity=7)
    r = client_for("city").post(f"/trips/batches/{b.pk}/quotas/", {"mode": "split"})
    assert r.status_code == 302
    assert sum(BatchQuota.objects.filter(batch=b).values_list("places", flat=True)) == 7


def test_move_places_keeps_total_and_accepted(cast: Any, client_for: Any) -> None:
    b = _batch(capacity=10)
    BatchQuota.objects.create(batch=b, district=cast.region_a, places=6)
    BatchQuota.objects.create(batch=b, district=cast.region_b, places=4)
    _accept(b, cast.person_a, cast.region_a)
    c = client_for("city")
    url = f"/trips/batches/{b.pk}/quotas/"
    r = c.post(url, {"mode": "move", "source": cast.region_a.pk, "target": cast.region_b.pk, "places": 6})
    assert r.status_code == 200 and "只能调出 5 个名额" in r.content.decode()
    r = c.post(url, {"mode": "move", "source": cast.region_a.pk, "target": cast.region_a.pk, "places": 1})
    assert r.status_code == 200 and "不能相同" in r.content.decode()
    r = c.post(url, {"mode": "move", "source": cast.region_a.pk, "target": cast.region_b.pk, "places": 5})
    assert r.status_code == 302
    got = dict(BatchQuota.objects.filter(batch=b).values_list("district_id", "places"))
    assert got == {cast.region_a.pk: 1, cast.region_b.pk: 9}
    # District staff cannot plan: 403.
    assert client_for("district_a").post(url, {"mode": "split"}).status_code == 403


def test_capacity_cannot_drop_below_quotas(cast: Any) -> None:
    b = _batch(capacity=10)
    BatchQuota.objects.create(batch=b, district=cast.region_a, places=10)
    b.capacity = 8
    with pytest.raises(DomainError, match="不能少于已分配"):
        services.save_batch(actor=cast.city, batch=b)


def test_never_on_two_overlapping_batches(cast: Any) -> None:
    first = _batch(start=dt.date(2031, 12, 29), name="跨年批")
    second = _batch(start=dt.date(2032, 1, 2), name="新年批")  # 12-29..01-02 overlaps 01-02..01-06
    for b in (first, second):
        BatchQuota.objects.create(batch=b, district=cast.region_a, places=5)
    _accept(first, cast.person_a, cast.region_a)
    invited = Nomination.objects.create(
        batch=second, person=cast.person_a, district=cast.region_a, status=NominationStatus.INVITED, rank=1
    )
    with pytest.raises(DomainError, match="日期重叠"):
        services.answer_nomination(actor=cast.district_a, nomination=invited, accept=True)
    invited.refresh_from_db()
    assert invited.status == NominationStatus.INVITED
    # Not overlapping (the day after the first ends): allowed.
    third = _batch(start=dt.date(2032, 1, 3), name="后一批")
    BatchQuota.objects.create(batch=third, district=cast.region_a, places=5)
    later = Nomination.objects.create(
        batch=third, person=cast.person_a, district=cast.region_a, status=NominationStatus.INVITED, rank=1
    )
    assert services.overlapping(later) is None
    # Moving a batch's dates onto another of a traveller's accepted trips is refused too.
    Nomination.objects.filter(pk=later.pk).update(status=NominationStatus.ACCEPTED)
    first.start_date, first.end_date = dt.date(2032, 1, 4), dt.date(2032, 1, 8)
    with pytest.raises(DomainError, match="重叠"):
        services.save_batch(actor=cast.city, batch=first)
