"""trips.journeys: the pre-departure checklist (opens 72 h, locks 24 h before departure; city override)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from core.errors import DomainError
from core.models import Notification
from trips.journeys import home, services
from trips.models import Batch, BatchQuota, Checklist, Nomination, NominationStatus, TripRoute

pytestmark = pytest.mark.django_db

ITEMS = ["健康声明", "紧急联系人", "保险"]
LEAVE = timezone.make_aware(dt.datetime(2031, 5, 10, 7, 30))


def _traveller(cast: Any, leave: dt.datetime = LEAVE) -> Nomination:
    route = TripRoute.objects.create(name="舟山线", destination="舟山", days=5, cost_per_day=300)
    start = timezone.localdate(leave)
    b = Batch.objects.create(
        route=route,
        name="核查批",
        start_date=start,
        end_date=start + dt.timedelta(days=4),
        capacity=10,
        departure_at=leave,
        checklist_items=ITEMS,
    )
    BatchQuota.objects.create(batch=b, district=cast.region_a, places=5)
    return Nomination.objects.create(
        batch=b, person=cast.person_a, district=cast.region_a, status=NominationStatus.ACCEPTED, rank=1
    )


def test_window_edges(cast: Any) -> None:
    b = _traveller(cast).batch
    h = dt.timedelta(hours=1)
    assert services.checklist_window(b, LEAVE - 72 * h - dt.timedelta(seconds=1)) == "not_open"
    assert services.checklist_window(b, LEAVE - 72 * h) == "open"
    assert services.checklist_window(b, LEAVE - 24 * h - dt.timedelta(seconds=1)) == "open"
    assert services.checklist_window(b, LEAVE - 24 * h) == "locked"


def test_fill_before_open_during_and_after_lock(cast: Any) -> None:
    n = _traveller(cast)
    with pytest.raises(DomainError, match="72小时开放"):
        services.save_checklist(actor=cast.district_a, nomination=n, done=ITEMS, now=LEAVE - dt.timedelta(hours=80))
    at = LEAVE - dt.timedelta(hours=48)
    sheet = services.save_checklist(actor=cast.district_a, nomination=n, done=["健康声明", "未知项"], now=at)
    assert sheet.done == ["健康声明"] and not sheet.cleared
    with pytest.raises(DomainError, match="已于出发前24小时（2031-05-09 07:30）锁定"):
        services.save_checklist(actor=cast.district_a, nomination=n, done=ITEMS, now=LEAVE - dt.timedelta(hours=23))
    assert Checklist.objects.get(nomination=n).done == ["健康声明"]
    sheet = services.save_checklist(actor=cast.district_a, nomination=n, done=ITEMS, now=at)
    assert sheet.cleared and services.can_board(Nomination.objects.get(pk=n.pk))


def test_uncleared_flagged_once_and_override(cast: Any) -> None:
    n = _traveller(cast)
    assert services.flag_uncleared(now=LEAVE - dt.timedelta(hours=30)) == 0  # not locked yet
    assert services.flag_uncleared(now=LEAVE - dt.timedelta(hours=20)) == 1
    assert Notification.objects.filter(recipient=cast.city, subject__contains="核查未完成").count() == 1
    assert not Notification.objects.filter(recipient=cast.district_a, subject__contains="核查未完成").exists()
    assert services.flag_uncleared(now=LEAVE - dt.timedelta(hours=19)) == 0  # once per batch
    assert not services.can_board(n)
    with pytest.raises(DomainError, match="理由"):
        services.override_boarding(actor=cast.city, nomination=n, reason="  ")
    services.override_boarding(actor=cast.city, nomination=n, reason="已电话核实健康声明")
    assert services.can_board(Nomination.objects.get(pk=n.pk))


def test_pages_and_todo(cast: Any, client_for: Any) -> None:
    leave = timezone.now() + dt.timedelta(hours=48)  # the window is open now
    n = _traveller(cast, leave=leave)
    district = client_for("district_a")
    page = district.get(f"/trips/batches/{n.batch_id}/checklist/").content.decode()
    assert "健康声明" in page and "未核查完毕" in page
    todo = home.todo_items(cast.district_a)
    assert todo and todo[0].count == 1 and "待填写" in todo[0].label
    r = district.post(f"/trips/nominations/{n.pk}/checklist/", {"done": ITEMS})
    assert r.status_code == 302 and Checklist.objects.get(nomination=n).cleared
    assert home.todo_items(cast.district_a)[0].count == 0
    # Another district does not see the traveller: 404.
    assert client_for("district_b").post(f"/trips/nominations/{n.pk}/checklist/", {"done": ITEMS}).status_code == 404
    # The district cannot override (city only).
    assert district.post(f"/trips/nominations/{n.pk}/override/", {"reason": "x"}).status_code == 403


def test_locked_page_refuses_edit_with_message(cast: Any, client_for: Any) -> None:
    leave = timezone.now() + dt.timedelta(hours=10)  # locked now
    n = _traveller(cast, leave=leave)
    district = client_for("district_a")
    r = district.post(f"/trips/nominations/{n.pk}/checklist/", {"done": ITEMS}, follow=True)
    assert "锁定" in r.content.decode() and not Checklist.objects.filter(nomination=n, cleared=True).exists()
    city = client_for("city")
    page = city.get(f"/trips/batches/{n.batch_id}/checklist/").content.decode()
    assert "特许登车" in page
    assert any("待市总特许" in t.label and t.count == 1 for t in home.todo_items(cast.city))
    r = city.post(f"/trips/nominations/{n.pk}/override/", {"reason": "已电话核实"}, follow=True)
    assert "已特许" in r.content.decode()
    assert services.can_board(Nomination.objects.get(pk=n.pk))


def test_phone_page_shows_checklist_state(cast: Any, client_for: Any) -> None:
    n = _traveller(cast)
    page = client_for("worker_a").get("/trips/my/").content.decode()
    assert "出发前核查：未完成" in page
    Checklist.objects.create(nomination=n, done=ITEMS, cleared=True)
    assert "出发前核查：已核查完毕" in client_for("worker_a").get("/trips/my/").content.decode()
